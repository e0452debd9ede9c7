import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/authenticate.js';
import { listNotificationsQuery, markReadBody, putPreferencesBody } from './notifications.schema.js';
import { markReadResultSchema, notificationPageSchema, notificationPreferencesSchema, notificationStreamSchema, unreadCountSchema } from './notifications.responses.js';
import { NotificationStreams } from './notification-stream.js';

/** The user's own notifications: list, unread count, mark read, e-mail preferences, the live stream. */
export const notificationsRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const svc = ctx.services.notifications;
  const streams = new NotificationStreams(ctx);
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', async () => svc.bus.close());
  const tags = ['notifications'];

  app.get('/notifications', { schema: { tags, querystring: listNotificationsQuery, response: { 200: notificationPageSchema } } }, async (req) =>
    svc.list(actorOf(req), req.query),
  );
  app.get('/notifications/unread-count', { schema: { tags, response: { 200: unreadCountSchema } } }, async (req) => ({ count: await svc.unreadCount(actorOf(req)) }));
  app.post('/notifications/read', { schema: { tags, body: markReadBody, response: { 200: markReadResultSchema } } }, async (req) =>
    svc.markRead(actorOf(req), req.body.all ? 'all' : (req.body.ids ?? [])),
  );
  app.get('/notifications/preferences', { schema: { tags, response: { 200: notificationPreferencesSchema } } }, async (req) => svc.getPreferences(actorOf(req)));
  app.put('/notifications/preferences', { schema: { tags, body: putPreferencesBody, response: { 200: notificationPreferencesSchema } } }, async (req) =>
    svc.putPreferences(actorOf(req), req.body),
  );
  app.get(
    '/notifications/stream',
    { schema: { tags, querystring: z.strictObject({}), produces: ['text/event-stream'], response: { 200: notificationStreamSchema } } },
    async (req, reply) => {
      await streams.serve(req, reply, actorOf(req));
      return reply;
    },
  );
};
