import type { Executor } from '../../server/context.js';
import type { WorkingCalendarOverridesTable, WorkingCalendarSettingsTable, WorkingCalendarYearsTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';

// Kysely queries of the working-calendar module's own tables, always scoped by workspace.

export type SettingsRow = Selectable<WorkingCalendarSettingsTable>;
export type OverrideRow = Selectable<WorkingCalendarOverridesTable>;
export type YearRow = Selectable<WorkingCalendarYearsTable>;

export const findSettings = (exec: Executor, ws: number): Promise<SettingsRow | undefined> =>
  exec.selectFrom('working_calendar_settings').selectAll().where('workspace_id', '=', ws).executeTakeFirst();

export async function insertSettings(exec: Executor, row: Omit<SettingsRow, 'version'>): Promise<boolean> {
  const res = await exec
    .insertInto('working_calendar_settings')
    .values({ ...row, version: 1 })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateSettings(
  exec: Executor,
  ws: number,
  expectedVersion: number,
  values: Pick<SettingsRow, 'day_start_minute' | 'day_end_minute' | 'short_day_minutes' | 'updated_at'>,
): Promise<boolean> {
  const res = await exec
    .updateTable('working_calendar_settings')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', ws)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export const listOverrides = (exec: Executor, ws: number, year?: number): Promise<OverrideRow[]> => {
  let q = exec.selectFrom('working_calendar_overrides').selectAll().where('workspace_id', '=', ws);
  if (year !== undefined) q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.orderBy('date').execute();
};

export const findOverride = (exec: Executor, ws: number, date: string): Promise<OverrideRow | undefined> =>
  exec.selectFrom('working_calendar_overrides').selectAll().where('workspace_id', '=', ws).where('date', '=', date).executeTakeFirst();

export async function upsertOverride(exec: Executor, row: OverrideRow): Promise<void> {
  await exec
    .insertInto('working_calendar_overrides')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'date']).doUpdateSet({ kind: row.kind, note: row.note, updated_at: row.updated_at }))
    .execute();
}

export async function deleteOverride(exec: Executor, ws: number, date: string): Promise<boolean> {
  const res = await exec.deleteFrom('working_calendar_overrides').where('workspace_id', '=', ws).where('date', '=', date).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export const listYears = (exec: Executor, ws: number): Promise<YearRow[]> =>
  exec.selectFrom('working_calendar_years').selectAll().where('workspace_id', '=', ws).orderBy('year').execute();

export async function upsertYear(exec: Executor, row: YearRow): Promise<void> {
  await exec
    .insertInto('working_calendar_years')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'year']).doUpdateSet({ data: row.data, source: row.source, note: row.note, loaded_at: row.loaded_at, loaded_by_id: row.loaded_by_id }),
    )
    .execute();
}
