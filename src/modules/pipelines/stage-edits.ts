import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, fieldInvalid, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { findStage, listStageRows, touchPipeline, writeStageOrder, type StageRow } from './pipelines.repo.js';
import { toStage } from './pipelines.mapper.js';
import type { StageCreateInput, StagePatchInput } from './pipelines.schema.js';
import type { Pipeline, Stage } from './pipelines.types.js';
import { checkStageOrder, MAX_STAGES, naturalPosition, type StageRuleViolation, type StageShape } from './stage-rules.js';
import { loadPipeline, STAGE_AUDITED } from './pipeline-edits.js';
import { auditChanges } from '../audit/audit.service.js';

// Administrator's use cases on the stages of one pipeline. Each edit locks the pipeline
// first, then checks the stage invariants (stage-rules.ts) on the stage list as it will be
// after the edit; deals are never lost: a stage holding deals is deleted only by moving them.

type Trx = Transaction<Database>;

const shapeOf = (r: StageRow): StageShape => ({ semantic: r.semantic, requiresLossReason: r.requires_loss_reason === 1 });

function refuse(violation: StageRuleViolation, path: string): never {
  throw ruleViolation(violation.rule, violation.message, [{ path, message: violation.message }], violation.params);
}

/** Locks the pipeline (see touchPipeline) and returns its stages in board order; 404 if it is not in the workspace. */
async function lockStages(ctx: AppContext, trx: Trx, actor: Actor, pipelineId: number): Promise<StageRow[]> {
  if (!(await touchPipeline(trx, actor.workspaceId, pipelineId, nowIso(ctx.clock)))) throw notFound('Pipeline');
  return listStageRows(trx, actor.workspaceId, [pipelineId]);
}

function stageOf(stages: StageRow[], stageId: number): StageRow {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) throw notFound('Stage');
  return stage;
}

export async function addStage(ctx: AppContext, actor: Actor, pipelineId: number, input: StageCreateInput): Promise<Stage> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  const requiresLossReason = input.requiresLossReason ?? input.semantic === 'failure';
  return inTransaction(ctx.db.kysely, async (trx) => {
    const stages = await lockStages(ctx, trx, actor, pipelineId);
    if (stages.length >= MAX_STAGES) throw ruleViolation('too_many_stages', `A pipeline has at most ${MAX_STAGES} stages`, [{ path: 'id', message: 'the pipeline is full' }], { max: MAX_STAGES });
    const position = input.position ?? naturalPosition(stages.map(shapeOf), input.semantic);
    if (position > stages.length) throw fieldInvalid('position', `must be between 0 and ${stages.length}`);
    const next = stages.map(shapeOf);
    next.splice(position, 0, { semantic: input.semantic, requiresLossReason });
    const violation = checkStageOrder(next);
    if (violation) refuse(violation, violation.field === 'requiresLossReason' ? 'requiresLossReason' : input.position !== undefined ? 'position' : 'semantic');

    const sort = (position + 1) * 10;
    const row = await trx
      .insertInto('stages')
      .values({
        workspace_id: ws,
        pipeline_id: pipelineId,
        name: input.name,
        color: input.color,
        semantic: input.semantic,
        sort,
        requires_loss_reason: requiresLossReason ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ordered = stages.map((s) => ({ id: s.id, sort: s.sort }));
    ordered.splice(position, 0, { id: row.id, sort });
    await writeStageOrder(trx, ws, ordered, now);
    const created = toStage((await findStage(trx, ws, row.id))!);
    await ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'stage', entityId: row.id, action: 'created', changes: auditChanges(null, created, [...STAGE_AUDITED, 'pipelineId']) });
    return created;
  });
}

