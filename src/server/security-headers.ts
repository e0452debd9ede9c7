import type { FastifyInstance } from 'fastify';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { createHash } from 'node:crypto';

// Security headers of every response (@fastify/helmet): the Content-Security-Policy, no framing,
// nosniff, the referrer policy. Pages with other needs say so in one place each:
// - the API docs page (@fastify/swagger-ui) gets DOCS_CSP through the plugin's `staticCSP`;
// - the web app's index.html allows its own inline script by hash (inlineScriptHashes), never
//   'unsafe-inline';
// - a page meant to be embedded in other sites (web forms, later) declares `helmet: embeddable([...])`
//   on its route; nothing else may be framed.

type Directives = Record<string, string[]>;

/** The app's policy: scripts, data and frames from this origin only. */
export function appCsp(extraScriptSrc: string[] = []): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'script-src': ["'self'", ...extraScriptSrc],
    'script-src-attr': ["'none'"],
    // Mantine writes its CSS variables into <style> elements at run time
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
}

/** /api/docs: Swagger UI loads its scripts from /api/docs/static, styles itself inline and draws icons as data: images. */
export const DOCS_CSP: Directives = { ...appCsp(), 'img-src': ["'self'", 'data:'] };

export const cspHeader = (d: Directives) =>
  Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');

const BASE: FastifyHelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: appCsp() },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
  // browsers ignore it over plain HTTP; no includeSubDomains: other sites of the domain are not ours to bind
  strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
};

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, BASE);
}

/** Route options of a page that may be framed by `ancestors` (e.g. a web form on a client's site). */
export function embeddable(ancestors: string[] = ['*']): NonNullable<FastifyHelmetOptions> {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { ...appCsp(), 'frame-ancestors': ancestors } },
    frameguard: false,
  };
}

/** Route options of the web app's index.html: the app policy plus the hashes of its inline scripts. */
export function indexHtmlHelmet(html: string): NonNullable<FastifyHelmetOptions> {
  return { contentSecurityPolicy: { useDefaults: false, directives: appCsp(inlineScriptHashes(html)) } };
}

/** `'sha256-…'` sources for every inline `<script>` of a page, as the browser hashes them. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
}
