import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { overdueControlPatchSchema } from './overdue-control.schema.js';
import { overdueControlSettingsSchema } from './overdue-control.responses.js';

const tags = ['overdue-control'];
const base = '/settings/overdue-control';

export const overdueControlRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const svc = ctx.services.overdueControl;

  app.get(base, { schema: { tags, description: 'The overdue-control rules and the daily digest time (administrators).', response: { 200: overdueControlSettingsSchema } } }, async (req) =>
    svc.get(actorOf(req)),
  );

  app.patch(base, { schema: { tags, body: overdueControlPatchSchema, response: { 200: overdueControlSettingsSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return svc.update(actorOf(req), patch, expectedVersion(req, version));
  });
};
