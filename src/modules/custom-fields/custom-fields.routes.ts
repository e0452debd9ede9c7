import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import { createFieldBody, listFieldsQuery, updateFieldBody } from './custom-fields.schema.js';
import { customFieldListSchema, customFieldSchema } from './custom-fields.responses.js';
import { noContent } from '../../server/http/responses.js';

const idParams = z.object({ id: idParam });

export const customFieldsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const tags = ['custom-fields'];

  app.get('/custom-fields', { schema: { tags, querystring: listFieldsQuery, response: { 200: customFieldListSchema } } }, async (req) => {
    const actor = actorOf(req);
    return { items: await ctx.services.customFields.list(actor.workspaceId, req.query.entity) };
  });

  app.get('/custom-fields/:id', { schema: { tags, params: idParams, response: { 200: customFieldSchema } } }, async (req) => {
    return ctx.services.customFields.get(actorOf(req).workspaceId, req.params.id);
  });

  app.post('/custom-fields', { schema: { tags, body: createFieldBody, response: { 201: customFieldSchema } } }, async (req, reply) => {
    return reply.status(201).send(await ctx.services.customFields.create(actorOf(req), req.body));
  });

  app.patch('/custom-fields/:id', { schema: { tags, params: idParams, body: updateFieldBody, response: { 200: customFieldSchema } } }, async (req) => {
    const actor = actorOf(req);
    return ctx.services.customFields.update(actor, req.params.id, req.body, expectedVersion(req, req.body.version));
  });

  app.delete('/custom-fields/:id', { schema: { tags, params: idParams, response: { 204: noContent } } }, async (req, reply) => {
    await ctx.services.customFields.delete(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
};
