import { sql, type Insertable, type RawBuilder, type SqlBool, type Updateable } from 'kysely';
import type { LeadsTable } from '../../db/schema.js';
import { afterCursor } from '../../db/keyset.js';
import type { Executor } from '../../server/context.js';
import type { Cursor, SortSpec } from '../../server/http/list-query.js';
import type { LeadRow } from './leads.mapper.js';

// Kysely queries on the leads table only. Every query is scoped by workspace_id; reads take
// the caller's conditions (permission scope, filters) as SQL.

type Condition = RawBuilder<SqlBool>;

const where = (conditions: Condition[]): Condition => (conditions.length ? sql<SqlBool>`${sql.join(conditions, sql` and `)}` : sql<SqlBool>`1 = 1`);

export async function insertLead(exec: Executor, values: Insertable<LeadsTable>): Promise<number> {
  const row = await exec.insertInto('leads').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** One lead of the workspace that also meets `conditions` (e.g. the read scope); `lock` = FOR UPDATE (PostgreSQL). */
export async function findLead(exec: Executor, workspaceId: number, id: number, conditions: Condition[] = [], lock = false): Promise<LeadRow | undefined> {
  let q = exec.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).where(where(conditions));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Optimistic update: only if the row is still at `expectedVersion` (and meets `conditions`). Returns whether it changed. */
export async function updateLead(
  exec: Executor,
  workspaceId: number,
  id: number,
  expectedVersion: number,
  set: Updateable<LeadsTable>,
  conditions: Condition[] = [],
): Promise<boolean> {
  const res = await exec
    .updateTable('leads')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where(where(conditions))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function setSearchText(exec: Executor, workspaceId: number, id: number, searchText: string): Promise<void> {
  await exec.updateTable('leads').set({ search_text: searchText }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function deleteLead(exec: Executor, workspaceId: number, id: number): Promise<void> {
  await exec.deleteFrom('leads').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function listLeads(exec: Executor, workspaceId: number, conditions: Condition[], sort: SortSpec, cursor: Cursor | undefined, limit: number): Promise<LeadRow[]> {
  let q = exec.selectFrom('leads').selectAll().where('workspace_id', '=', workspaceId).where(where(conditions));
  if (cursor) q = q.where(afterCursor(sort, cursor, 'leads.id'));
  return q
    .orderBy(sql.ref(sort.column), sort.dir)
    .orderBy('leads.id', sort.dir)
    .limit(limit + 1)
    .execute();
}

export async function countLeads(exec: Executor, workspaceId: number, conditions: Condition[]): Promise<number> {
  const row = await exec
    .selectFrom('leads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where(where(conditions))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface StatusTotal {
  statusId: number;
  currency: string;
  count: number;
  amount: number;
}

/** Counts and amount sums per (status, currency): the header of each board column. */
export async function totalsByStatus(exec: Executor, workspaceId: number, conditions: Condition[]): Promise<StatusTotal[]> {
  const rows = await exec
    .selectFrom('leads')
    .select((eb) => ['status_id', 'currency', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount').as('total')])
    .where('workspace_id', '=', workspaceId)
    .where(where(conditions))
    .groupBy(['status_id', 'currency'])
    .execute();
  return rows.map((r) => ({ statusId: r.status_id, currency: r.currency, count: Number(r.n), amount: Number(r.total ?? 0) }));
}
