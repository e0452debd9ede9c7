import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import { commentBody, contactListQuery, createContactBody, mergeBody, timelineQuery, updateContactBody } from './contacts.schema.js';

const params = z.object({ id: idParam });
const tags = ['contacts'];

export const contactsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const contacts = ctx.services.contacts;

  app.get('/contacts', { schema: { tags, querystring: contactListQuery } }, async (req) => contacts.list(actorOf(req), req.query));

  app.post('/contacts', { schema: { tags, body: createContactBody } }, async (req, reply) => reply.status(201).send(await contacts.create(actorOf(req), req.body)));

  app.get('/contacts/:id', { schema: { tags, params } }, async (req) => contacts.get(actorOf(req), req.params.id));

  app.patch('/contacts/:id', { schema: { tags, params, body: updateContactBody } }, async (req) =>
    contacts.update(actorOf(req), req.params.id, req.body, expectedVersion(req, req.body.version)),
  );

  app.delete('/contacts/:id', { schema: { tags, params } }, async (req, reply) => {
    await contacts.remove(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.post('/contacts/:id/merge', { schema: { tags, params, body: mergeBody } }, async (req) => contacts.merge(actorOf(req), req.params.id, req.body.sourceId));

  app.get('/contacts/:id/timeline', { schema: { tags, params, querystring: timelineQuery } }, async (req) =>
    contacts.timeline(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post('/contacts/:id/timeline', { schema: { tags, params, body: commentBody } }, async (req, reply) =>
    reply.status(201).send(await contacts.comment(actorOf(req), req.params.id, req.body.text)),
  );
};
