import { z } from 'zod';

// zod schemas of the overdue-control API (response side), named for the OpenAPI document.

export const overdueControlSettingsSchema = z
  .object({
    activityEnabled: z.boolean(),
    activityNotifyAfterMinutes: z.number().int(),
    activityEscalateAfterMinutes: z.number().int().nullable(),
    dealIdleEnabled: z.boolean(),
    dealIdleDays: z.number().int(),
    dealIdleEscalate: z.boolean(),
    digestEnabled: z.boolean(),
    digestTime: z.string(),
    digestNoActivity: z.boolean(),
    /** the workspace's time zone, in which digestTime is read */
    timeZone: z.string(),
    /** when the next digest is due (ISO), null when the digest is off */
    nextDigestAt: z.string().nullable(),
    /** 0 while the workspace runs on the defaults */
    version: z.number().int(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'OverdueControlSettings' });
