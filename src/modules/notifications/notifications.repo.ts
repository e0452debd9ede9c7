import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../server/context.js';
import type { NotificationsTable } from '../../db/schema.js';

// Kysely queries of the notifications module's tables only.

/** A notification as the list reads it (the columns it selects). */
export type NotificationRow = Pick<Selectable<NotificationsTable>, 'id' | 'kind' | 'title' | 'body' | 'entity_type' | 'entity_id' | 'created_at' | 'read_at'>;

export type NewNotification = Omit<Insertable<NotificationsTable>, 'id' | 'read_at'>;

/** Inserts the rows; a (user, dedupe key) that is already there inserts nothing. Returns the new rows' ids and users. */
export async function insertNotifications(exec: Executor, rows: NewNotification[]): Promise<Array<{ id: number; user_id: number }>> {
  if (rows.length === 0) return [];
  return exec
    .insertInto('notifications')
    .values(rows)
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'dedupe_key']).doNothing())
    .returning(['id', 'user_id'])
    .execute();
}

const COLUMNS = ['id', 'kind', 'title', 'body', 'entity_type', 'entity_id', 'created_at', 'read_at'] as const;

/** One user's notifications, newest first, with ids below `beforeId`. */
export function listPage(exec: Executor, workspaceId: number, userId: number, opts: { unreadOnly: boolean; beforeId: number | null; limit: number }): Promise<NotificationRow[]> {
  let q = exec.selectFrom('notifications').select(COLUMNS).where('workspace_id', '=', workspaceId).where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.beforeId !== null) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Unread notifications not linked to a record. */
export async function countUnreadUnlinked(exec: Executor, workspaceId: number, userId: number): Promise<number> {
  const row = await exec
    .selectFrom('notifications')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('entity_type', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Unread notifications linked to records, counted per record (at most `limit` records, the newest first). */
export async function unreadLinkedGroups(exec: Executor, workspaceId: number, userId: number, limit: number) {
  const rows = await exec
    .selectFrom('notifications')
    .select(['entity_type', 'entity_id', sql<number>`count(*)`.as('n'), sql<number>`max(id)`.as('last_id')])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('entity_type', 'is not', null)
    .groupBy(['entity_type', 'entity_id'])
    .orderBy('last_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ entityType: r.entity_type!, entityId: r.entity_id!, count: Number(r.n) }));
}

export async function markRead(exec: Executor, workspaceId: number, userId: number, ids: number[] | 'all', at: string): Promise<number> {
  if (ids !== 'all' && ids.length === 0) return 0;
  let q = exec.updateTable('notifications').set({ read_at: at }).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export function preferencesOf(exec: Executor, workspaceId: number, userId: number) {
  return exec.selectFrom('notification_preferences').select(['kind', 'email']).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
}

export function emailPreference(exec: Executor, workspaceId: number, userId: number, kind: string) {
  return exec
    .selectFrom('notification_preferences')
    .select('email')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

export async function upsertPreferences(exec: Executor, workspaceId: number, userId: number, values: Array<{ kind: string; email: boolean }>, at: string): Promise<void> {
  if (values.length === 0) return;
  await exec
    .insertInto('notification_preferences')
    .values(values.map((v) => ({ workspace_id: workspaceId, user_id: userId, kind: v.kind, email: v.email ? 1 : 0, updated_at: at })))
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'kind']).doUpdateSet((eb) => ({ email: eb.ref('excluded.email'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** What the e-mail copy of one notification needs. */
export function findForMail(exec: Executor, workspaceId: number, id: number) {
  return exec
    .selectFrom('notifications')
    .select(['id', 'user_id', 'kind', 'title', 'body', 'entity_type', 'entity_id', 'email_state', 'email_error'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setEmailState(exec: Executor, workspaceId: number, ids: number[], state: string, error: string | null): Promise<void> {
  if (ids.length === 0) return;
  await exec.updateTable('notifications').set({ email_state: state, email_error: error }).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}
