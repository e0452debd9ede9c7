import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { noContent } from '../../server/http/responses.js';
import { applyBody, dryRunBody, logQuery, recordRunsParams, robotCreateBody, robotIdParams, robotPatchBody, robotsQuery, runsQuery } from './automation.schema.js';
import { applyResultSchema, dryRunSchema, robotSchema, robotTypeSchema, runPageSchema, runSchema } from './automation.responses.js';
import { triggerFiringSchema } from './triggers/triggers.responses.js';
import { asLocale } from '../../shared/locale.js';

const tags = ['automation'];
const dealAutomationSchema = runPageSchema
  .extend({ triggers: z.array(triggerFiringSchema).meta({ description: 'the latest 50 firings of triggers for this deal, newest first' }) })
  .meta({ id: 'DealAutomation' });

export const automationRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const automation = ctx.services.automation;

  app.get('/automation/robot-types', { schema: { tags, description: 'The robot types this server knows, with the JSON Schema of their parameters.', response: { 200: z.array(robotTypeSchema) } } }, async (req) => {
    const actor = actorOf(req);
    const profile = await ctx.services.users.getProfile(actor.workspaceId, actor.userId);
    return automation.types(asLocale(profile?.locale));
  });

  app.get('/automation/robots', { schema: { tags, querystring: robotsQuery, description: 'The robots of every stage of a pipeline, in order.', response: { 200: z.array(robotSchema) } } }, async (req) =>
    automation.listRobots(actorOf(req), 'pipelineId' in req.query ? req.query.pipelineId : null),
  );
  app.post('/automation/robots', { schema: { tags, body: robotCreateBody, response: { 201: robotSchema } } }, async (req, reply) =>
    reply.status(201).send(await automation.createRobot(actorOf(req), req.body)),
  );
  app.get('/automation/robots/:id', { schema: { tags, params: robotIdParams, response: { 200: robotSchema } } }, async (req) => automation.getRobot(actorOf(req), req.params.id));
  app.patch('/automation/robots/:id', { schema: { tags, params: robotIdParams, body: robotPatchBody, response: { 200: robotSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return automation.updateRobot(actorOf(req), req.params.id, patch, expectedVersion(req, version));
  });
  app.delete('/automation/robots/:id', { schema: { tags, params: robotIdParams, response: { 204: noContent } } }, async (req, reply) => {
    await automation.deleteRobot(actorOf(req), req.params.id);
    return reply.status(204).send();
  });
  app.post('/automation/robots/:id/dry-run', { schema: { tags, params: robotIdParams, body: dryRunBody, description: 'What the robot would do on this deal now, doing nothing.', response: { 200: dryRunSchema } } }, async (req) =>
    automation.dryRun(actorOf(req), req.params.id, 'dealId' in req.body ? req.body.dealId : req.body.leadId),
  );
  app.post(
    '/automation/robots/:id/apply',
    { schema: { tags, params: robotIdParams, body: applyBody, description: 'Runs the robot for the deals already in its stage (`preview`: only count them).', response: { 200: applyResultSchema } } },
    async (req) => automation.applyToExisting(actorOf(req), req.params.id, req.body.preview),
  );

  app.get(
    '/deals/:id/automation',
    {
      schema: {
        tags,
        params: recordRunsParams,
        querystring: runsQuery,
        description: 'The deal’s Automation tab: every robot run that concerned it (paged), and the latest trigger firings.',
        response: { 200: dealAutomationSchema },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const runs = await automation.recordRuns(actor, 'deal', req.params.id, req.query.limit ?? 50, req.query.cursor);
      return { ...runs, triggers: await ctx.services.triggers.dealFirings(actor, req.params.id) };
    },
  );
  app.get('/leads/:id/automation', { schema: { tags, params: recordRunsParams, querystring: runsQuery, description: 'The lead’s Automation tab: every robot run of its statuses.', response: { 200: runPageSchema } } }, async (req) =>
    automation.recordRuns(actorOf(req), 'lead', req.params.id, req.query.limit ?? 50, req.query.cursor),
  );
  app.get('/automation/runs', { schema: { tags, querystring: logQuery, description: 'The workspace’s automation log (those with automation.manage).', response: { 200: runPageSchema } } }, async (req) =>
    automation.log(actorOf(req), req.query),
  );
  app.post('/automation/runs/:id/retry', { schema: { tags, params: robotIdParams, response: { 200: runSchema } } }, async (req) => automation.retryNow(actorOf(req), req.params.id));
};
