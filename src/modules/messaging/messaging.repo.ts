import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../server/context.js';
import type { MessagingLogTable, MessagingSettingsTable } from '../../db/schema.js';

// The messaging module's queries (its tables: messaging_settings, messaging_log).

export type SettingsRow = Selectable<MessagingSettingsTable>;
export type LogRow = Selectable<MessagingLogTable>;

export const findSettings = (exec: Executor, workspaceId: number): Promise<SettingsRow | undefined> =>
  exec.selectFrom('messaging_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();

export async function insertSettings(exec: Executor, row: Insertable<MessagingSettingsTable>): Promise<void> {
  await exec.insertInto('messaging_settings').values(row).execute();
}

/** The optimistic update; false when the version did not match. */
export async function updateSettings(exec: Executor, workspaceId: number, expectedVersion: number, set: Updateable<MessagingSettingsTable>): Promise<boolean> {
  const res = await exec
    .updateTable('messaging_settings')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Records one log-only message once per key; the row kept is the first one. */
export async function insertLogOnce(exec: Executor, row: Insertable<MessagingLogTable>): Promise<{ row: LogRow; inserted: boolean }> {
  const res = await exec
    .insertInto('messaging_log')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'our_id']).doNothing())
    .executeTakeFirst();
  const stored = await findLog(exec, row.workspace_id, row.channel, row.our_id);
  return { row: stored!, inserted: Number(res.numInsertedOrUpdatedRows ?? 0) > 0 };
}

export const findLog = (exec: Executor, workspaceId: number, channel: 'sms' | 'email', ourId: string): Promise<LogRow | undefined> =>
  exec.selectFrom('messaging_log').selectAll().where('workspace_id', '=', workspaceId).where('channel', '=', channel).where('our_id', '=', ourId).executeTakeFirst();

export const listLog = (exec: Executor, workspaceId: number, channel: 'sms' | 'email'): Promise<LogRow[]> =>
  exec.selectFrom('messaging_log').selectAll().where('workspace_id', '=', workspaceId).where('channel', '=', channel).orderBy('id').execute();
