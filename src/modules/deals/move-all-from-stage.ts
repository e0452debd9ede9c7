import { sql } from 'kysely';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { bottomPositions } from './positions.js';
import { isClosedSemantic } from './deal-input.js';
import { enterStage, stageMovedEvent } from './stage-history.js';
import { stageEntry } from './deals.mapper.js';

/** Rows per statement: keeps every statement well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * Used when a stage is deleted: every deal of the stage (regardless of the actor's read scope —
 * the caller is an administrator removing the stage) goes to the bottom of the target column in
 * its old order. Stage history and timeline are written for each deal, set-based: a handful of
 * statements per 500 deals. Returns how many deals moved.
 */
export async function moveAllFromStage(ctx: AppContext, exec: Executor, actor: Actor, fromStageId: number, toStageId: number): Promise<number> {
  const ws = actor.workspaceId;
  return inTransaction(exec, async (trx) => {
    const from = await ctx.services.pipelines.getStage(trx, ws, fromStageId);
    const to = await ctx.services.pipelines.getStage(trx, ws, toStageId);
    if (!from) throw fieldInvalid('fromStageId', 'no such stage');
    if (!to) throw fieldInvalid('toStageId', 'no such stage');
    if (from.id === to.id) return 0;
    const deals = await trx
      .selectFrom('deals')
      .select(['id', 'version', 'responsible_id', 'amount', 'currency', 'pipeline_id', 'stage_id', 'stage_semantic'])
      .where('workspace_id', '=', ws)
      .where('stage_id', '=', from.id)
      .orderBy('position')
      .orderBy('id')
      .execute();
    if (deals.length === 0) return 0;

    const now = nowIso(ctx.clock);
    const closed = isClosedSemantic(to.semantic);
    const keys = await bottomPositions(trx, ws, to.id, deals.length);
    for (let start = 0; start < deals.length; start += CHUNK) {
      const chunk = deals.slice(start, start + CHUNK);
      const ids = chunk.map((d) => d.id);
      const positionCase = sql<string>`case ${sql.join(chunk.map((d, i) => sql`when id = ${d.id} then ${keys[start + i]!}`), sql` `)} end`;
      await trx
        .updateTable('deals')
        .set({
          stage_id: to.id,
          pipeline_id: to.pipelineId,
          stage_semantic: to.semantic,
          position: positionCase,
          closed: closed ? 1 : 0,
          closed_at: closed ? now : null,
          // a failure stage's loss reason does not carry over to another stage
          loss_reason_id: to.semantic === 'failure' ? sql<number | null>`loss_reason_id` : null,
          stage_changed_at: now,
          updated_at: now,
          version: sql<number>`version + 1`,
        })
        .where('workspace_id', '=', ws)
        .where('id', 'in', ids)
        .execute();
      await enterStage(
        trx,
        ws,
        chunk.map((d) => ({ ...stageEntry(d), pipelineId: to.pipelineId, stageId: to.id, semantic: to.semantic })),
        now,
        actor.userId,
      );
      await ctx.services.timeline.record(
        trx,
        ws,
        actor,
        ids.map((dealId) =>
          stageMovedEvent(
            dealId,
            { pipelineId: from.pipelineId, stageId: from.id, semantic: from.semantic },
            { pipelineId: to.pipelineId, stageId: to.id, semantic: to.semantic },
            { reason: 'stage_deleted' },
          ),
        ),
      );
    }
    return deals.length;
  });
}
