import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam, limitSchema, repeatable } from '../../server/http/list-query.js';
import { BIN_ENTITIES } from './recycle-bin.service.js';
import { binPageSchema } from './recycle-bin.responses.js';
import { noContent } from '../../server/http/responses.js';

const tags = ['recycle-bin'];
const entityType = z.enum(BIN_ENTITIES);
const listQuery = z.strictObject({ limit: limitSchema, cursor: z.string().max(1000).optional(), entityType: repeatable(entityType, 4) });
const itemParams = z.object({ entityType, id: idParam });

/** GET /recycle-bin, POST /recycle-bin/{entityType}/{id}/restore, DELETE /recycle-bin/{entityType}/{id} (administrators). */
export const recycleBinRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const bin = ctx.services.recycleBin;
  app.get('/recycle-bin', { schema: { tags, querystring: listQuery, response: { 200: binPageSchema } } }, async (req) => bin.list(actorOf(req), req.query));
  app.post('/recycle-bin/:entityType/:id/restore', { schema: { tags, params: itemParams, response: { 204: noContent } } }, async (req, reply) => {
    await bin.restore(actorOf(req), req.params.entityType, req.params.id);
    return reply.status(204).send();
  });
  app.delete('/recycle-bin/:entityType/:id', { schema: { tags, params: itemParams, response: { 204: noContent } } }, async (req, reply) => {
    await bin.purge(actorOf(req), req.params.entityType, req.params.id);
    return reply.status(204).send();
  });
};
