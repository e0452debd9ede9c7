import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { decodeCursor, encodeCursor } from '../../server/http/list-query.js';
import { scopeUsers, type Actor } from '../permissions/actor.js';
import type { DealRow } from './deals.mapper.js';
import { allOf, responsibleFilterIds } from './deal-filters.js';
import type { DealFilters } from './deals.schema.js';

// One board column page: cards in (position, id) order after the cursor. Under a scope of every
// deal, one walk of the (workspace, pipeline, stage, position, id) index stops after the page.
// Under a scope of a few responsibles that walk would skip most cards, and a database that
// filters first instead has to sort all of the scope's cards in the stage (a manager: thousands,
// per column). So a small scope is read as a k-way merge: one ordered walk per responsible of the
// (workspace, stage, responsible, position, id) index (migration 009), one part for observed
// deals of responsibles outside the scope, each limited to the page, then ordered and limited
// once more. Each part keeps the full `where` (scope and filters), so the merge can only narrow
// it; the parts split the scope (responsible in it, or observed with responsible outside it), so
// together they return exactly the rows the single query would.

/** Up to this many responsibles in scope a column is read as a merge of per-responsible walks. */
export const MERGE_MAX_USERS = 50;

export interface ColumnPage {
  rows: DealRow[];
  nextCursor: string | null;
}

/** The responsibles to walk one by one, and the whole scope; null when one ordered query is better. */
function mergePlan(actor: Actor, pipelineId: number, filters: DealFilters): { walk: number[]; scope: number[] } | null {
  // the scope of this pipeline: per-pipeline grants narrow or widen it
  const scope = scopeUsers(actor, 'deal', 'read', pipelineId);
  if (scope === null || scope.length > MERGE_MAX_USERS) return null;
  const asked = responsibleFilterIds(actor, filters);
  // a responsible the filter excludes would walk all of its cards to find none
  const walk = [...new Set(asked ? scope.filter((u) => asked.includes(u)) : scope)];
  return { walk, scope };
}

/** `limit + 1` rows to know whether more follow. */
export async function columnPage(
  ctx: AppContext,
  actor: Actor,
  where: RawBuilder<SqlBool>,
  filters: DealFilters,
  pipelineId: number,
  stageId: number,
  limit: number,
  cursor?: string,
): Promise<ColumnPage> {
  const after = decodeCursor(cursor, { type: 'text' });
  const db = ctx.db.kysely;
  const inColumn = allOf([
    where,
    sql<SqlBool>`deals.stage_id = ${stageId}`,
    ...(after ? [sql<SqlBool>`(deals.position, deals.id) > (${after.v}, ${after.id})`] : []),
  ]);
  const column = () => db.selectFrom('deals').selectAll('deals').where(inColumn);

  const plan = mergePlan(actor, pipelineId, filters);
  let rows: DealRow[];
  if (!plan) {
    rows = await column().where('deals.pipeline_id', '=', pipelineId).orderBy('deals.position').orderBy('deals.id').limit(limit + 1).execute();
  } else {
    // No pipeline_id condition in the parts: the stage fixes the pipeline, and with it the
    // (pipeline, stage, position) index would tie with the per-responsible one in SQLite's planner.
    const parts = plan.walk.map((userId) => column().where('deals.responsible_id', '=', userId));
    // From the deals the actor observes, never from the whole stage: CROSS JOIN keeps that join
    // order in SQLite (its planner otherwise walks the stage by position); PostgreSQL plans it freely.
    let observed = db
      .selectFrom('deal_observers as o')
      .crossJoin('deals')
      .selectAll('deals')
      .where('o.workspace_id', '=', actor.workspaceId)
      .where('o.user_id', '=', actor.userId)
      .whereRef('deals.id', '=', 'o.deal_id')
      .where(inColumn);
    if (plan.scope.length > 0) observed = observed.where('deals.responsible_id', 'not in', plan.scope);
    parts.push(observed);
    // each part in a derived table, so its ORDER BY/LIMIT are legal inside UNION ALL on both databases
    const [first, ...rest] = parts.map((part, i) =>
      db.selectFrom(part.orderBy('deals.position').orderBy('deals.id').limit(limit + 1).as(`part${i}`)).selectAll(),
    );
    let merged = first!;
    for (const part of rest) merged = merged.unionAll(part);
    rows = await merged.orderBy('position').orderBy('id').limit(limit + 1).execute();
  }

  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor({ v: last.position, id: last.id }) : null };
}
