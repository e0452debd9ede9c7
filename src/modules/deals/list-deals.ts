import { sql } from 'kysely';
import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { afterCursor } from '../../db/keyset.js';
import { decodeCursor, parseSort, toPage, type Page, type SortFields } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import type { DealListQuery } from './deals.schema.js';
import { toDeal, type Deal, type DealRow } from './deals.mapper.js';
import { allOf, dealConditions } from './deal-filters.js';
import { loadLinks } from './deals.repo.js';

/** Sortable fields: each has a (workspace_id, column, id) index (amount: migration 004). */
export const DEAL_SORTS: SortFields = {
  id: { column: 'deals.id', type: 'id' },
  createdAt: { column: 'deals.created_at', type: 'time' },
  updatedAt: { column: 'deals.updated_at', type: 'time' },
  amount: { column: 'deals.amount', type: 'integer' },
};

const sortValue = (row: DealRow, column: string): string | number => {
  const key = column.slice('deals.'.length) as keyof DealRow;
  return row[key] as string | number;
};

/**
 * Maps rows to deals as the actor may see them, with their contacts and observers loaded in two
 * queries for the whole page.
 */
export async function hydrate(ctx: AppContext, exec: Executor, actor: Actor, rows: DealRow[]): Promise<Deal[]> {
  const links = await loadLinks(exec, actor.workspaceId, rows.map((r) => r.id));
  const now = nowIso(ctx.clock);
  return forReader(ctx, exec, actor, rows.map((r) => toDeal(r, links.get(r.id), now)));
}

/**
 * The deals as the actor may see them: a next activity the actor may not read (activities have a
 * read scope of their own) is not named — neither its id nor its deadline. Whether the deal is
 * overdue or has no next step stays: that is a fact of the deal, which the actor may read.
 */
export async function forReader(ctx: AppContext, exec: Executor, actor: Actor, deals: Deal[]): Promise<Deal[]> {
  const ids = deals.flatMap((d) => (d.nextActivity ? [d.nextActivity.id] : []));
  if (ids.length === 0) return deals;
  const readable = await ctx.services.activities.readableIds(exec, actor, ids);
  return deals.map((d) => (d.nextActivity && !readable.has(d.nextActivity.id) ? { ...d, nextActivity: null } : d));
}

export async function listDeals(ctx: AppContext, actor: Actor, query: DealListQuery): Promise<Page<Deal>> {
  const db = ctx.db.kysely;
  const sort = parseSort(query.sort, DEAL_SORTS, '-createdAt');
  const cursor = decodeCursor(query.cursor, sort);
  const where = allOf(await dealConditions(ctx, actor, query));

  let q = db.selectFrom('deals').selectAll('deals').where(where);
  if (cursor) q = q.where(afterCursor(sort, cursor, 'deals.id'));
  const rows = await q
    .orderBy(sql.ref(sort.column), sort.dir)
    .orderBy('deals.id', sort.dir)
    .limit(query.limit + 1)
    .execute();
  const page = toPage(rows, query.limit, (r) => sortValue(r, sort.column), (r) => r);
  const items = await hydrate(ctx, db, actor, page.items);
  const result: Page<Deal> = { items, nextCursor: page.nextCursor };
  if (query.withTotal) {
    const t = await db.selectFrom('deals').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow();
    result.total = Number(t.n);
  }
  return result;
}
