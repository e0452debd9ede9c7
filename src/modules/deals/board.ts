import type { RawBuilder, SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import type { Deal } from './deals.mapper.js';
import type { Stage } from '../pipelines/pipelines.types.js';
import { allOf, dealConditions } from './deal-filters.js';
import type { DealFilters } from './deals.schema.js';
import { hydrate } from './list-deals.js';
import { stageTotals, totalsCanAnswer, type StageSum } from './board-totals.js';
import { columnPage } from './board-column.js';

// The board of a pipeline: per stage its count, sums per currency and first cards, all under
// the same filters and permission scope as GET /deals. Cost: counts and sums from the
// pre-aggregated deal_stage_totals when the filters allow (board-totals.ts), else one grouped
// query over deals; plus one ordered index range per column for its cards, or under a small
// scope a merge of one range per responsible (board-column.ts).

export interface BoardColumn {
  stage: Stage;
  count: number;
  sums: Array<{ currency: string; amount: number }>;
  items: Deal[];
  nextCursor: string | null;
}

async function pipelineWithStages(ctx: AppContext, actor: Actor, pipelineId: number) {
  const pipeline = await ctx.services.pipelines.getPipeline(ctx.db.kysely, actor.workspaceId, pipelineId);
  if (!pipeline) throw notFound('Pipeline');
  return pipeline;
}

/** Counts and sums straight from deals: for filters the totals table has no column for. */
async function liveStageTotals(ctx: AppContext, stageIds: number[], where: RawBuilder<SqlBool>): Promise<StageSum[]> {
  const rows = await ctx.db.kysely
    .selectFrom('deals')
    .select((eb) => ['deals.stage_id', 'deals.currency', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('deals.amount').as('amount')])
    // stage_id in (…) rather than pipeline_id: the (workspace, stage, responsible, currency, amount) index covers it
    .where('deals.stage_id', 'in', stageIds)
    .where(where)
    .groupBy(['deals.stage_id', 'deals.currency'])
    .execute();
  return rows.map((r) => ({ stage_id: r.stage_id, currency: r.currency, n: Number(r.n), amount: Number(r.amount) }));
}

export async function readBoard(ctx: AppContext, actor: Actor, pipelineId: number, filters: DealFilters, limit: number) {
  const pipeline = await pipelineWithStages(ctx, actor, pipelineId);
  const stageIds = pipeline.stages.map((s) => s.id);
  const conds = await dealConditions(ctx, actor, filters);
  const where = allOf(conds);

  const [totals, pages] = await Promise.all([
    stageIds.length === 0
      ? Promise.resolve([])
      : totalsCanAnswer(filters)
        ? stageTotals(ctx, actor, stageIds, filters)
        : liveStageTotals(ctx, stageIds, where),
    Promise.all(pipeline.stages.map((s) => columnPage(ctx, actor, where, filters, pipelineId, s.id, limit))),
  ]);

  const allRows = pages.flatMap((p) => p.rows);
  const deals = new Map((await hydrate(ctx, ctx.db.kysely, actor, allRows)).map((d) => [d.id, d]));
  const columns: BoardColumn[] = pipeline.stages.map((stage, i) => {
    const mine = totals.filter((t) => t.stage_id === stage.id).sort((a, b) => a.currency.localeCompare(b.currency));
    return {
      stage,
      count: mine.reduce((n, t) => n + t.n, 0),
      sums: mine.map((t) => ({ currency: t.currency, amount: t.amount })),
      items: pages[i]!.rows.map((r) => deals.get(r.id)!),
      nextCursor: pages[i]!.nextCursor,
    };
  });
  return { pipeline, columns };
}

export async function readBoardColumn(ctx: AppContext, actor: Actor, pipelineId: number, stageId: number, filters: DealFilters, limit: number, cursor?: string) {
  const pipeline = await pipelineWithStages(ctx, actor, pipelineId);
  if (!pipeline.stages.some((s) => s.id === stageId)) throw notFound('Stage');
  const where = allOf(await dealConditions(ctx, actor, filters));
  const page = await columnPage(ctx, actor, where, filters, pipelineId, stageId, limit, cursor);
  return { items: await hydrate(ctx, ctx.db.kysely, actor, page.rows), nextCursor: page.nextCursor };
}
