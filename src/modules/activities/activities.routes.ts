import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import {
  activityListQuery,
  cancelActivityBody,
  completeActivityBody,
  createActivityBody,
  ownerActivityListQuery,
  updateActivityBody,
  type OwnerType,
} from './activities.schema.js';
import { activityPageSchema, activitySchema } from './activities.responses.js';
import { noContent } from '../../server/http/responses.js';

const params = z.object({ id: idParam });
const deleteQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });
const tags = ['activities'];

/** The records whose cards list their activities, by URL segment. */
const OWNER_PATHS: Array<[string, OwnerType]> = [
  ['deals', 'deal'],
  ['leads', 'lead'],
  ['contacts', 'contact'],
  ['companies', 'company'],
];

export const activitiesRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const activities = ctx.services.activities;

  app.get('/activities', { schema: { tags, querystring: activityListQuery, response: { 200: activityPageSchema } } }, async (req) => activities.list(actorOf(req), req.query));

  app.post('/activities', { schema: { tags, body: createActivityBody, response: { 201: activitySchema } } }, async (req, reply) => reply.status(201).send(await activities.create(actorOf(req), req.body)));

  app.get('/activities/:id', { schema: { tags, params, response: { 200: activitySchema } } }, async (req) => activities.get(actorOf(req), req.params.id));

  app.patch('/activities/:id', { schema: { tags, params, body: updateActivityBody, response: { 200: activitySchema } } }, async (req) =>
    activities.update(actorOf(req), req.params.id, req.body, expectedVersion(req, req.body.version)),
  );

  app.delete('/activities/:id', { schema: { tags, params, querystring: deleteQuery, response: { 204: noContent } } }, async (req, reply) => {
    await activities.remove(actorOf(req), req.params.id, req.query.version);
    return reply.status(204).send();
  });

  app.post('/activities/:id/complete', { schema: { tags, params, body: completeActivityBody, response: { 200: activitySchema } } }, async (req) =>
    activities.complete(actorOf(req), req.params.id, req.body.result, req.body.version),
  );

  app.post('/activities/:id/cancel', { schema: { tags, params, body: cancelActivityBody, response: { 200: activitySchema } } }, async (req) =>
    activities.cancel(actorOf(req), req.params.id, req.body.version),
  );

  for (const [segment, entityType] of OWNER_PATHS) {
    app.get(`/${segment}/:id/activities`, { schema: { tags: [...tags, segment], params, querystring: ownerActivityListQuery, response: { 200: activityPageSchema } } }, async (req) =>
      activities.listForOwner(actorOf(req), entityType, req.params.id, req.query),
    );
  }
};
