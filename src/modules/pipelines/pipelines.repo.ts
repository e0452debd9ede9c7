import type { Executor } from '../../server/context.js';
import type { Selectable } from 'kysely';
import type { PipelinesTable, StagesTable } from '../../db/schema.js';

// Kysely queries of the pipelines module (tables `pipelines` and `stages`), always scoped by workspace.

export type PipelineRow = Selectable<PipelinesTable>;
export type StageRow = Selectable<StagesTable>;

// A deleted pipeline is archived (archived_at, with its stages): only history names it, so every
// query here but the names look-ups reads live pipelines only.
const livePipelines = (exec: Executor, workspaceId: number) =>
  exec.selectFrom('pipelines').selectAll().where('workspace_id', '=', workspaceId).where('archived_at', 'is', null);

export const findPipeline = (exec: Executor, workspaceId: number, id: number): Promise<PipelineRow | undefined> =>
  livePipelines(exec, workspaceId).where('id', '=', id).executeTakeFirst();

export const listPipelineRows = (exec: Executor, workspaceId: number): Promise<PipelineRow[]> =>
  livePipelines(exec, workspaceId).orderBy('sort').orderBy('id').execute();

/** The default pipeline, or (should the flag ever be missing) the first one. */
export const findDefaultPipeline = (exec: Executor, workspaceId: number): Promise<PipelineRow | undefined> =>
  livePipelines(exec, workspaceId)
    .orderBy('is_default', 'desc')
    .orderBy('sort')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();

/** Stages of the given pipelines, in board order; archived (removed) stages are not among them. */
export async function listStageRows(exec: Executor, workspaceId: number, pipelineIds: number[]): Promise<StageRow[]> {
  if (pipelineIds.length === 0) return [];
  return exec
    .selectFrom('stages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('pipeline_id', 'in', pipelineIds)
    .where('archived_at', 'is', null)
    .orderBy('pipeline_id')
    .orderBy('sort')
    .orderBy('id')
    .execute();
}

/** A live stage (one deals can be put in); archived ones are only named in history (stageNames). */
export const findStage = (exec: Executor, workspaceId: number, stageId: number): Promise<StageRow | undefined> =>
  exec.selectFrom('stages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', stageId).where('archived_at', 'is', null).executeTakeFirst();

/** Names of pipelines by id, archived ones included (history of deals that passed through them). */
export async function pipelineNames(exec: Executor, workspaceId: number, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await exec.selectFrom('pipelines').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Names of stages by id, archived ones included (history of deals that passed through them). */
export async function stageNames(exec: Executor, workspaceId: number, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await exec.selectFrom('stages').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Bumps the pipeline's version as the first write of a stage edit. Besides telling clients
 * that the pipeline (which embeds its stages) changed, the row lock it takes on PostgreSQL
 * serialises concurrent edits of one pipeline, so two admins cannot together break the
 * stage invariants (e.g. each deleting a different last failure stage).
 */
export async function touchPipeline(exec: Executor, workspaceId: number, id: number, now: string): Promise<boolean> {
  const res = await exec
    .updateTable('pipelines')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Writes the board order as sort = 10, 20, …; only rows whose sort changes get a new version. */
export async function writeStageOrder(exec: Executor, workspaceId: number, stages: Array<{ id: number; sort: number }>, now: string): Promise<void> {
  for (const [i, s] of stages.entries()) {
    const sort = (i + 1) * 10;
    if (s.sort === sort) continue;
    await exec
      .updateTable('stages')
      .set((eb) => ({ sort, version: eb('version', '+', 1), updated_at: now }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', s.id)
      .execute();
  }
}
