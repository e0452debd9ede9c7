import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { decodeCursor, toPage, type SortSpec } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import { leadConditions } from './lead-filters.js';
import { toLead } from './leads.mapper.js';
import { listLeads, totalsByStatus, type StatusTotal } from './leads.repo.js';
import type { Lead, LeadFilters, LeadSemantic } from './leads.schema.js';

// The lead board: one column per lead status (in list order) with its count, amount sums per
// currency and the newest leads; a column pages on with GET /leads/board/{statusId}?cursor=…
// Every number and card goes through the same filters and read scope as GET /leads.

export interface LeadStatusInfo {
  id: number;
  name: string;
  semantic: LeadSemantic | null;
  active: boolean;
}

export interface LeadBoardColumn {
  status: LeadStatusInfo;
  count: number;
  sums: Array<{ currency: string; amount: number }>;
  items: Lead[];
  nextCursor: string | null;
}

export interface LeadBoard {
  columns: LeadBoardColumn[];
}

const NEWEST_FIRST: SortSpec = { field: 'id', column: 'leads.id', type: 'id', dir: 'desc' };

async function leadStatuses(ctx: AppContext, actor: Actor): Promise<LeadStatusInfo[]> {
  const items = await ctx.services.referenceLists.list(actor, 'lead-statuses', true);
  return items.map((i) => ({ id: i.id, name: i.name, semantic: i.semantic as LeadSemantic | null, active: i.active }));
}

function header(totals: StatusTotal[], statusId: number): Pick<LeadBoardColumn, 'count' | 'sums'> {
  const mine = totals.filter((t) => t.statusId === statusId);
  return {
    count: mine.reduce((n, t) => n + t.count, 0),
    sums: mine.filter((t) => t.amount !== 0).map((t) => ({ currency: t.currency, amount: t.amount })).sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

async function columnCards(ctx: AppContext, actor: Actor, base: ReturnType<typeof sql<SqlBool>>[], statusId: number, limit: number, cursor?: string) {
  const db = ctx.db.kysely;
  const conditions = [...base, sql<SqlBool>`leads.status_id = ${statusId}`];
  const rows = await listLeads(db, actor.workspaceId, conditions, NEWEST_FIRST, decodeCursor(cursor, NEWEST_FIRST), limit);
  const comms = await ctx.services.communications.listFor(db, actor.workspaceId, 'lead', rows.map((r) => r.id));
  return toPage(rows, limit, (r) => r.id, (r) => toLead(r, comms.get(r.id)!));
}

export async function buildLeadBoard(ctx: AppContext, actor: Actor, filters: LeadFilters, limit: number): Promise<LeadBoard> {
  const db = ctx.db.kysely;
  const conditions = await leadConditions(ctx, actor, filters);
  const [statuses, totals] = await Promise.all([leadStatuses(ctx, actor), totalsByStatus(db, actor.workspaceId, conditions)]);
  const columns: LeadBoardColumn[] = [];
  for (const status of statuses) {
    const head = header(totals, status.id);
    // A deactivated status keeps a column only while leads still sit in it.
    if (!status.active && head.count === 0) continue;
    const page = head.count === 0 ? { items: [], nextCursor: null } : await columnCards(ctx, actor, conditions, status.id, limit);
    columns.push({ status, ...head, items: page.items, nextCursor: page.nextCursor });
  }
  return { columns };
}

export async function buildLeadBoardColumn(ctx: AppContext, actor: Actor, statusId: number, filters: LeadFilters, limit: number, cursor?: string): Promise<LeadBoardColumn> {
  const db = ctx.db.kysely;
  const status = (await leadStatuses(ctx, actor)).find((s) => s.id === statusId);
  if (!status) throw notFound('Lead status');
  const conditions = await leadConditions(ctx, actor, filters);
  const totals = await totalsByStatus(db, actor.workspaceId, [...conditions, sql<SqlBool>`leads.status_id = ${statusId}`]);
  const page = await columnCards(ctx, actor, conditions, statusId, limit, cursor);
  return { status, ...header(totals, statusId), items: page.items, nextCursor: page.nextCursor };
}
