import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { Executor } from '../../server/context.js';
import { fieldInvalid } from '../../server/errors.js';

// Board order inside a stage column: fractional-index keys (strings that sort byte-wise; on
// PostgreSQL the column is COLLATE "C", migration 004). A move writes one key between its two
// neighbours, so no other card is ever renumbered. Ties (two cards given the same key by
// concurrent moves) are ordered by id and stepped over when a key is needed next to them.

interface Card {
  id: number;
  position: string;
}

const column = (exec: Executor, workspaceId: number, stageId: number, excludeId: number | null) => {
  let q = exec.selectFrom('deals').select(['id', 'position']).where('workspace_id', '=', workspaceId).where('stage_id', '=', stageId);
  if (excludeId !== null) q = q.where('id', '!=', excludeId);
  return q;
};

/**
 * A neighbour named by the client: a deal of the column that the actor may read (`readable`, the
 * deals read scope). A hidden deal gets the same answer as a missing one, so that afterId/beforeId
 * cannot tell whether a deal exists.
 */
async function cardIn(exec: Executor, workspaceId: number, stageId: number, id: number, field: string, readable: RawBuilder<SqlBool>): Promise<Card> {
  const card = await exec
    .selectFrom('deals')
    .select(['id', 'position'])
    .where('workspace_id', '=', workspaceId)
    .where('stage_id', '=', stageId)
    .where('id', '=', id)
    .where(readable)
    .executeTakeFirst();
  if (!card) throw fieldInvalid(field, 'is not a deal in the target stage column');
  return card;
}

/** The first key strictly above `key` in the column (skips cards tied with it). */
async function nextGreaterKey(exec: Executor, workspaceId: number, stageId: number, key: string, excludeId: number | null): Promise<string | null> {
  const row = await column(exec, workspaceId, stageId, excludeId)
    .where('position', '>', key)
    .orderBy('position')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.position ?? null;
}

export async function topPosition(exec: Executor, workspaceId: number, stageId: number, excludeId: number | null = null): Promise<string> {
  const first = await column(exec, workspaceId, stageId, excludeId).orderBy('position').orderBy('id').limit(1).executeTakeFirst();
  return generateKeyBetween(null, first?.position ?? null);
}

/** `n` keys in order below every card of the column. */
export async function bottomPositions(exec: Executor, workspaceId: number, stageId: number, n: number): Promise<string[]> {
  const last = await column(exec, workspaceId, stageId, null).orderBy('position', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return generateNKeysBetween(last?.position ?? null, null, n);
}

/**
 * The key for a card landing below `afterId` (or above `beforeId`; neither = top of the column).
 * `movingId` is the card being moved: it is never its own neighbour.
 */
export async function positionBetween(
  exec: Executor,
  workspaceId: number,
  stageId: number,
  opts: { afterId?: number | null; beforeId?: number | null; movingId: number | null; readable: RawBuilder<SqlBool> },
): Promise<string> {
  const { afterId, beforeId, movingId, readable } = opts;
  if (afterId != null && afterId === movingId) throw fieldInvalid('afterId', 'cannot be the deal being moved');
  if (beforeId != null && beforeId === movingId) throw fieldInvalid('beforeId', 'cannot be the deal being moved');
  let lo: string | null;
  let hi: string | null;
  if (afterId != null) {
    const after = await cardIn(exec, workspaceId, stageId, afterId, 'afterId', readable);
    lo = after.position;
    const next = await column(exec, workspaceId, stageId, movingId)
      .where(sql<boolean>`(position, id) > (${after.position}, ${after.id})`)
      .orderBy('position')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    hi = next?.position ?? null;
  } else if (beforeId != null) {
    const before = await cardIn(exec, workspaceId, stageId, beforeId, 'beforeId', readable);
    hi = before.position;
    const prev = await column(exec, workspaceId, stageId, movingId)
      .where(sql<boolean>`(position, id) < (${before.position}, ${before.id})`)
      .orderBy('position', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    lo = prev?.position ?? null;
    if (lo !== null && lo >= hi) {
      // `before` is tied with the card above it: no key fits between equal keys, so land just above both.
      const below = await column(exec, workspaceId, stageId, movingId).where('position', '<', hi).orderBy('position', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      lo = below?.position ?? null;
    }
    return generateKeyBetween(lo, hi);
  } else {
    return topPosition(exec, workspaceId, stageId, movingId);
  }
  if (hi !== null && lo >= hi) hi = await nextGreaterKey(exec, workspaceId, stageId, lo, movingId);
  return generateKeyBetween(lo, hi);
}
