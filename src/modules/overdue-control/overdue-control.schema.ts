import { z } from 'zod';

// zod schemas of the overdue-control API (request side).

const WEEK_MINUTES = 7 * 24 * 60;

export const overdueControlPatchSchema = z.strictObject({
  version: z.number().int().min(0).optional(),
  activityEnabled: z.boolean().optional(),
  /** minutes after the deadline the responsible is notified; 0: at once */
  activityNotifyAfterMinutes: z.number().int().min(0).max(WEEK_MINUTES).optional(),
  /** minutes after that the head of the department is notified; null: never */
  activityEscalateAfterMinutes: z.number().int().min(1).max(WEEK_MINUTES).nullable().optional(),
  dealIdleEnabled: z.boolean().optional(),
  dealIdleDays: z.number().int().min(1).max(365).optional(),
  dealIdleEscalate: z.boolean().optional(),
  digestEnabled: z.boolean().optional(),
  /** HH:MM in the workspace's time zone */
  digestTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (00:00–23:59)')
    .optional(),
  digestNoActivity: z.boolean().optional(),
});
export type OverdueControlPatch = Omit<z.infer<typeof overdueControlPatchSchema>, 'version'>;
