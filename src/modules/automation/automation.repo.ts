import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AutomationRobotsTable, AutomationRunsTable, AutomationEntity, Database, RunStatus } from '../../db/schema.js';
import type { Executor } from '../../server/context.js';

// The automation module's queries: its robots and its runs (the automation log).

export type RobotRow = Selectable<AutomationRobotsTable>;
export type RunRow = Selectable<AutomationRunsTable>;

export const findRobot = (exec: Executor, ws: number, id: number): Promise<RobotRow | undefined> =>
  exec.selectFrom('automation_robots').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();

/** The robots of one stage (or lead status), in order. */
export const robotsOfStage = (exec: Executor, ws: number, entity: AutomationEntity, stageId: number): Promise<RobotRow[]> =>
  exec
    .selectFrom('automation_robots')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('entity_type', '=', entity)
    .where('stage_id', '=', stageId)
    .orderBy('position')
    .orderBy('id')
    .execute();

/** The enabled robots of several stages at once (the consumer's batch). */
export const enabledRobotsOfStages = (exec: Executor, ws: number, entity: AutomationEntity, stageIds: number[]): Promise<RobotRow[]> =>
  stageIds.length === 0
    ? Promise.resolve([])
    : exec
        .selectFrom('automation_robots')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('entity_type', '=', entity)
        .where('stage_id', 'in', stageIds)
        .where('enabled', '=', 1)
        .where('built_in', 'is', null)
        .orderBy('position')
        .orderBy('id')
        .execute();

export const robotsOfPipeline = (exec: Executor, ws: number, entity: AutomationEntity, pipelineId: number | null): Promise<RobotRow[]> => {
  let q = exec.selectFrom('automation_robots').selectAll().where('workspace_id', '=', ws).where('entity_type', '=', entity);
  q = pipelineId === null ? q.where('pipeline_id', 'is', null) : q.where('pipeline_id', '=', pipelineId);
  return q.orderBy('stage_id').orderBy('position').orderBy('id').execute();
};

/** The workspace's built-in robots (built-in-robots.ts). */
export const builtInRobots = (exec: Executor, ws: number): Promise<RobotRow[]> =>
  exec.selectFrom('automation_robots').selectAll().where('workspace_id', '=', ws).where('built_in', 'is not', null).orderBy('id').execute();

export async function insertRobot(exec: Executor, row: Insertable<AutomationRobotsTable>): Promise<RobotRow> {
  return exec.insertInto('automation_robots').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A robot's or a trigger's versioned update: false when someone else saved first. */
export async function updateVersioned<T extends 'automation_robots' | 'automation_triggers'>(
  exec: Executor,
  table: T,
  ws: number,
  id: number,
  version: number,
  set: Updateable<Database[T]>,
): Promise<boolean> {
  // the two tables share the columns this names; Kysely checks the statement against the robots' one
  const r = await exec
    .updateTable(table as 'automation_robots')
    .set({ ...(set as Updateable<AutomationRobotsTable>), version: version + 1 })
    .where('workspace_id', '=', ws)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const updateRobotVersioned = (exec: Executor, ws: number, id: number, version: number, set: Updateable<AutomationRobotsTable>) =>
  updateVersioned(exec, 'automation_robots', ws, id, version, set);

export async function deleteRobot(exec: Executor, ws: number, id: number): Promise<boolean> {
  const r = await exec.deleteFrom('automation_robots').where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function maxPosition(exec: Executor, ws: number, entity: AutomationEntity, stageId: number): Promise<number> {
  const r = await exec
    .selectFrom('automation_robots')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('workspace_id', '=', ws)
    .where('entity_type', '=', entity)
    .where('stage_id', '=', stageId)
    .executeTakeFirst();
  return r?.p == null ? 0 : Number(r.p);
}

/** Inserts the runs not made yet (unique per robot × entry); returns those inserted. */
export async function insertRuns(exec: Executor, rows: Insertable<AutomationRunsTable>[]): Promise<RunRow[]> {
  if (rows.length === 0) return [];
  return exec
    .insertInto('automation_runs')
    .values(rows)
    .onConflict((oc) => oc.columns(['robot_id', 'entry_id']).doNothing())
    .returningAll()
    .execute();
}

export const findRun = (exec: Executor, ws: number, id: number): Promise<RunRow | undefined> =>
  exec.selectFrom('automation_runs').selectAll().where('workspace_id', '=', ws).where('id', '=', id).executeTakeFirst();

export async function updateRun(exec: Executor, id: number, set: Updateable<AutomationRunsTable>): Promise<void> {
  await exec.updateTable('automation_runs').set(set).where('id', '=', id).execute();
}

/** The waiting runs of a record from entries other than `keepEntryId` (it left those stages). */
export const waitingRunsOfRecord = (exec: Executor, ws: number, entity: AutomationEntity, entityId: number, keepEntryId: number | null): Promise<RunRow[]> => {
  let q = exec
    .selectFrom('automation_runs')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('entity_type', '=', entity)
    .where('entity_id', '=', entityId)
    .where('status', '=', 'waiting');
  if (keepEntryId !== null) q = q.where('entry_id', '!=', keepEntryId);
  return q.execute();
};

/** Runs waiting for `runId` to finish (after_previous). */
export const runsAfter = (exec: Executor, runId: number): Promise<RunRow[]> =>
  exec.selectFrom('automation_runs').selectAll().where('after_run_id', '=', runId).where('status', '=', 'waiting').execute();

export const runsOfRecord = (exec: Executor, ws: number, entity: AutomationEntity, entityId: number, limit: number, beforeId: number | null): Promise<RunRow[]> => {
  let q = exec.selectFrom('automation_runs').selectAll().where('workspace_id', '=', ws).where('entity_type', '=', entity).where('entity_id', '=', entityId);
  if (beforeId !== null) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

export interface RunLogFilter {
  status?: RunStatus;
  robotType?: string;
  robotIds?: number[];
  from?: string;
  to?: string;
}

export const runsOfWorkspace = (exec: Executor, ws: number, filter: RunLogFilter, limit: number, beforeId: number | null): Promise<RunRow[]> => {
  let q = exec.selectFrom('automation_runs').selectAll().where('workspace_id', '=', ws);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.robotType) q = q.where('robot_type', '=', filter.robotType);
  if (filter.robotIds) q = q.where('robot_id', 'in', filter.robotIds.length ? filter.robotIds : [-1]);
  if (filter.from) q = q.where('created_at', '>=', filter.from);
  if (filter.to) q = q.where('created_at', '<', filter.to);
  if (beforeId !== null) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

/**
 * A round-robin's turn: the robot's runs before `beforeRunId` (all of them without one) that are done
 * or still to run. By run order rather than by finished runs, so that runs going at once (several
 * workers on PostgreSQL) take different turns.
 */
export async function countRunsBefore(exec: Executor, ws: number, robotId: number, beforeRunId: number | null): Promise<number> {
  let q = exec
    .selectFrom('automation_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', ws)
    .where('robot_id', '=', robotId)
    .where('status', 'in', ['done', 'waiting']);
  if (beforeRunId !== null) q = q.where('id', '<', beforeRunId);
  const r = await q.executeTakeFirst();
  return Number(r?.n ?? 0);
}
