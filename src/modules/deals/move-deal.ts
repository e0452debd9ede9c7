import { inTransaction, type Executor } from '../../server/context.js';
import type { Updateable } from 'kysely';
import type { DealsTable } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, forbidden, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import type { DealMoveInput } from './deals.schema.js';
import type { Deal } from './deals.mapper.js';
import * as repo from './deals.repo.js';
import { positionBetween } from './positions.js';
import { dealScope } from './deal-filters.js';
import { enterStage, stageMovedEvent } from './stage-history.js';
import { stageEntry } from './deals.mapper.js';
import { checkLossReason, checkRequiredForStage, isClosedSemantic } from './deal-input.js';
import { currentDeal, loadForUpdate } from './update-deal.js';

/**
 * Stage and board position in one write. A stage of another pipeline is a pipeline change.
 * Entering success/failure closes the deal, entering an in-progress stage reopens it; every stage
 * change closes the open stage-history row and opens a new one, and writes `stage_moved`.
 */
export async function moveDeal(ctx: AppContext, actor: Actor, id: number, input: DealMoveInput, exec?: Executor): Promise<Deal> {
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await loadForUpdate(ctx, trx, actor, id);
    const expectedVersion = input.version ?? row.version;
    if (row.version !== expectedVersion) throw versionConflict(await currentDeal(ctx, trx, ws, id));
    const target = await ctx.services.pipelines.getStage(trx, ws, input.stageId);
    if (!target) throw fieldInvalid('stageId', 'no such stage');
    const stageChanged = target.id !== row.stage_id;
    const pipelineChanged = target.pipelineId !== row.pipeline_id;
    if (pipelineChanged && !mayActOn(actor, 'deal', 'update', row.responsible_id, target.pipelineId)) {
      throw forbidden('You may not move deals into this pipeline');
    }
    // Re-entering the same failure stage keeps the reason it already has.
    const lossReasonId = await checkLossReason(ctx, trx, ws, target, input.lossReasonId ?? (stageChanged ? null : row.loss_reason_id));
    if (stageChanged) await checkRequiredForStage(ctx, trx, ws, target, row.custom);
    const position = await positionBetween(trx, ws, target.id, { afterId: input.afterId, beforeId: input.beforeId, movingId: id, readable: dealScope(actor, 'read') });

    const now = nowIso(ctx.clock);
    const closed = isClosedSemantic(target.semantic);
    const set: Updateable<DealsTable> = { position, updated_at: now, loss_reason_id: lossReasonId };
    if (stageChanged) {
      Object.assign(set, {
        stage_id: target.id,
        pipeline_id: target.pipelineId,
        stage_semantic: target.semantic,
        stage_changed_at: now,
        closed: closed ? 1 : 0,
        closed_at: closed ? now : null,
      });
    }
    if (!(await repo.updateDealVersioned(trx, ws, id, expectedVersion, set))) throw versionConflict(await currentDeal(ctx, trx, ws, id));

    if (stageChanged) {
      await enterStage(trx, ws, [{ ...stageEntry(row), pipelineId: target.pipelineId, stageId: target.id, semantic: target.semantic }], now, actor.userId);
      await ctx.services.timeline.record(
        trx,
        ws,
        actor,
        stageMovedEvent(
          id,
          { pipelineId: row.pipeline_id, stageId: row.stage_id, semantic: row.stage_semantic },
          { pipelineId: target.pipelineId, stageId: target.id, semantic: target.semantic },
          lossReasonId !== null ? { lossReasonId } : {},
        ),
      );
    }
    return (await currentDeal(ctx, trx, ws, id))!;
  });
}
