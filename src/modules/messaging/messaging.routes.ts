import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { expectedVersion } from '../../server/http/version.js';
import { messagingSettingsPatchSchema, testEmailBody, testSmsBody } from './messaging.schema.js';
import { messagingSettingsSchema, messagingTestResultSchema } from './messaging.responses.js';

export const messagingRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const svc = ctx.services.messaging;
  const tags = ['messaging'];

  app.get('/settings/messaging', { schema: { tags, response: { 200: messagingSettingsSchema } } }, async (req) => svc.getSettings(actorOf(req)));

  app.patch('/settings/messaging', { schema: { tags, body: messagingSettingsPatchSchema, response: { 200: messagingSettingsSchema } } }, async (req) => {
    const { version, ...patch } = req.body;
    return svc.updateSettings(actorOf(req), patch, expectedVersion(req, version));
  });

  app.post('/settings/messaging/test-email', { schema: { tags, body: testEmailBody, response: { 200: messagingTestResultSchema } } }, async (req) =>
    svc.sendTestEmail(actorOf(req), req.body.to),
  );

  app.post('/settings/messaging/test-sms', { schema: { tags, body: testSmsBody, response: { 200: messagingTestResultSchema } } }, async (req) =>
    svc.sendTestSms(actorOf(req), req.body.to),
  );
};
