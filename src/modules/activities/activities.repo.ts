import { sql, type Insertable, type RawBuilder, type SqlBool, type Updateable } from 'kysely';
import type { ActivitiesTable } from '../../db/schema.js';
import { afterCursor } from '../../db/keyset.js';
import type { Executor } from '../../server/context.js';
import type { Cursor, SortSpec } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import type { Action } from '../permissions/levels.js';
import { scopeFilter } from '../permissions/record-scope.js';
import type { ActivityRow } from './activities.mapper.js';
import type { ActivityStatus, ActivityType, OwnerType } from './activities.schema.js';

// Kysely queries of the activities table.

export const activityScope = (actor: Actor, action: Action) => scopeFilter(actor, 'activity', action, { responsible: 'activities.responsible_id' });

/** Only within the actor's scope for `action` (read by default): anything else is "not found". */
export async function findActivity(exec: Executor, actor: Actor, id: number, action: Action = 'read'): Promise<ActivityRow | undefined> {
  return exec
    .selectFrom('activities')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where(activityScope(actor, action))
    .executeTakeFirst();
}

export async function insertActivity(exec: Executor, values: Insertable<ActivitiesTable>): Promise<ActivityRow> {
  return exec.insertInto('activities').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: undefined when the version moved on meanwhile. */
export async function updateActivity(exec: Executor, workspaceId: number, id: number, version: number, values: Updateable<ActivitiesTable>): Promise<ActivityRow | undefined> {
  return exec
    .updateTable('activities')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteActivity(exec: Executor, workspaceId: number, id: number, version?: number): Promise<boolean> {
  let q = exec.deleteFrom('activities').where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (version !== undefined) q = q.where('version', '=', version);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface ActivityListFilter {
  responsibleIds?: number[];
  types?: ActivityType[];
  statuses?: ActivityStatus[];
  owner?: { type: OwnerType; id: number };
  /** true: planned with a past deadline; false: everything else */
  overdue?: { value: boolean; now: string };
  /** deadline_at >= from and < before (either may be absent) */
  deadline?: { from?: string; before?: string; atMost?: string };
}

// `is not null` keeps the negation two-valued: without it an undated activity is neither overdue nor not
const overdueSql = (now: string) => sql<SqlBool>`(activities.status = 'planned' and activities.deadline_at is not null and activities.deadline_at < ${now})`;

function filtered(exec: Executor, actor: Actor, f: ActivityListFilter) {
  let q = exec.selectFrom('activities').where('activities.workspace_id', '=', actor.workspaceId).where(activityScope(actor, 'read'));
  if (f.responsibleIds) q = q.where('activities.responsible_id', 'in', f.responsibleIds);
  if (f.types) q = q.where('activities.type', 'in', f.types);
  if (f.statuses) q = q.where('activities.status', 'in', f.statuses);
  if (f.owner) q = q.where('activities.entity_type', '=', f.owner.type).where('activities.entity_id', '=', f.owner.id);
  if (f.overdue) q = q.where(f.overdue.value ? overdueSql(f.overdue.now) : sql<SqlBool>`not ${overdueSql(f.overdue.now)}`);
  if (f.deadline?.from) q = q.where('activities.deadline_at', '>=', f.deadline.from);
  if (f.deadline?.before) q = q.where('activities.deadline_at', '<', f.deadline.before);
  if (f.deadline?.atMost) q = q.where('activities.deadline_at', '<=', f.deadline.atMost);
  return q;
}

/**
 * Keyset condition for a column that may be null, with nulls sorting as the greatest value
 * (NULLS LAST ascending, NULLS FIRST descending) on both databases.
 */
function afterNullableCursor(sort: SortSpec, cursor: Cursor, idColumn: string): RawBuilder<SqlBool> {
  const col = sql.ref(sort.column);
  const id = sql.ref(idColumn);
  if (sort.dir === 'asc') {
    if (cursor.v === null) return sql<SqlBool>`(${col} is null and ${id} > ${cursor.id})`;
    return sql<SqlBool>`(${col} > ${cursor.v} or (${col} = ${cursor.v} and ${id} > ${cursor.id}) or ${col} is null)`;
  }
  if (cursor.v === null) return sql<SqlBool>`((${col} is null and ${id} < ${cursor.id}) or ${col} is not null)`;
  return sql<SqlBool>`(${col} < ${cursor.v} or (${col} = ${cursor.v} and ${id} < ${cursor.id}))`;
}

export async function listActivities(exec: Executor, actor: Actor, f: ActivityListFilter, sort: SortSpec, cursor: Cursor | undefined, limit: number): Promise<ActivityRow[]> {
  const nullable = sort.nullable === true;
  let q = filtered(exec, actor, f).selectAll('activities');
  if (cursor) q = q.where(nullable ? afterNullableCursor(sort, cursor, 'activities.id') : afterCursor(sort, cursor, 'activities.id'));
  const column = sql.ref(sort.column);
  q = nullable
    ? q.orderBy(column, (ob) => (sort.dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsFirst()))
    : q.orderBy(column, sort.dir);
  return q.orderBy('activities.id', sort.dir).limit(limit + 1).execute();
}

export async function countActivities(exec: Executor, actor: Actor, f: ActivityListFilter): Promise<number> {
  const row = await filtered(exec, actor, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next step of a record: the earliest planned deadline; undated planned ones come after dated ones. */
export async function nextPlanned(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<{ id: number; deadlineAt: string | null } | null> {
  const row = await exec
    .selectFrom('activities')
    .select(['id', 'deadline_at'])
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('status', '=', 'planned')
    .orderBy('deadline_at', (ob) => ob.asc().nullsLast())
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, deadlineAt: row.deadline_at } : null;
}

/** The activities of one record (those in `statuses`, or all) move to another record; the moved rows come back. */
export async function moveOwner(
  exec: Executor,
  workspaceId: number,
  from: { type: OwnerType; id: number },
  to: { type: OwnerType; id: number },
  now: string,
  statuses?: readonly ActivityStatus[],
): Promise<ActivityRow[]> {
  let q = exec
    .updateTable('activities')
    .set({ entity_type: to.type, entity_id: to.id, updated_at: now, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', from.type)
    .where('entity_id', '=', from.id);
  if (statuses) q = q.where('status', 'in', statuses);
  return q.returningAll().execute();
}

/** The owner is gone: planned activities are cancelled, done ones stay as the manager's history; all lose the link. */
export async function detachOwner(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number, now: string): Promise<void> {
  await exec
    .updateTable('activities')
    .set({
      status: sql<ActivityStatus>`case when status = 'planned' then 'cancelled' else status end`,
      entity_type: null,
      entity_id: null,
      updated_at: now,
      version: sql<number>`version + 1`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .execute();
}

export interface UserActivityCounts {
  userId: number;
  planned: number;
  overdue: number;
  doneToday: number;
}

/** Per responsible user: planned, overdue (planned past deadline) and completed since `dayStart`. */
export async function countsByUser(exec: Executor, workspaceId: number, userIds: number[], now: string, dayStart: string): Promise<UserActivityCounts[]> {
  if (userIds.length === 0) return [];
  const rows = await exec
    .selectFrom('activities')
    .select([
      'responsible_id',
      sql<number>`sum(case when status = 'planned' then 1 else 0 end)`.as('planned'),
      sql<number>`sum(case when status = 'planned' and deadline_at < ${now} then 1 else 0 end)`.as('overdue'),
      sql<number>`sum(case when status = 'done' and completed_at >= ${dayStart} then 1 else 0 end)`.as('done_today'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('responsible_id', 'in', userIds)
    .where((eb) => eb.or([eb('status', '=', 'planned'), eb('completed_at', '>=', dayStart)]))
    .groupBy('responsible_id')
    .execute();
  const byUser = new Map(rows.map((r) => [r.responsible_id, r]));
  return userIds.map((userId) => {
    const r = byUser.get(userId);
    return { userId, planned: Number(r?.planned ?? 0), overdue: Number(r?.overdue ?? 0), doneToday: Number(r?.done_today ?? 0) };
  });
}

/** A planned activity as the overdue control reads it. */
export interface ControlActivityRow {
  id: number;
  type: string;
  subject: string;
  deadlineAt: string;
  responsibleId: number;
  entityType: string | null;
  entityId: number | null;
}

/**
 * Planned activities whose deadline is at most `atMost`, after the keyset position `after`
 * (deadline, id), in that order: one index range (activities_deadline_idx), bounded by `limit`.
 */
export async function overdueForControl(
  exec: Executor,
  workspaceId: number,
  q: { atMost: string; after: { at: string; id: number } | null; limit: number; responsibleIds?: number[] },
): Promise<ControlActivityRow[]> {
  let query = exec
    .selectFrom('activities')
    .select(['id', 'type', 'subject', 'deadline_at', 'responsible_id', 'entity_type', 'entity_id'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'planned')
    .where('deadline_at', 'is not', null)
    .where('deadline_at', '<=', q.atMost);
  const after = q.after;
  if (after) query = query.where((eb) => eb.or([eb('deadline_at', '>', after.at), eb.and([eb('deadline_at', '=', after.at), eb('id', '>', after.id)])]));
  if (q.responsibleIds) query = query.where('responsible_id', 'in', q.responsibleIds.length ? q.responsibleIds : [-1]);
  const rows = await query.orderBy('deadline_at', 'asc').orderBy('id', 'asc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    subject: r.subject,
    deadlineAt: r.deadline_at!,
    responsibleId: r.responsible_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
  }));
}

/** An activity as the overdue control's look at recent changes reads it (any status). */
export interface ChangedActivityRow extends Omit<ControlActivityRow, 'deadlineAt'> {
  deadlineAt: string | null;
  status: string;
  updatedAt: string;
}

/**
 * Activities changed (created, rescheduled, completed…) after the keyset position (updated_at, id),
 * in that order, at most `limit`: activities_updated_idx. The caller filters; the position moves
 * over every row read.
 */
export async function changedForControl(exec: Executor, workspaceId: number, q: { after: { at: string; id: number }; limit: number }): Promise<ChangedActivityRow[]> {
  const after = q.after;
  const rows = await exec
    .selectFrom('activities')
    .select(['id', 'type', 'subject', 'deadline_at', 'responsible_id', 'entity_type', 'entity_id', 'status', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('updated_at', '>', after.at), eb.and([eb('updated_at', '=', after.at), eb('id', '>', after.id)])]))
    .orderBy('updated_at', 'asc')
    .orderBy('id', 'asc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    subject: r.subject,
    deadlineAt: r.deadline_at,
    responsibleId: r.responsible_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    status: r.status,
    updatedAt: r.updated_at,
  }));
}
