import type { AppContext, Executor } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { findDefaultPipeline, findPipeline, findStage, listPipelineRows, listStageRows, pipelineNames, stageNames } from './pipelines.repo.js';
import { toPipeline, toStage } from './pipelines.mapper.js';
import type { Pipeline, Stage } from './pipelines.types.js';
import type { PipelineCreateInput, PipelinePatchInput, StageCreateInput, StagePatchInput } from './pipelines.schema.js';
import { createPipeline, deletePipeline, patchPipeline } from './pipeline-edits.js';
import { addStage, deleteStage, patchStage, reorderStages } from './stage-edits.js';

// Deal pipelines ("directions") and their stages. Reads are open to every user of the
// workspace; every write is an administrator's (see pipeline-edits.ts and stage-edits.ts).

export class PipelinesService {
  constructor(private readonly ctx: AppContext) {}

  // --- contract used by other modules (deals, leads, board) ---

  async getStage(exec: Executor, workspaceId: number, stageId: number): Promise<Stage | null> {
    const row = await findStage(exec, workspaceId, stageId);
    return row ? toStage(row) : null;
  }

  async getPipeline(exec: Executor, workspaceId: number, id: number): Promise<Pipeline | null> {
    const row = await findPipeline(exec, workspaceId, id);
    if (!row) return null;
    return toPipeline(row, await listStageRows(exec, workspaceId, [row.id]));
  }

  /** Every workspace has at least one pipeline (the last one cannot be deleted). */
  async defaultPipeline(exec: Executor, workspaceId: number): Promise<Pipeline> {
    const row = await findDefaultPipeline(exec, workspaceId);
    if (!row) throw new Error(`workspace ${workspaceId} has no pipeline`);
    return toPipeline(row, await listStageRows(exec, workspaceId, [row.id]));
  }

  /** Where new deals of the pipeline start: its first in-progress stage (null for an unknown pipeline). */
  async firstStage(exec: Executor, workspaceId: number, pipelineId: number): Promise<Stage | null> {
    const row = await exec
      .selectFrom('stages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('pipeline_id', '=', pipelineId)
      .where('semantic', '=', 'in_progress')
      .where('archived_at', 'is', null)
      .orderBy('sort')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? toStage(row) : null;
  }

  /** Stage names by id, archived stages included: history names the stages a deal passed through. */
  stageNames(exec: Executor, workspaceId: number, ids: number[]): Promise<Map<number, string>> {
    return stageNames(exec, workspaceId, ids);
  }

  /** Pipeline names by id, deleted (archived) pipelines included. */
  pipelineNames(exec: Executor, workspaceId: number, ids: number[]): Promise<Map<number, string>> {
    return pipelineNames(exec, workspaceId, ids);
  }

  // --- API use cases ---

  async list(actor: Actor): Promise<Pipeline[]> {
    const db = this.ctx.db.kysely;
    const rows = await listPipelineRows(db, actor.workspaceId);
    const stages = await listStageRows(db, actor.workspaceId, rows.map((r) => r.id));
    return rows.map((r) => toPipeline(r, stages));
  }

  async get(actor: Actor, id: number): Promise<Pipeline> {
    const pipeline = await this.getPipeline(this.ctx.db.kysely, actor.workspaceId, id);
    if (!pipeline) throw notFound('Pipeline');
    return pipeline;
  }

  create(actor: Actor, input: PipelineCreateInput, exec?: Executor): Promise<Pipeline> {
    return createPipeline(this.ctx, actor, input, exec);
  }

  update(actor: Actor, id: number, input: PipelinePatchInput, expectedVersion: number): Promise<Pipeline> {
    return patchPipeline(this.ctx, actor, id, input, expectedVersion);
  }

  remove(actor: Actor, id: number): Promise<void> {
    return deletePipeline(this.ctx, actor, id);
  }

  addStage(actor: Actor, pipelineId: number, input: StageCreateInput): Promise<Stage> {
    return addStage(this.ctx, actor, pipelineId, input);
  }

  updateStage(actor: Actor, pipelineId: number, stageId: number, input: StagePatchInput, expectedVersion: number): Promise<Stage> {
    return patchStage(this.ctx, actor, pipelineId, stageId, input, expectedVersion);
  }

  reorderStages(actor: Actor, pipelineId: number, stageIds: number[]): Promise<Pipeline> {
    return reorderStages(this.ctx, actor, pipelineId, stageIds);
  }

  removeStage(actor: Actor, pipelineId: number, stageId: number, moveToStageId?: number): Promise<void> {
    return deleteStage(this.ctx, actor, pipelineId, stageId, moveToStageId);
  }
}
