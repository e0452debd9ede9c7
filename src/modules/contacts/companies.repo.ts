import { sql, type SqlBool, type RawBuilder, type Insertable, type Updateable } from 'kysely';
import type { Action } from '../permissions/levels.js';
import type { Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import { afterCursor } from '../../db/keyset.js';
import type { Cursor, SortSpec } from '../../server/http/list-query.js';
import type { Executor } from '../../server/context.js';
import type { Database } from '../../db/schema.js';
import type { CompanyRow } from './companies.mapper.js';

// Kysely queries of the companies table.

export const companyScope = (actor: Actor, action: Action) => scopeFilter(actor, 'company', action, { responsible: 'companies.responsible_id' });

export async function findCompany(exec: Executor, actor: Actor, id: number, action: Action = 'read'): Promise<CompanyRow | undefined> {
  return exec
    .selectFrom('companies')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where(companyScope(actor, action))
    .executeTakeFirst();
}

export async function insertCompany(exec: Executor, values: Insertable<Database['companies']>): Promise<CompanyRow> {
  return exec.insertInto('companies').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: undefined when the version moved on meanwhile. */
export async function updateCompany(
  exec: Executor,
  workspaceId: number,
  id: number,
  version: number,
  values: Updateable<Database['companies']>,
): Promise<CompanyRow | undefined> {
  return exec
    .updateTable('companies')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCompany(exec: Executor, workspaceId: number, id: number): Promise<void> {
  await exec.deleteFrom('companies').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export interface CompanyListFilter {
  ids?: number[];
  responsibleIds?: number[];
  typeIds?: number[];
  industryIds?: number[];
  conditions: RawBuilder<SqlBool>[];
}

function filtered(exec: Executor, actor: Actor, f: CompanyListFilter) {
  let q = exec.selectFrom('companies').where('companies.workspace_id', '=', actor.workspaceId).where(companyScope(actor, 'read'));
  if (f.ids) q = q.where('companies.id', 'in', f.ids);
  if (f.responsibleIds) q = q.where('companies.responsible_id', 'in', f.responsibleIds);
  if (f.typeIds) q = q.where('companies.type_id', 'in', f.typeIds);
  if (f.industryIds) q = q.where('companies.industry_id', 'in', f.industryIds);
  for (const c of f.conditions) q = q.where(c);
  return q;
}

export async function listCompanies(exec: Executor, actor: Actor, f: CompanyListFilter, sort: SortSpec, cursor: Cursor | undefined, limit: number): Promise<CompanyRow[]> {
  let q = filtered(exec, actor, f).selectAll('companies');
  if (cursor) q = q.where(afterCursor(sort, cursor, 'companies.id'));
  return q
    .orderBy(sql.ref(sort.column), sort.dir)
    .orderBy('companies.id', sort.dir)
    .limit(limit + 1)
    .execute();
}

export async function countCompanies(exec: Executor, actor: Actor, f: CompanyListFilter): Promise<number> {
  const row = await filtered(exec, actor, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
