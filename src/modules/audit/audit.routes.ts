import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { idParam, limitSchema } from '../../server/http/list-query.js';
import { AUDIT_ENTITIES } from './audit.service.js';
import { auditPageSchema } from './audit.responses.js';

const listQuery = z.strictObject({
  limit: limitSchema,
  cursor: z.string().max(1000).optional(),
  entityType: z.enum(AUDIT_ENTITIES).optional(),
  entityId: idParam.optional(),
  actorId: idParam.optional(),
});

/** GET /audit-log: administrators only. */
export const auditRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.get('/audit-log', { schema: { tags: ['audit'], querystring: listQuery, response: { 200: auditPageSchema } } }, async (req) => ctx.services.audit.list(actorOf(req), req.query));
};
