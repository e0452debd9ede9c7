import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { limitSchema } from '../../server/http/list-query.js';
import {
  boardColumnParams,
  boardColumnQuery,
  boardParams,
  boardQuery,
  commentBody,
  dealCreateBody,
  dealListQuery,
  dealMoveBody,
  dealPatchBody,
  idParams,
  productRowsBody,
} from './deals.schema.js';
import { boardColumnPageSchema, boardSchema, dealPageSchema, dealProductsSchema, dealSchema, stageHistorySchema } from './deals.responses.js';
import { timelineEntrySchema, timelinePageSchema } from '../timeline/timeline.responses.js';
import { noContent } from '../../server/http/responses.js';

const tags = ['deals'];
const timelineQuery = z.strictObject({ limit: limitSchema, cursor: z.string().max(1000).optional() });
const deleteQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

/** Deals and the board (GET /pipelines/{id}/board…, which reads deals). */
export const dealsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const deals = ctx.services.deals;

  app.get('/deals', { schema: { tags, querystring: dealListQuery, response: { 200: dealPageSchema } } }, async (req) => deals.list(actorOf(req), req.query));

  app.post('/deals', { schema: { tags, body: dealCreateBody, response: { 201: dealSchema } } }, async (req, reply) => reply.status(201).send(await deals.create(actorOf(req), req.body)));

  app.get('/deals/:id', { schema: { tags, params: idParams, response: { 200: dealSchema } } }, async (req) => deals.get(actorOf(req), req.params.id));

  app.patch('/deals/:id', { schema: { tags, params: idParams, body: dealPatchBody, response: { 200: dealSchema } } }, async (req) => {
    const { version, ...changes } = req.body;
    return deals.update(actorOf(req), req.params.id, changes, expectedVersion(req, version));
  });

  app.delete('/deals/:id', { schema: { tags, params: idParams, querystring: deleteQuery, response: { 204: noContent } } }, async (req, reply) => {
    await deals.delete(actorOf(req), req.params.id, req.query.version);
    return reply.status(204).send();
  });

  app.post('/deals/:id/move', { schema: { tags, params: idParams, body: dealMoveBody, response: { 200: dealSchema } } }, async (req) => deals.move(actorOf(req), req.params.id, req.body));

  app.get('/deals/:id/products', { schema: { tags, params: idParams, response: { 200: dealProductsSchema } } }, async (req) => deals.getProducts(actorOf(req), req.params.id));

  app.put('/deals/:id/products', { schema: { tags, params: idParams, body: productRowsBody, response: { 200: dealProductsSchema } } }, async (req) =>
    deals.replaceProducts(actorOf(req), req.params.id, req.body.rows, req.body.version),
  );

  app.get('/deals/:id/stage-history', { schema: { tags, params: idParams, response: { 200: stageHistorySchema } } }, async (req) => ({ items: await deals.stageHistory(actorOf(req), req.params.id) }));

  app.get('/deals/:id/timeline', { schema: { tags, params: idParams, querystring: timelineQuery, response: { 200: timelinePageSchema } } }, async (req) =>
    deals.timeline(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post('/deals/:id/timeline', { schema: { tags, params: idParams, body: commentBody, response: { 201: timelineEntrySchema } } }, async (req, reply) =>
    reply.status(201).send(await deals.comment(actorOf(req), req.params.id, req.body.text)),
  );

  app.get('/pipelines/:id/board', { schema: { tags, params: boardParams, querystring: boardQuery, response: { 200: boardSchema } } }, async (req) => {
    const { limit, ...filters } = req.query;
    return deals.board(actorOf(req), req.params.id, filters, limit);
  });

  app.get('/pipelines/:id/board/:stageId', { schema: { tags, params: boardColumnParams, querystring: boardColumnQuery, response: { 200: boardColumnPageSchema } } }, async (req) => {
    const { limit, cursor, ...filters } = req.query;
    return deals.boardColumn(actorOf(req), req.params.id, req.params.stageId, filters, limit, cursor);
  });
};
