import { lockRows } from '../../db/locks.js';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { basicStages } from './defaults.js';
import { findPipeline, listPipelineRows, listStageRows, touchPipeline } from './pipelines.repo.js';
import { toPipeline } from './pipelines.mapper.js';
import type { PipelineCreateInput, PipelinePatchInput, StageInput } from './pipelines.schema.js';
import type { Pipeline } from './pipelines.types.js';
import { checkStageOrder } from './stage-rules.js';
import { auditChanges } from '../audit/audit.service.js';

const PIPELINE_AUDITED = ['name', 'sort', 'isDefault'] as const;
export const STAGE_AUDITED = ['name', 'color', 'semantic', 'sort', 'requiresLossReason'] as const;

// Administrator's use cases on whole pipelines: create (with its stages), rename/reorder/make
// default, delete an empty one.

export const MAX_PIPELINES = 100;

export async function loadPipeline(exec: Executor, workspaceId: number, id: number): Promise<Pipeline> {
  const row = await findPipeline(exec, workspaceId, id);
  if (!row) throw notFound('Pipeline');
  return toPipeline(row, await listStageRows(exec, workspaceId, [id]));
}

/**
 * Exactly one default per workspace (the unique index pipelines_one_default_uq): setting it on one
 * pipeline first clears it on the others, under a lock of the workspace row so that two "make
 * default" at once run one after the other instead of both clearing and both setting.
 */
async function clearOtherDefaults(ctx: AppContext, exec: Executor, workspaceId: number, keepId: number | null, now: string): Promise<void> {
  await lockRows(exec, ctx.db.dialect, 'workspaces', workspaceId, [workspaceId]);
  let q = exec
    .updateTable('pipelines')
    .set((eb) => ({ is_default: 0, version: eb('version', '+', 1), updated_at: now }))
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', 1);
  if (keepId !== null) q = q.where('id', '!=', keepId);
  await q.execute();
}

export async function createPipeline(ctx: AppContext, actor: Actor, input: PipelineCreateInput, exec?: Executor): Promise<Pipeline> {
  requireAdmin(actor);
  // Without stages, the basic ones named in the workspace's language.
  const given: StageInput[] = input.stages ?? basicStages((await ctx.services.workspaces.getSettings(exec ?? ctx.db.kysely, actor.workspaceId)).locale);
  // Failure stages ask for a loss reason unless told otherwise (as the seed's do).
  const stages = given.map((s) => ({ ...s, requiresLossReason: s.requiresLossReason ?? s.semantic === 'failure' }));
  const violation = checkStageOrder(stages);
  if (violation) {
    const path = violation.index === null ? 'stages' : `stages[${violation.index}].${violation.field ?? 'semantic'}`;
    throw ruleViolation(violation.rule, violation.message, [{ path, message: violation.message }], violation.params);
  }
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    if (input.isDefault) await clearOtherDefaults(ctx, trx, ws, null, now);
    const existing = await listPipelineRows(trx, ws);
    if (existing.length >= MAX_PIPELINES) throw ruleViolation('too_many_pipelines', `A workspace has at most ${MAX_PIPELINES} pipelines`, [], { max: MAX_PIPELINES });
    const sort = input.sort ?? existing.reduce((max, p) => Math.max(max, p.sort), 0) + 10;
    const row = await trx
      .insertInto('pipelines')
      .values({ workspace_id: ws, name: input.name, sort, is_default: input.isDefault ? 1 : 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('stages')
      .values(
        stages.map((s, i) => ({
          workspace_id: ws,
          pipeline_id: row.id,
          name: s.name,
          color: s.color.toLowerCase(),
          semantic: s.semantic,
          sort: (i + 1) * 10,
          requires_loss_reason: s.requiresLossReason ? 1 : 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const created = await loadPipeline(trx, ws, row.id);
    await ctx.services.audit.record(trx, ws, actor.userId, [
      { entityType: 'pipeline', entityId: created.id, action: 'created', changes: auditChanges(null, created, PIPELINE_AUDITED) },
      ...created.stages.map((s) => ({ entityType: 'stage' as const, entityId: s.id, action: 'created', changes: auditChanges(null, { ...s, pipelineId: created.id }, [...STAGE_AUDITED, 'pipelineId']) })),
    ]);
    return created;
  });
}

export async function patchPipeline(ctx: AppContext, actor: Actor, id: number, input: PipelinePatchInput, expectedVersion: number): Promise<Pipeline> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  return inTransaction(ctx.db.kysely, async (trx) => {
    if (input.isDefault) await lockRows(trx, ctx.db.dialect, 'workspaces', ws, [ws]);
    const current = await loadPipeline(trx, ws, id);
    if (input.isDefault && !current.isDefault) await clearOtherDefaults(ctx, trx, ws, id, now);
    if (input.isDefault === false && current.isDefault) {
      throw ruleViolation('default_pipeline_required', 'One pipeline is always the default; make another pipeline the default instead', [
        { path: 'isDefault', message: 'set isDefault on another pipeline instead' },
      ]);
    }
    const res = await trx
      .updateTable('pipelines')
      .set((eb) => ({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        ...(input.isDefault ? { is_default: 1 } : {}),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw versionConflict(current);
    const after = await loadPipeline(trx, ws, id);
    const changes = auditChanges(current, after, PIPELINE_AUDITED);
    if (Object.keys(changes).length) await ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'pipeline', entityId: id, action: 'updated', changes });
    return after;
  });
}

/**
 * Only an empty pipeline goes, and never the last one; the default passes to the first remaining.
 * Role grants narrowed to the pipeline go with it. The pipeline and its stages are archived, not
 * deleted (see pipelines.repo.ts).
 */
export async function deletePipeline(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  await inTransaction(ctx.db.kysely, async (trx) => {
    if (!(await touchPipeline(trx, ws, id, now))) throw notFound('Pipeline');
    const all = await listPipelineRows(trx, ws);
    if (all.length <= 1) throw ruleViolation('last_pipeline', 'The last pipeline cannot be deleted', [{ path: 'id', message: 'is the only pipeline' }]);
    const stages = await listStageRows(trx, ws, [id]);
    let deals = 0;
    for (const s of stages) deals += await ctx.services.deals.countInStage(trx, ws, s.id);
    if (deals > 0) {
      throw conflict(`The pipeline holds ${deals} deal(s); move them to another pipeline first`, [
        { path: 'id', message: 'the pipeline is not empty' },
      ]);
    }
    const before = await loadPipeline(trx, ws, id);
    await ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'pipeline', entityId: id, action: 'deleted', changes: auditChanges(before, null, [...PIPELINE_AUDITED, 'stages']) });
    await ctx.services.users.roles.forgetPipeline(trx, ws, id);
    // archived, not deleted: stage history, the recycle bin's deals and the audit still name them
    await trx
      .updateTable('stages')
      .set((eb) => ({ archived_at: now, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', ws)
      .where('pipeline_id', '=', id)
      .where('archived_at', 'is', null)
      .execute();
    await trx
      .updateTable('pipelines')
      .set((eb) => ({ archived_at: now, is_default: 0, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .execute();
    if (all.find((p) => p.id === id)?.is_default) {
      const heir = all.find((p) => p.id !== id)!;
      await trx
        .updateTable('pipelines')
        .set((eb) => ({ is_default: 1, version: eb('version', '+', 1), updated_at: now }))
        .where('workspace_id', '=', ws)
        .where('id', '=', heir.id)
        .execute();
    }
  });
}
