import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { workspacePatchSchema, workspaceSchema } from './workspaces.schema.js';

export const workspacesRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/workspace', { schema: { tags: ['workspace'], response: { 200: workspaceSchema } } }, async (req) => ctx.services.workspaces.get(actorOf(req)));

  app.patch('/workspace', { schema: { tags: ['workspace'], body: workspacePatchSchema, response: { 200: workspaceSchema } } }, async (req) => {
    const actor = actorOf(req);
    const { version, ...patch } = req.body;
    return ctx.services.workspaces.update(actor, patch, expectedVersion(req, version));
  });
};
