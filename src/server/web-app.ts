import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { indexHtmlHelmet } from './security-headers.js';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:web` puts the web app. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

// Vite names built assets with a content hash (assets/index-DCoyt2Qa.js): they never change, so
// browsers may keep them for a year. index.html names the current ones, so it is revalidated on
// every load; other files (favicon) get an hour.
const HASHED = /^\/assets\//;
const IMMUTABLE = 'public, max-age=31536000, immutable';

function wantsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') || accept.includes('*/*') || accept === '';
}

/**
 * Serves the built React app at `/`: files from web/dist (with their `.br`/`.gz` twins when the
 * browser accepts them), and index.html for any other GET that is not under /api and accepts
 * HTML, so that client-side routes such as /deals/42 load the app (SPA fallback). Everything else
 * falls through to the JSON 404 of the error handler.
 *
 * Without a build (e.g. the API integration tests) `/` answers with a short note on how to build it.
 */
export async function registerWebApp(app: FastifyInstance, root: string = WEB_DIST_DIR): Promise<void> {
  const built = existsSync(join(root, 'index.html'));
  if (!built) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>Voronka</title><p>The web app is not built yet: run <code>npm run build:web</code> (or <code>npm start</code>, which builds it).</p><p>API docs: <a href="/api/docs">/api/docs</a></p>'),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root,
    serve: false, // only reply.sendFile(); the routing (and the fallback) is ours
    preCompressed: true,
    cacheControl: false,
    etag: true,
    lastModified: true,
    dotfiles: 'deny',
  });

  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = decodeSafe(req.url.split('?')[0] ?? '/');
    if (path === null) return reply.callNotFound();
    if (path.startsWith('/api/') || path === '/api') return reply.callNotFound();

    const rel = normalize(path).replace(/^[/\\]+/, '');
    if (rel && !rel.split(sep).some((part) => part === '..' || part.startsWith('.')) && isFile(join(root, rel))) {
      if (rel === 'index.html') return sendIndex(reply);
      reply.header('cache-control', HASHED.test(path) ? IMMUTABLE : 'public, max-age=3600');
      return reply.sendFile(rel);
    }
    // a missing hashed asset is a real 404 (an old tab after a release), not the app
    if (HASHED.test(path) || !wantsHtml(req)) return reply.callNotFound();
    return sendIndex(reply);
  };
  // index.html's inline script (early requests) is allowed by its hash, read from the build
  const helmet = indexHtmlHelmet(readFileSync(join(root, 'index.html'), 'utf8'));
  app.get('/', { schema: { hide: true }, helmet }, handler);
  app.get('/*', { schema: { hide: true }, helmet }, handler);
}

function decodeSafe(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
