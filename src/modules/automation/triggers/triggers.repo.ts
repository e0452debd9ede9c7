import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AutomationTriggerFiringsTable, AutomationTriggersTable } from '../../../db/schema.js';
import type { Executor } from '../../../server/context.js';
import { updateVersioned } from '../automation.repo.js';

// The triggers' queries: the triggers of the stages, their firings (the log), the webhook ledger.

export type TriggerRow = Selectable<AutomationTriggersTable>;
export type FiringRow = Selectable<AutomationTriggerFiringsTable>;

export const findTrigger = (exec: Executor, ws: number, id: number): Promise<TriggerRow | undefined> =>
  exec.selectFrom('automation_triggers').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();

/** By id alone: the webhook's route knows no workspace until the token is checked. */
export const findTriggerAnywhere = (exec: Executor, id: number): Promise<TriggerRow | undefined> =>
  exec.selectFrom('automation_triggers').selectAll().where('id', '=', id).executeTakeFirst();

export const triggersOfPipeline = (exec: Executor, ws: number, pipelineId: number): Promise<TriggerRow[]> =>
  exec.selectFrom('automation_triggers').selectAll().where('workspace_id', '=', ws).where('pipeline_id', '=', pipelineId).orderBy('stage_id').orderBy('id').execute();

export const enabledTriggersOfTypes = (exec: Executor, ws: number, types: string[]): Promise<TriggerRow[]> =>
  types.length === 0
    ? Promise.resolve([])
    : exec.selectFrom('automation_triggers').selectAll().where('workspace_id', '=', ws).where('type', 'in', types).where('enabled', '=', 1).orderBy('id').execute();

/** The workspaces with an enabled trigger of this type (the idle sweep is scheduled for each at start). */
export const workspacesWithType = async (exec: Executor, type: string): Promise<number[]> =>
  (await exec.selectFrom('automation_triggers').select('workspace_id').distinct().where('type', '=', type).where('enabled', '=', 1).execute()).map((r) => r.workspace_id);

export async function insertTrigger(exec: Executor, row: Insertable<AutomationTriggersTable>): Promise<TriggerRow> {
  return exec.insertInto('automation_triggers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTrigger(exec: Executor, ws: number, id: number, set: Updateable<AutomationTriggersTable>): Promise<void> {
  await exec.updateTable('automation_triggers').set(set).where('workspace_id', '=', ws).where('id', '=', id).execute();
}

export const updateTriggerVersioned = (exec: Executor, ws: number, id: number, version: number, set: Updateable<AutomationTriggersTable>) =>
  updateVersioned(exec, 'automation_triggers', ws, id, version, set);

export async function deleteTrigger(exec: Executor, ws: number, id: number): Promise<boolean> {
  const r = await exec.deleteFrom('automation_triggers').where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export const firingByKey = (exec: Executor, triggerId: number, key: string): Promise<FiringRow | undefined> =>
  exec.selectFrom('automation_trigger_firings').selectAll().where('trigger_id', '=', triggerId).where('event_key', '=', key).executeTakeFirst();

export async function insertFiring(exec: Executor, row: Insertable<AutomationTriggerFiringsTable>): Promise<FiringRow> {
  return exec.insertInto('automation_trigger_firings').values(row).returningAll().executeTakeFirstOrThrow();
}

export const firingsOfDeal = (exec: Executor, ws: number, dealId: number, limit: number): Promise<FiringRow[]> =>
  exec
    .selectFrom('automation_trigger_firings')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('entity_type', '=', 'deal')
    .where('entity_id', '=', dealId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

// ── the inbound webhooks' ledger ──

export async function countHookCalls(exec: Executor, by: { ip: string; failedOnly: true } | { triggerId: number }, since: string): Promise<number> {
  let q = exec.selectFrom('automation_hook_calls').select((eb) => eb.fn.countAll<number>().as('n')).where('created_at', '>=', since);
  q = 'ip' in by ? q.where('ip', '=', by.ip).where('ok', '=', 0) : q.where('trigger_id', '=', by.triggerId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

/** Records a call, and forgets every call older than the limits' window (the ledger stays as small as its window). */
export async function recordHookCall(exec: Executor, ip: string, triggerId: number | null, ok: boolean, at: string, pruneBefore: string): Promise<void> {
  await exec.deleteFrom('automation_hook_calls').where('created_at', '<', pruneBefore).execute();
  await exec.insertInto('automation_hook_calls').values({ ip, trigger_id: triggerId, ok: ok ? 1 : 0, created_at: at }).execute();
}
