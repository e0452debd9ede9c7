import { z } from 'zod';
import { boolParam, idParam, limitSchema } from '../../server/http/list-query.js';
import { NOTIFICATION_KINDS } from './kinds.js';

// zod schemas of the notifications API (request side).

export const listNotificationsQuery = z.strictObject({
  unreadOnly: boolParam.optional(),
  limit: limitSchema,
  cursor: z.string().max(1000).optional(),
});

/** POST /notifications/read: `{ ids: [...] }` or `{ all: true }` */
export const markReadBody = z
  .strictObject({
    ids: z.array(idParam).min(1).max(500).optional(),
    all: z.literal(true).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.ids === undefined) === (v.all === undefined)) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or all: true' });
  });

const emailKinds = z.strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean().optional()])) as Record<(typeof NOTIFICATION_KINDS)[number], z.ZodOptional<z.ZodBoolean>>);

/** PUT /notifications/preferences: the kinds given change, the others stay */
export const putPreferencesBody = z.strictObject({ email: emailKinds });
