import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import { commentBody, contactListQuery, createContactBody, mergeBody, timelineQuery, updateContactBody } from './contacts.schema.js';
import { contactPageSchema, contactSchema, contactWithDuplicatesSchema } from './contacts.responses.js';
import { timelineEntrySchema, timelinePageSchema } from '../timeline/timeline.responses.js';
import { noContent } from '../../server/http/responses.js';

const params = z.object({ id: idParam });
const tags = ['contacts'];

export const contactsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const contacts = ctx.services.contacts;

  app.get('/contacts', { schema: { tags, querystring: contactListQuery, response: { 200: contactPageSchema } } }, async (req) => contacts.list(actorOf(req), req.query));

  app.post('/contacts', { schema: { tags, body: createContactBody, response: { 201: contactWithDuplicatesSchema } } }, async (req, reply) => reply.status(201).send(await contacts.create(actorOf(req), req.body)));

  app.get('/contacts/:id', { schema: { tags, params, response: { 200: contactSchema } } }, async (req) => contacts.get(actorOf(req), req.params.id));

  app.patch('/contacts/:id', { schema: { tags, params, body: updateContactBody, response: { 200: contactSchema } } }, async (req) =>
    contacts.update(actorOf(req), req.params.id, req.body, expectedVersion(req, req.body.version)),
  );

  app.delete('/contacts/:id', { schema: { tags, params, response: { 204: noContent } } }, async (req, reply) => {
    await contacts.remove(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.post('/contacts/:id/merge', { schema: { tags, params, body: mergeBody, response: { 200: contactSchema } } }, async (req) => contacts.merge(actorOf(req), req.params.id, req.body.sourceId));

  app.get('/contacts/:id/timeline', { schema: { tags, params, querystring: timelineQuery, response: { 200: timelinePageSchema } } }, async (req) =>
    contacts.timeline(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post('/contacts/:id/timeline', { schema: { tags, params, body: commentBody, response: { 201: timelineEntrySchema } } }, async (req, reply) =>
    reply.status(201).send(await contacts.comment(actorOf(req), req.params.id, req.body.text)),
  );
};
