import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf, SESSION_COOKIE, SIGNED_IN_COOKIE } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { unauthenticated } from '../../server/errors.js';
import { levelFor } from '../permissions/actor.js';
import { ACTIONS, ENTITIES, type LevelTable } from '../permissions/levels.js';
import { apiTokenListSchema, createdApiTokenSchema, loginSchema, meSchema } from './auth.responses.js';
import { noContent } from '../../server/http/responses.js';

const loginBody = z.strictObject({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(1024) });

export const authRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const cookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure });

  app.post('/auth/login', { schema: { tags: ['auth'], body: loginBody, response: { 200: loginSchema } } }, async (req, reply) => {
    const res = await ctx.services.auth.login(req.body.email, req.body.password, req.ip);
    const maxAge = 14 * 24 * 3600;
    reply.setCookie(SESSION_COOKIE, res.sessionToken, { ...cookieOptions(req.protocol === 'https'), maxAge });
    reply.setCookie(SIGNED_IN_COOKIE, '1', { ...cookieOptions(req.protocol === 'https'), httpOnly: false, maxAge });
    const user = await ctx.services.users.getProfile(res.workspaceId, res.userId);
    if (!user) throw unauthenticated();
    return { user, csrfToken: res.csrfToken };
  });

  app.post('/auth/logout', { schema: { tags: ['auth'], body: z.strictObject({ everywhere: z.boolean().optional() }).optional(), response: { 204: noContent } } }, async (req, reply) => {
    const actor = actorOf(req);
    if (req.body?.everywhere) await ctx.services.auth.logoutEverywhere(actor);
    else if (req.auth?.sessionId) await ctx.services.auth.logout(req.auth.sessionId);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req.protocol === 'https'));
    reply.clearCookie(SIGNED_IN_COOKIE, { ...cookieOptions(req.protocol === 'https'), httpOnly: false });
    return reply.status(204).send();
  });

  app.get('/auth/me', { schema: { tags: ['auth'], response: { 200: meSchema } } }, async (req) => {
    const actor = actorOf(req);
    const user = await ctx.services.users.getProfile(actor.workspaceId, actor.userId);
    if (!user) throw unauthenticated();
    const permissions = Object.fromEntries(ENTITIES.map((e) => [e, Object.fromEntries(ACTIONS.map((a) => [a, levelFor(actor, e, a)]))])) as LevelTable;
    return {
      user,
      csrfToken: req.auth?.csrfToken ?? null,
      permissions: { isAdmin: actor.isAdmin, capabilities: [...actor.capabilities], entities: permissions, dealPipelines: Object.fromEntries(actor.dealPipelines) },
    };
  });

  app.post(
    '/auth/password',
    { schema: { tags: ['auth'], body: z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }), response: { 204: noContent } } },
    async (req, reply) => {
      await ctx.services.auth.changePassword(actorOf(req), req.body.currentPassword, req.body.newPassword, req.auth?.sessionId ?? null, req.ip);
      return reply.status(204).send();
    },
  );

  app.get('/api-tokens', { schema: { tags: ['auth'], response: { 200: apiTokenListSchema } } }, async (req) => ({ items: await ctx.services.auth.listApiTokens(actorOf(req)) }));

  app.post('/api-tokens', { schema: { tags: ['auth'], body: z.strictObject({ name: z.string().trim().min(1).max(200) }), response: { 201: createdApiTokenSchema } } }, async (req, reply) => {
    return reply.status(201).send(await ctx.services.auth.createApiToken(actorOf(req), req.body.name));
  });

  app.delete('/api-tokens/:id', { schema: { tags: ['auth'], params: z.object({ id: idParam }), response: { 204: noContent } } }, async (req, reply) => {
    await ctx.services.auth.revokeApiToken(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
};
