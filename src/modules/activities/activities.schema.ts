import { z } from 'zod';
import { boolParam, idParam, limitSchema, repeatable, withTotalSchema, type SortFields } from '../../server/http/list-query.js';
import { isoDateTime, rangeEnd, rangeStart } from '../../server/http/dates.js';

// zod schemas of the activities API (дела); reused for OpenAPI.

export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'task'] as const;
export const ACTIVITY_STATUSES = ['planned', 'done', 'cancelled'] as const;
export const OWNER_TYPES = ['deal', 'lead', 'contact', 'company'] as const;
export const DIRECTIONS = ['incoming', 'outgoing'] as const;
/** Only calls and e-mails have a direction. */
export const DIRECTED_TYPES: ReadonlySet<ActivityType> = new Set(['call', 'email']);

export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export type OwnerType = (typeof OWNER_TYPES)[number];

// Deadline ranges (rangeStart / rangeEnd, src/server/http/dates.ts): `2026-11-28` means that whole UTC day, or an exact ISO time.

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const activityFields = {
  description: optionalText(20_000),
  startAt: isoDateTime.nullable().optional(),
  deadlineAt: isoDateTime.nullable().optional(),
  responsibleId: idParam.optional(),
  /** the record the activity belongs to: both or neither */
  entityType: z.enum(OWNER_TYPES).nullable().optional(),
  entityId: idParam.nullable().optional(),
  direction: z.enum(DIRECTIONS).nullable().optional(),
};
const subject = z.string().trim().min(1).max(500);

export const createActivityBody = z.strictObject({ type: z.enum(ACTIVITY_TYPES), subject, ...activityFields });
export const updateActivityBody = z.strictObject({
  type: z.enum(ACTIVITY_TYPES).optional(),
  subject: subject.optional(),
  ...activityFields,
  /** the outcome note; may be corrected after completion */
  result: optionalText(20_000),
  version: z.number().int().positive().optional(),
});
export const completeActivityBody = z.strictObject({ result: optionalText(20_000), version: z.number().int().positive().optional() });
export const cancelActivityBody = z.strictObject({ version: z.number().int().positive().optional() });
export type CreateActivityInput = z.input<typeof createActivityBody>;
export type UpdateActivityInput = z.output<typeof updateActivityBody>;

export const activityListQuery = z
  .strictObject({
    limit: limitSchema,
    cursor: z.string().max(500).optional(),
    sort: z.string().max(50).optional(),
    withTotal: withTotalSchema,
    responsibleId: repeatable(z.union([z.literal('me'), idParam])),
    type: repeatable(z.enum(ACTIVITY_TYPES)),
    status: repeatable(z.enum(ACTIVITY_STATUSES)),
    entityType: z.enum(OWNER_TYPES).optional(),
    entityId: idParam.optional(),
    overdue: boolParam.optional(),
    /** deadline within the actor's current day, in the actor's time zone */
    today: z.literal('true').transform(() => true).optional(),
    deadlineFrom: rangeStart.optional(),
    deadlineTo: rangeEnd.optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.entityType === undefined) !== (q.entityId === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.entityType === undefined ? 'entityType' : 'entityId'], message: 'entityType and entityId go together' });
    }
  });
export type ActivityListQuery = z.output<typeof activityListQuery>;

/** GET /{entity}/{id}/activities: the same list, its owner fixed by the path. */
export const ownerActivityListQuery = z.strictObject({
  limit: limitSchema,
  cursor: z.string().max(500).optional(),
  sort: z.string().max(50).optional(),
  withTotal: withTotalSchema,
  type: repeatable(z.enum(ACTIVITY_TYPES)),
  status: repeatable(z.enum(ACTIVITY_STATUSES)),
  overdue: boolParam.optional(),
});
export type OwnerActivityListQuery = z.output<typeof ownerActivityListQuery>;

export const ACTIVITY_SORTS: SortFields = {
  id: { column: 'activities.id', type: 'id' },
  deadlineAt: { column: 'activities.deadline_at', type: 'time', nullable: true },
  createdAt: { column: 'activities.created_at', type: 'time' },
};

export const activityOut = z.object({
  id: z.number(),
  type: z.enum(ACTIVITY_TYPES),
  subject: z.string(),
  description: z.string().nullable(),
  startAt: z.string().nullable(),
  deadlineAt: z.string().nullable(),
  responsibleId: z.number(),
  createdById: z.number(),
  entityType: z.enum(OWNER_TYPES).nullable(),
  entityId: z.number().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  result: z.string().nullable(),
  completedAt: z.string().nullable(),
  completedById: z.number().nullable(),
  direction: z.enum(DIRECTIONS).nullable(),
  /** planned and its deadline has passed */
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Activity = z.infer<typeof activityOut>;
