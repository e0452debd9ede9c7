import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam } from '../../server/http/list-query.js';
import { expectedVersion } from '../../server/http/version.js';
import {
  commentSchema,
  leadBoardColumnQuerySchema,
  leadBoardQuerySchema,
  leadConvertSchema,
  leadCreateSchema,
  leadIdParams,
  leadListQuerySchema,
  leadPatchSchema,
  timelineQuerySchema,
  type LeadFilters,
} from './leads.schema.js';
import { leadBoardColumnSchema, leadBoardSchema, leadConversionSchema, leadPageSchema, leadSchema, leadWithDuplicatesSchema, statusHistorySchema } from './leads.responses.js';
import { timelineEntrySchema, timelinePageSchema } from '../timeline/timeline.responses.js';
import { noContent } from '../../server/http/responses.js';

const tags = ['leads'];

export const leadsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const leads = ctx.services.leads;

  app.get('/leads', { schema: { tags, querystring: leadListQuerySchema, response: { 200: leadPageSchema } } }, async (req) => leads.list(actorOf(req), req.query));

  app.post('/leads', { schema: { tags, body: leadCreateSchema, response: { 201: leadWithDuplicatesSchema } } }, async (req, reply) => reply.status(201).send(await leads.create(actorOf(req), req.body)));

  app.get('/leads/board', { schema: { tags, querystring: leadBoardQuerySchema, response: { 200: leadBoardSchema } } }, async (req) => {
    const { limit, ...filters } = req.query;
    return leads.board(actorOf(req), filters as LeadFilters, limit);
  });

  app.get('/leads/board/:statusId', { schema: { tags, params: z.object({ statusId: idParam }), querystring: leadBoardColumnQuerySchema, response: { 200: leadBoardColumnSchema } } }, async (req) => {
    const { limit, cursor, ...filters } = req.query;
    return leads.boardColumn(actorOf(req), req.params.statusId, filters as LeadFilters, limit, cursor);
  });

  app.get('/leads/:id', { schema: { tags, params: leadIdParams, response: { 200: leadSchema } } }, async (req) => leads.get(actorOf(req), req.params.id));

  app.patch('/leads/:id', { schema: { tags, params: leadIdParams, body: leadPatchSchema, response: { 200: leadSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return leads.update(actorOf(req), req.params.id, patch, expectedVersion(req, version));
  });

  app.delete('/leads/:id', { schema: { tags, params: leadIdParams, response: { 204: noContent } } }, async (req, reply) => {
    await leads.remove(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.get('/leads/:id/status-history', { schema: { tags, params: leadIdParams, response: { 200: statusHistorySchema } } }, async (req) => ({ items: await leads.statusHistory(actorOf(req), req.params.id) }));

  app.get('/leads/:id/timeline', { schema: { tags, params: leadIdParams, querystring: timelineQuerySchema, response: { 200: timelinePageSchema } } }, async (req) =>
    leads.timeline(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post('/leads/:id/timeline', { schema: { tags, params: leadIdParams, body: commentSchema, response: { 201: timelineEntrySchema } } }, async (req, reply) =>
    reply.status(201).send(await leads.comment(actorOf(req), req.params.id, req.body.text)),
  );

  app.post('/leads/:id/convert', { schema: { tags, params: leadIdParams, body: leadConvertSchema, response: { 200: leadConversionSchema } } }, async (req) =>
    leads.convert(actorOf(req), req.params.id, req.body),
  );
};
