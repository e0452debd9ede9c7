import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { noContent } from '../../server/http/responses.js';
import { daysQuerySchema, overrideBodySchema, overrideParams, workingCalendarPatchSchema, yearBodySchema, yearParams } from './working-calendar.schema.js';
import { workingCalendarDaysSchema, workingCalendarOverrideSchema, workingCalendarSchema, workingCalendarYearSchema } from './working-calendar.responses.js';

const tags = ['working-calendar'];
const base = '/settings/working-calendar';

export const workingCalendarRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const calendar = ctx.services.workingCalendar;

  app.get(base, { schema: { tags, description: 'Working hours, exceptions and known decree years of the workspace.', response: { 200: workingCalendarSchema } } }, async (req) =>
    calendar.get(actorOf(req)),
  );

  app.patch(base, { schema: { tags, body: workingCalendarPatchSchema, response: { 200: workingCalendarSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return calendar.update(actorOf(req), patch, expectedVersion(req, version));
  });

  app.get(`${base}/days`, { schema: { tags, querystring: daysQuerySchema, description: 'Every date of the year with its kind and why.', response: { 200: workingCalendarDaysSchema } } }, async (req) =>
    calendar.days(actorOf(req), req.query.year),
  );

  app.put(`${base}/overrides/:date`, { schema: { tags, params: overrideParams, body: overrideBodySchema, response: { 200: workingCalendarOverrideSchema } } }, async (req) =>
    calendar.setOverride(actorOf(req), req.params.date, req.body),
  );

  app.delete(`${base}/overrides/:date`, { schema: { tags, params: overrideParams, response: { 204: noContent } } }, async (req, reply) => {
    await calendar.removeOverride(actorOf(req), req.params.date);
    return reply.status(204).send();
  });

  app.put(
    `${base}/years/:year`,
    { schema: { tags, params: yearParams, body: yearBodySchema, description: "Loads or replaces a year's decree; it wins over the built-in calendar.", response: { 200: workingCalendarYearSchema } } },
    async (req) => calendar.loadYear(actorOf(req), req.params.year, req.body),
  );
};
