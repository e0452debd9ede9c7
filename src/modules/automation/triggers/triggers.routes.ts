import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../server/context.js';
import { actorOf } from '../../../server/authenticate.js';
import { expectedVersion } from '../../../server/http/version.js';
import { noContent } from '../../../server/http/responses.js';
import { asLocale } from '../../../shared/locale.js';
import { hookBody, hookParams, triggerCreateBody, triggerIdParams, triggerPatchBody, triggersQuery } from './triggers.schema.js';
import { hookResultSchema, triggerSchema, triggerTypeSchema } from './triggers.responses.js';
import { HOOK_PATH } from './triggers.service.js';

const tags = ['automation'];

export const triggersRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const triggers = ctx.services.triggers;

  app.get('/automation/trigger-types', { schema: { tags, description: 'The trigger types this server knows, with the JSON Schema of their parameters.', response: { 200: z.array(triggerTypeSchema) } } }, async (req) => {
    const actor = actorOf(req);
    const profile = await ctx.services.users.getProfile(actor.workspaceId, actor.userId);
    return triggers.types(asLocale(profile?.locale));
  });
  app.get('/automation/triggers', { schema: { tags, querystring: triggersQuery, description: 'The triggers of every stage of a pipeline (those with automation.manage).', response: { 200: z.array(triggerSchema) } } }, async (req) =>
    triggers.list(actorOf(req), req.query.pipelineId),
  );
  app.post('/automation/triggers', { schema: { tags, body: triggerCreateBody, response: { 201: triggerSchema } } }, async (req, reply) =>
    reply.status(201).send(await triggers.create(actorOf(req), req.body)),
  );
  app.get('/automation/triggers/:id', { schema: { tags, params: triggerIdParams, response: { 200: triggerSchema } } }, async (req) => triggers.get(actorOf(req), req.params.id));
  app.patch('/automation/triggers/:id', { schema: { tags, params: triggerIdParams, body: triggerPatchBody, response: { 200: triggerSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return triggers.update(actorOf(req), req.params.id, patch, expectedVersion(req, version));
  });
  app.delete('/automation/triggers/:id', { schema: { tags, params: triggerIdParams, response: { 204: noContent } } }, async (req, reply) => {
    await triggers.delete(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  // no session: the secret in the URL is the credential (rate-limited, compared in constant time);
  // the request log shows the route, never the token
  app.post(
    '/automation/hooks/:token',
    {
      childLoggerFactory: (logger, bindings, opts) =>
        logger.child(bindings, { ...opts, serializers: { ...opts.serializers, req: (req: { method?: string; ip?: string }) => ({ method: req.method, url: `${HOOK_PATH}…`, remoteAddress: req.ip }) } }),
      schema: { tags, params: hookParams, body: hookBody, description: 'An inbound webhook trigger: moves the deal `dealId` to the trigger’s stage. No session; the token is the secret.', response: { 200: hookResultSchema } },
    },
    async (req) => triggers.hook(req.params.token, req.body.dealId, req.ip),
  );
};
