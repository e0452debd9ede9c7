import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { itemCreateBody, itemParams, itemPatchBody, listParams, listQuery } from './reference-lists.schema.js';
import { parseKind } from './reference-lists.service.js';
import { referenceItemPageSchema, referenceItemSchema } from './reference-lists.responses.js';
import { noContent } from '../../server/http/responses.js';

export const referenceListsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const svc = ctx.services.referenceLists;
  const tags = ['reference-lists'];

  app.get('/reference-lists/:kind/items', { schema: { tags, params: listParams, querystring: listQuery, response: { 200: referenceItemPageSchema } } }, async (req) => {
    const actor = actorOf(req);
    return { items: await svc.list(actor, parseKind(req.params.kind), req.query.includeInactive ?? false), nextCursor: null };
  });

  app.post('/reference-lists/:kind/items', { schema: { tags, params: listParams, body: itemCreateBody, response: { 201: referenceItemSchema } } }, async (req, reply) => {
    const actor = actorOf(req);
    return reply.status(201).send(await svc.create(actor, parseKind(req.params.kind), req.body));
  });

  app.patch('/reference-lists/:kind/items/:id', { schema: { tags, params: itemParams, body: itemPatchBody, response: { 200: referenceItemSchema } } }, async (req) => {
    const actor = actorOf(req);
    const { version, ...changes } = req.body;
    return svc.update(actor, parseKind(req.params.kind), req.params.id, changes, expectedVersion(req, version));
  });

  app.delete('/reference-lists/:kind/items/:id', { schema: { tags, params: itemParams, response: { 204: noContent } } }, async (req, reply) => {
    const actor = actorOf(req);
    await svc.deactivate(actor, parseKind(req.params.kind), req.params.id);
    return reply.status(204).send();
  });
};
