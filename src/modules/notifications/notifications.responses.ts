import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { NOTIFICATION_ENTITIES, NOTIFICATION_KINDS } from './kinds.js';

// zod schemas of the notifications API's answers, named for the OpenAPI document.

export const notificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string(),
    body: z.string().nullable(),
    /** the record it is about (shown only while the user may read it) */
    entity: z.object({ type: z.enum(NOTIFICATION_ENTITIES), id: z.number().int() }).nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export const notificationPageSchema = pageOf(notificationSchema);

export const unreadCountSchema = z.object({ count: z.number().int() }).meta({ id: 'NotificationUnreadCount' });

export const markReadResultSchema = z.object({ updated: z.number().int(), unreadCount: z.number().int() }).meta({ id: 'NotificationsMarkReadResult' });

export const notificationPreferencesSchema = z
  .object({ email: z.object(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean()])) as Record<(typeof NOTIFICATION_KINDS)[number], z.ZodBoolean>) })
  .meta({ id: 'NotificationPreferences' });

/** GET /notifications/stream answers text/event-stream, not JSON */
export const notificationStreamSchema = z.string().meta({
  description: 'text/event-stream: `retry:` hint, then `event: unread` with data `{"count":n}` on connect and on every change, and `: heartbeat` comments every 25 s',
});
