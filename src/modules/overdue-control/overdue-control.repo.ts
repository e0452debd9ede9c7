import type { Selectable } from 'kysely';
import type { OverdueControlSettingsTable, OverdueDigestMailsTable } from '../../db/schema.js';
import type { Executor } from '../../server/context.js';

// Kysely queries of the overdue-control module's own tables, always scoped by workspace.

export type SettingsRow = Selectable<OverdueControlSettingsTable>;
export type DigestMailRow = Selectable<OverdueDigestMailsTable>;
export type SettingsValues = Omit<SettingsRow, 'workspace_id' | 'created_at' | 'version'>;

export const findSettings = (exec: Executor, ws: number): Promise<SettingsRow | undefined> =>
  exec.selectFrom('overdue_control_settings').selectAll().where('workspace_id', '=', ws).executeTakeFirst();

export async function insertSettings(exec: Executor, ws: number, values: SettingsValues): Promise<boolean> {
  const res = await exec
    .insertInto('overdue_control_settings')
    .values({ workspace_id: ws, ...values, created_at: values.updated_at, version: 1 })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateSettings(exec: Executor, ws: number, expectedVersion: number, values: SettingsValues): Promise<boolean> {
  const res = await exec
    .updateTable('overdue_control_settings')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', ws)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface Position {
  at: string;
  id: number;
}

export async function scanPosition(exec: Executor, ws: number, level: string): Promise<Position | null> {
  const row = await exec.selectFrom('overdue_scan_state').select(['position_at', 'position_id']).where('workspace_id', '=', ws).where('level', '=', level).executeTakeFirst();
  return row ? { at: row.position_at, id: row.position_id } : null;
}

export async function saveScanPosition(exec: Executor, ws: number, level: string, pos: Position, now: string): Promise<void> {
  await exec
    .insertInto('overdue_scan_state')
    .values({ workspace_id: ws, level, position_at: pos.at, position_id: pos.id, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'level']).doUpdateSet({ position_at: pos.at, position_id: pos.id, updated_at: now }))
    .execute();
}

/** Records a notice; false when it had been recorded already (then nobody is notified again). */
export async function claimNotice(
  exec: Executor,
  n: { workspace_id: number; subject_type: string; subject_id: number; level: string; deadline_at: string; notified_at: string },
): Promise<boolean> {
  const res = await exec
    .insertInto('overdue_notices')
    .values(n)
    .onConflict((oc) => oc.columns(['workspace_id', 'subject_type', 'subject_id', 'level', 'deadline_at']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const findDigestMail = (exec: Executor, ws: number, userId: number, date: string): Promise<DigestMailRow | undefined> =>
  exec.selectFrom('overdue_digest_mails').selectAll().where('workspace_id', '=', ws).where('user_id', '=', userId).where('digest_date', '=', date).executeTakeFirst();

export async function insertDigestMail(exec: Executor, row: DigestMailRow): Promise<boolean> {
  const res = await exec
    .insertInto('overdue_digest_mails')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'user_id', 'digest_date']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setDigestMailState(exec: Executor, ws: number, userId: number, date: string, state: DigestMailRow['state'], error: string | null, now: string): Promise<void> {
  await exec
    .updateTable('overdue_digest_mails')
    .set({ state, error, updated_at: now })
    .where('workspace_id', '=', ws)
    .where('user_id', '=', userId)
    .where('digest_date', '=', date)
    .execute();
}
