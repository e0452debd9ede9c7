import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { requireAdmin } from '../permissions/actor.js';

const health = z.object({
  due: z.int().describe('pending jobs whose run time has come'),
  scheduled: z.int().describe('pending jobs waiting for their run time'),
  running: z.int(),
  retrying: z.int().describe('of the pending ones: waiting for a retry after a failure'),
  failed: z.int().describe('failed for good and not yet pruned'),
  oldestDueAt: z.string().nullable().describe('run time of the oldest due job'),
  oldestDueLagMs: z.int().describe('how long the oldest due job has waited past its run time; 0 when none is due'),
});

/** GET /jobs: the health of the workspace's background job queue (src/jobs), for administrators. */
export const queueRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/jobs', { schema: { tags: ['jobs'], querystring: z.strictObject({}), description: "The health of the workspace's job queue (administrators).", response: { 200: health } } }, async (req) => {
    const actor = actorOf(req);
    requireAdmin(actor);
    return ctx.services.jobs.health({ workspaceId: actor.workspaceId });
  });
};
