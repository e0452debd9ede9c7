import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import { companyListQuery, createCompanyBody, updateCompanyBody } from './companies.schema.js';
import { commentBody, mergeBody, timelineQuery } from './contacts.schema.js';
import { companyPageSchema, companySchema, companyWithDuplicatesSchema } from './contacts.responses.js';
import { timelineEntrySchema, timelinePageSchema } from '../timeline/timeline.responses.js';
import { noContent } from '../../server/http/responses.js';

const params = z.object({ id: idParam });
const tags = ['companies'];

export const companiesRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const companies = ctx.services.companies;

  app.get('/companies', { schema: { tags, querystring: companyListQuery, response: { 200: companyPageSchema } } }, async (req) => companies.list(actorOf(req), req.query));

  app.post('/companies', { schema: { tags, body: createCompanyBody, response: { 201: companyWithDuplicatesSchema } } }, async (req, reply) => reply.status(201).send(await companies.create(actorOf(req), req.body)));

  app.get('/companies/:id', { schema: { tags, params, response: { 200: companySchema } } }, async (req) => companies.get(actorOf(req), req.params.id));

  app.patch('/companies/:id', { schema: { tags, params, body: updateCompanyBody, response: { 200: companySchema } } }, async (req) =>
    companies.update(actorOf(req), req.params.id, req.body, expectedVersion(req, req.body.version)),
  );

  app.delete('/companies/:id', { schema: { tags, params, response: { 204: noContent } } }, async (req, reply) => {
    await companies.remove(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.post('/companies/:id/merge', { schema: { tags, params, body: mergeBody, response: { 200: companySchema } } }, async (req) => companies.merge(actorOf(req), req.params.id, req.body.sourceId));

  app.get('/companies/:id/timeline', { schema: { tags, params, querystring: timelineQuery, response: { 200: timelinePageSchema } } }, async (req) =>
    companies.timeline(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post('/companies/:id/timeline', { schema: { tags, params, body: commentBody, response: { 201: timelineEntrySchema } } }, async (req, reply) =>
    reply.status(201).send(await companies.comment(actorOf(req), req.params.id, req.body.text)),
  );
};
