import type { Selectable } from 'kysely';
import type { ActivitiesTable } from '../../db/schema.js';
import type { Activity } from './activities.schema.js';

export type ActivityRow = Selectable<ActivitiesTable>;

/** Overdue = still planned and the deadline has passed (an activity without a deadline never is). */
export const isOverdue = (r: Pick<ActivityRow, 'status' | 'deadline_at'>, nowIso: string) =>
  r.status === 'planned' && r.deadline_at !== null && r.deadline_at < nowIso;

export function toActivity(r: ActivityRow, nowIso: string): Activity {
  return {
    id: r.id,
    type: r.type,
    subject: r.subject,
    description: r.description,
    startAt: r.start_at,
    deadlineAt: r.deadline_at,
    responsibleId: r.responsible_id,
    createdById: r.created_by_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    status: r.status,
    result: r.result,
    completedAt: r.completed_at,
    completedById: r.completed_by_id,
    direction: r.direction,
    overdue: isOverdue(r, nowIso),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** What an owner's timeline entry tells about the activity. */
export const timelineData = (r: ActivityRow) => ({
  activityId: r.id,
  type: r.type,
  subject: r.subject,
  deadlineAt: r.deadline_at,
  status: r.status,
  result: r.result,
});