export async function patchStage(
  ctx: AppContext,
  actor: Actor,
  pipelineId: number,
  stageId: number,
  input: StagePatchInput,
  expectedVersion: number,
): Promise<Stage> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  return inTransaction(ctx.db.kysely, async (trx) => {
    const stages = await lockStages(ctx, trx, actor, pipelineId);
    const current = stageOf(stages, stageId);
    if (current.version !== expectedVersion) throw versionConflict(toStage(current));

    const semantic = input.semantic ?? current.semantic;
    const semanticChanges = semantic !== current.semantic;
    // A stage turned into a failure stage asks for a loss reason unless told otherwise, as new failure stages do.
    const requiresLossReason = input.requiresLossReason ?? (semanticChanges ? semantic === 'failure' : current.requires_loss_reason === 1);
    if (semanticChanges) {
      // Deals keep a copy of their stage's semantic (open/won/lost): changing it under them
      // would silently reopen or close them, so the stage must be emptied first.
      const deals = await ctx.services.deals.countInStage(trx, ws, stageId);
      if (deals > 0) {
        throw ruleViolation(
          'stage_has_deals',
          `The stage holds ${deals} deal(s); move them to another stage before changing its semantic`,
          [{ path: 'semantic', message: 'cannot change while the stage holds deals' }],
          { count: deals },
        );
      }
    }
    const next = stages.map((s) => (s.id === stageId ? { semantic, requiresLossReason } : shapeOf(s)));
    const violation = checkStageOrder(next);
    if (violation) refuse(violation, violation.field ?? 'semantic');

    const res = await trx
      .updateTable('stages')
      .set((eb) => ({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.color !== undefined ? { color: input.color } : {}),
        semantic,
        requires_loss_reason: requiresLossReason ? 1 : 0,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('workspace_id', '=', ws)
      .where('id', '=', stageId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw versionConflict(toStage(current));
    const after = toStage((await findStage(trx, ws, stageId))!);
    const changes = auditChanges(toStage(current), after, STAGE_AUDITED);
    if (Object.keys(changes).length) await ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'stage', entityId: stageId, action: 'updated', changes });
    return after;
  });
}

/** `stageIds` is the whole new order: every stage of the pipeline exactly once. */
export async function reorderStages(ctx: AppContext, actor: Actor, pipelineId: number, stageIds: number[]): Promise<Pipeline> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  return inTransaction(ctx.db.kysely, async (trx) => {
    const stages = await lockStages(ctx, trx, actor, pipelineId);
    const byId = new Map(stages.map((s) => [s.id, s]));
    const seen = new Set<number>();
    for (const [i, id] of stageIds.entries()) {
      if (!byId.has(id)) throw fieldInvalid(`stageIds[${i}]`, 'is not a stage of this pipeline');
      if (seen.has(id)) throw fieldInvalid(`stageIds[${i}]`, 'appears twice');
      seen.add(id);
    }
    if (seen.size !== stages.length) throw fieldInvalid('stageIds', `must list all ${stages.length} stages of the pipeline`);
    const ordered = stageIds.map((id) => byId.get(id)!);
    const violation = checkStageOrder(ordered.map(shapeOf));
    if (violation) refuse(violation, violation.index === null ? 'stageIds' : `stageIds[${violation.index}]`);
    await writeStageOrder(trx, ws, ordered, nowIso(ctx.clock));
    const order = { old: stages.map((s) => s.id), new: stageIds };
    if (JSON.stringify(order.old) !== JSON.stringify(order.new)) {
      await ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'pipeline', entityId: pipelineId, action: 'stages_reordered', changes: { stageIds: order } });
    }
    return loadPipeline(trx, ws, pipelineId);
  });
}

/**
 * Removes a stage from the pipeline (it is archived: hidden from the board and pickers, still named
 * in history). If it holds deals, `moveToStageId` (another stage of the same pipeline)
 * must be named: the deals move there first, through the deals module, in this transaction.
 */
export async function deleteStage(ctx: AppContext, actor: Actor, pipelineId: number, stageId: number, moveToStageId?: number): Promise<void> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  await inTransaction(ctx.db.kysely, async (trx) => {
    const stages = await lockStages(ctx, trx, actor, pipelineId);
    const removed = stageOf(stages, stageId);
    const remaining = stages.filter((s) => s.id !== stageId);
    const violation = checkStageOrder(remaining.map(shapeOf));
    if (violation) refuse(violation, 'stageId');
    if (moveToStageId !== undefined && !remaining.some((s) => s.id === moveToStageId)) {
      throw fieldInvalid('moveToStageId', 'must be another stage of the same pipeline');
    }
    const deals = await ctx.services.deals.countInStage(trx, ws, stageId);
    if (deals > 0) {
      if (moveToStageId === undefined) {
        throw conflict(`The stage holds ${deals} deal(s); name the stage they move to`, [
          { path: 'moveToStageId', message: 'is required: the stage holds deals' },
        ]);
      }
      await ctx.services.deals.moveAllFromStage(trx, actor, stageId, moveToStageId);
    }
    // archived, not deleted: stage history and audit still name it
    const now = nowIso(ctx.clock);
    await trx
      .updateTable('stages')
      .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', ws)
      .where('id', '=', stageId)
      .execute();
    await writeStageOrder(trx, ws, remaining, now);
    await ctx.services.audit.record(trx, ws, actor.userId, {
      entityType: 'stage',
      entityId: stageId,
      action: 'archived',
      changes: { ...auditChanges(toStage(removed), null, STAGE_AUDITED), ...(moveToStageId !== undefined && deals > 0 ? { dealsMovedTo: { old: null, new: moveToStageId } } : {}) },
    });
  });
}
