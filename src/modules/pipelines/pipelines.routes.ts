import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { fieldInvalid } from '../../server/errors.js';
import { expectedVersion } from '../../server/http/version.js';
import {
  noQuery,
  pipelineCreateBody,
  pipelineParams,
  pipelinePatchBody,
  stageCreateBody,
  stageDeleteBody,
  stageDeleteQuery,
  stageParams,
  stagePatchBody,
  stageReorderBody,
} from './pipelines.schema.js';
import { pipelinePageSchema, pipelineSchema, stagePageSchema, stageSchema } from './pipelines.responses.js';
import { noContent } from '../../server/http/responses.js';

export const pipelinesRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const svc = ctx.services.pipelines;
  const tags = ['pipelines'];

  app.get('/pipelines', { schema: { tags, querystring: noQuery, response: { 200: pipelinePageSchema } } }, async (req) => {
    return { items: await svc.list(actorOf(req)), nextCursor: null };
  });

  app.post('/pipelines', { schema: { tags, body: pipelineCreateBody, response: { 201: pipelineSchema } } }, async (req, reply) => {
    return reply.status(201).send(await svc.create(actorOf(req), req.body));
  });

  app.get('/pipelines/:id', { schema: { tags, params: pipelineParams, querystring: noQuery, response: { 200: pipelineSchema } } }, async (req) => svc.get(actorOf(req), req.params.id));

  app.patch('/pipelines/:id', { schema: { tags, params: pipelineParams, body: pipelinePatchBody, response: { 200: pipelineSchema } } }, async (req) => {
    const { version, ...changes } = req.body;
    return svc.update(actorOf(req), req.params.id, changes, expectedVersion(req, version));
  });

  app.delete('/pipelines/:id', { schema: { tags, params: pipelineParams, response: { 204: noContent } } }, async (req, reply) => {
    await svc.remove(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.get('/pipelines/:id/stages', { schema: { tags, params: pipelineParams, querystring: noQuery, response: { 200: stagePageSchema } } }, async (req) => {
    const pipeline = await svc.get(actorOf(req), req.params.id);
    return { items: pipeline.stages, nextCursor: null };
  });

  app.post('/pipelines/:id/stages', { schema: { tags, params: pipelineParams, body: stageCreateBody, response: { 201: stageSchema } } }, async (req, reply) => {
    return reply.status(201).send(await svc.addStage(actorOf(req), req.params.id, req.body));
  });

  app.patch('/pipelines/:id/stages/:stageId', { schema: { tags, params: stageParams, body: stagePatchBody, response: { 200: stageSchema } } }, async (req) => {
    const { version, ...changes } = req.body;
    return svc.updateStage(actorOf(req), req.params.id, req.params.stageId, changes, expectedVersion(req, version));
  });

  app.post('/pipelines/:id/stages/reorder', { schema: { tags, params: pipelineParams, body: stageReorderBody, response: { 200: pipelineSchema } } }, async (req) => {
    return svc.reorderStages(actorOf(req), req.params.id, req.body.stageIds);
  });

  // The target for the stage's deals comes as ?moveTo= or in the body as moveToStageId.
  app.delete(
    '/pipelines/:id/stages/:stageId',
    { schema: { tags, params: stageParams, querystring: stageDeleteQuery, body: stageDeleteBody, response: { 204: noContent } } },
    async (req, reply) => {
      const fromQuery = req.query.moveTo;
      const fromBody = req.body?.moveToStageId;
      if (fromQuery !== undefined && fromBody !== undefined && fromQuery !== fromBody) {
        throw fieldInvalid('moveToStageId', 'differs from the moveTo query parameter; send one of them');
      }
      await svc.removeStage(actorOf(req), req.params.id, req.params.stageId, fromQuery ?? fromBody);
      return reply.status(204).send();
    },
  );
};
