import type { FastifyInstance, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { AppContext } from './context.js';
import { AppError, unauthenticated } from './errors.js';
import type { Authenticated } from '../modules/auth/auth.service.js';
import type { Actor } from '../modules/permissions/actor.js';

export const SESSION_COOKIE = 'voronka_session';
/**
 * A cookie the web app can read (not httpOnly, no secret in it: "1") saying that a session cookie
 * was set: without it the app and index.html's early requests do not ask GET /auth/me and the
 * other first-screen reads, which for an anonymous visitor are 401s (errors in the console of
 * the log-in page). It lives and goes with the session cookie.
 */
export const SIGNED_IN_COOKIE = 'voronka_signed_in';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Resolves the caller from the session cookie or a Bearer token on every /api/v1 request.
 * Cookie-authenticated writes must carry the session's CSRF token; token calls need none,
 * as a browser never attaches an Authorization header on its own.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      req.auth = m ? await ctx.services.auth.authenticateToken(m[1]!) : null;
      if (!req.auth) throw unauthenticated('The API token is invalid or revoked');
      return;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (!cookie) return;
    req.auth = await ctx.services.auth.authenticateSession(cookie);
    if (req.auth && UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, req.auth.csrfToken ?? '')) {
        throw new AppError(403, 'forbidden', 'Missing or wrong X-CSRF-Token header');
      }
    }
  });
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.auth) throw unauthenticated();
  return req.auth.actor;
}
