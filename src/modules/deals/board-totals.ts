import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { levelFor, type Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import { allOf, TOTALS_FILTERS, totalsKeyConditions } from './deal-filters.js';
import type { DealFilters } from './deals.schema.js';

// The board's counts and sums from deal_stage_totals (kept by triggers, migration 008): a read
// of (stages × responsibles × currencies) rows instead of counting every deal of the pipeline.
// Answers exactly what the live grouped query over deals would.

export interface StageSum {
  stage_id: number;
  currency: string;
  n: number;
  amount: number;
}

/** True when every filter given is one the totals table has a column for. */
export const totalsCanAnswer = (f: DealFilters): boolean => Object.entries(f).every(([key, value]) => value === undefined || TOTALS_FILTERS.has(key));

/** The read scope of deals opens every responsible in every pipeline: observers then add nothing. */
const readsEveryDeal = (actor: Actor): boolean =>
  levelFor(actor, 'deal', 'read') === 'all' && [...actor.dealPipelines.values()].every((levels) => levels.read === 'all');

export async function stageTotals(ctx: AppContext, actor: Actor, stageIds: number[], f: DealFilters): Promise<StageSum[]> {
  const ws = actor.workspaceId;
  const db = ctx.db.kysely;
  const fromTotals = db
    .selectFrom('deal_stage_totals as t')
    .select((eb) => ['t.stage_id', 't.currency', eb.fn.sum<number>('t.deals').as('n'), eb.fn.sum<number>('t.amount').as('amount')])
    .where('t.workspace_id', '=', ws)
    .where('t.stage_id', 'in', stageIds)
    // the scope without its observer part: that part is per deal, so it is added live below
    .where(scopeFilter(actor, 'deal', 'read', { responsible: 't.responsible_id', pipeline: 't.pipeline_id' }))
    .where(allOf([sql<SqlBool>`1 = 1`, ...totalsKeyConditions('t', actor, f)]))
    .groupBy(['t.stage_id', 't.currency'])
    .execute();

  // Deals the actor observes whose responsible lies outside the scope: the live query counts
  // them (`responsible in scope or id in observed`), the totals rows above do not. Observed
  // deals are few, so this reads them through the (workspace, user, deal) index.
  const observedOutside = readsEveryDeal(actor)
    ? Promise.resolve([])
    : db
        .selectFrom('deal_observers as o')
        .innerJoin('deals', (j) => j.onRef('deals.workspace_id', '=', 'o.workspace_id').onRef('deals.id', '=', 'o.deal_id'))
        .select((eb) => ['deals.stage_id', 'deals.currency', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('deals.amount').as('amount')])
        .where('o.workspace_id', '=', ws)
        .where('o.user_id', '=', actor.userId)
        .where('deals.stage_id', 'in', stageIds)
        .where(sql<SqlBool>`not (${scopeFilter(actor, 'deal', 'read', { responsible: 'deals.responsible_id', pipeline: 'deals.pipeline_id' })})`)
        .where(allOf([sql<SqlBool>`1 = 1`, ...totalsKeyConditions('deals', actor, f)]))
        .groupBy(['deals.stage_id', 'deals.currency'])
        .execute();

  const sums = new Map<string, StageSum>();
  for (const r of (await Promise.all([fromTotals, observedOutside])).flat()) {
    const key = `${r.stage_id}\u0000${r.currency}`;
    const prev = sums.get(key);
    const n = Number(r.n);
    const amount = Number(r.amount);
    if (prev) {
      prev.n += n;
      prev.amount += amount;
    } else {
      sums.set(key, { stage_id: r.stage_id, currency: r.currency, n, amount });
    }
  }
  return [...sums.values()];
}
