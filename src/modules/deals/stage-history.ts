import type { Executor } from '../../server/context.js';
import type { TimelineEvent } from '../timeline/timeline.service.js';

// The one writer of deal_stage_history: every path that puts a deal into a stage (create, move,
// the bulk move of a removed stage, lead conversion through create, a restore from the recycle
// bin into another stage) goes through enterStage, so each row carries the same facts and the
// deal keeps exactly one open row (the database enforces it: deal_stage_history_open_uq).

/** The deal as it enters the stage: the facts reports need at the moment of the move. */
export interface StageEntry {
  dealId: number;
  pipelineId: number;
  stageId: number;
  semantic: string;
  responsibleId: number;
  amount: number;
  currency: string;
}

/** Rows per statement, well under either database's parameter limit. */
const CHUNK = 500;

/**
 * Closes the open row of each deal (none for a new deal: `isNew`) and opens one for the stage it
 * enters, set-based: two statements per 500 deals.
 */
export async function enterStage(
  exec: Executor,
  workspaceId: number,
  entries: StageEntry[],
  at: string,
  byId: number | null,
  opts: { isNew?: boolean } = {},
): Promise<void> {
  for (let start = 0; start < entries.length; start += CHUNK) {
    const chunk = entries.slice(start, start + CHUNK);
    if (!opts.isNew) {
      await exec
        .updateTable('deal_stage_history')
        .set({ exited_at: at, exited_by_id: byId })
        .where('workspace_id', '=', workspaceId)
        .where('deal_id', 'in', chunk.map((e) => e.dealId))
        .where('exited_at', 'is', null)
        .execute();
    }
    await exec
      .insertInto('deal_stage_history')
      .values(
        chunk.map((e) => ({
          workspace_id: workspaceId,
          deal_id: e.dealId,
          pipeline_id: e.pipelineId,
          stage_id: e.stageId,
          stage_semantic: e.semantic,
          responsible_id: e.responsibleId,
          amount: e.amount,
          currency: e.currency,
          entered_at: at,
          entered_by_id: byId,
        })),
      )
      .execute();
  }
}

/** Where a deal is on the board: a stage of a pipeline, with its semantic. */
export interface StagePlace {
  pipelineId: number;
  stageId: number;
  semantic: string;
}

/**
 * The timeline's `stage_moved` entry of a deal going from one stage to another, the same for
 * every path that moves it; `extra` says why when it was not a plain move (the loss reason, or the
 * `reason` of a bulk move or a restore).
 */
export function stageMovedEvent(dealId: number, from: StagePlace, to: StagePlace, extra: { lossReasonId?: number; reason?: string } = {}): TimelineEvent {
  return { entityType: 'deal', entityId: dealId, kind: 'stage_moved', data: { from, to, pipelineChanged: from.pipelineId !== to.pipelineId, ...extra } };
}

export async function listStageHistory(exec: Executor, workspaceId: number, dealId: number) {
  return exec
    .selectFrom('deal_stage_history')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deal_id', '=', dealId)
    .orderBy('entered_at')
    .orderBy('id')
    .limit(10_000)
    .execute();
}
