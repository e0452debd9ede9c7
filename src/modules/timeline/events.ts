import { z } from 'zod';
import type { TimelineKind } from './kinds.js';

// The data each kind of timeline entry carries: one zod schema per kind, the contract between the
// writers (every change path, in its transaction) and the readers (the card's timeline, the web's
// rendering, the automation engine reading the outbox). Tests run the server in strict mode
// (`strictEvents`, as the test server sets it), where `TimelineService.record` checks every entry
// against its schema and refuses one that does not match; in production entries are not parsed
// again (they are built by our own code, and the check would cost every write).

const id = z.int().positive();
const change = z.strictObject({ old: z.unknown(), new: z.unknown() });
const changes = z.record(z.string(), change);
const place = z.strictObject({ pipelineId: id, stageId: id, semantic: z.string() });
const statusPlace = z.strictObject({ statusId: id.nullable(), semantic: z.string().nullable() });
const activity = {
  activityId: id,
  type: z.string(),
  subject: z.string(),
  deadlineAt: z.string().nullable(),
  status: z.string(),
  result: z.string().nullable(),
};

export const TIMELINE_EVENT_SCHEMAS = {
  comment: z.strictObject({ text: z.string() }),
  // deals: the title, place and money; leads: the title; contacts: the full name; companies: the name
  created: z.union([
    z.strictObject({ title: z.string(), pipelineId: id, stageId: id, amount: z.number(), currency: z.string(), responsibleId: id }),
    // leads: the status they start in (robots of that status run); older entries have the title only
    z.strictObject({ title: z.string(), statusId: id }),
    z.strictObject({ title: z.string() }),
    z.strictObject({ fullName: z.string() }),
    z.strictObject({ name: z.string() }),
  ]),
  updated: z.strictObject({ changes }),
  responsible_changed: z.strictObject({ old: id, new: id }),
  stage_moved: z.strictObject({ from: place, to: place, pipelineChanged: z.boolean(), lossReasonId: id.optional(), reason: z.string().optional() }),
  status_changed: z.strictObject({ from: statusPlace, to: statusPlace, reason: z.string().optional(), lossReasonId: id.optional() }),
  converted: z.strictObject({
    statusId: change,
    dealId: id.nullable(),
    contactId: id.nullable(),
    companyId: id.nullable(),
    created: z.record(z.string(), z.boolean()),
  }),
  merged: z.strictObject({ sourceId: id, sourceName: z.string(), changes }),
  deleted: z.union([
    z.strictObject({ title: z.string(), pipelineId: id, stageId: id, amount: z.number(), currency: z.string() }),
    z.strictObject({ title: z.string() }),
    z.strictObject({ fullName: z.string() }),
    z.strictObject({ name: z.string() }),
  ]),
  restored: z.strictObject({ deletedAt: z.string(), deletedById: id.nullable() }),
  purged: z.strictObject({ title: z.string() }),
  activity_created: z.strictObject(activity),
  activity_updated: z.strictObject({ ...activity, changes: changes.optional() }),
  activity_done: z.strictObject(activity),
  activity_cancelled: z.strictObject(activity),
  activity_deleted: z.strictObject(activity),
  // robots' external effects (src/modules/automation/robot-types): what was sent, to whom, through which provider
  sms_sent: z.strictObject({ to: z.string(), text: z.string(), provider: z.string(), providerMessageId: z.string().nullable() }),
  webhook_sent: z.strictObject({ url: z.string(), status: z.int(), idempotencyKey: z.string() }),
} satisfies Record<TimelineKind, z.ZodType>;

export type TimelineEventData = { [K in TimelineKind]: z.infer<(typeof TIMELINE_EVENT_SCHEMAS)[K]> };

/** The problem with an entry's data, or null when it matches its kind's schema. */
export function eventDataProblem(kind: TimelineKind, data: unknown): string | null {
  const result = TIMELINE_EVENT_SCHEMAS[kind].safeParse(data ?? {});
  if (result.success) return null;
  const issue = result.error.issues[0];
  return `${kind}: ${issue?.path.join('.') || 'data'}: ${issue?.message}`;
}
