import { sql, type SqlBool, type RawBuilder, type Insertable, type Updateable } from 'kysely';
import type { Action } from '../permissions/levels.js';
import type { Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import { afterCursor } from '../../db/keyset.js';
import type { Cursor, SortSpec } from '../../server/http/list-query.js';
import type { Executor } from '../../server/context.js';
import type { Database } from '../../db/schema.js';
import type { ContactRow } from './contacts.mapper.js';

// Kysely queries of the contacts and contact_companies tables.

export const contactScope = (actor: Actor, action: Action) => scopeFilter(actor, 'contact', action, { responsible: 'contacts.responsible_id' });

export async function findContact(exec: Executor, actor: Actor, id: number, action: Action = 'read'): Promise<ContactRow | undefined> {
  return exec
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where(contactScope(actor, action))
    .executeTakeFirst();
}

export async function insertContact(exec: Executor, values: Insertable<Database['contacts']>): Promise<ContactRow> {
  return exec.insertInto('contacts').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: undefined when the version moved on meanwhile. */
export async function updateContact(
  exec: Executor,
  workspaceId: number,
  id: number,
  version: number,
  values: Updateable<Database['contacts']>,
): Promise<ContactRow | undefined> {
  return exec
    .updateTable('contacts')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteContact(exec: Executor, workspaceId: number, id: number): Promise<void> {
  await exec.deleteFrom('contacts').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function companyIdsOf(exec: Executor, workspaceId: number, contactIds: number[]): Promise<Map<number, number[]>> {
  const result = new Map<number, number[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return result;
  const rows = await exec
    .selectFrom('contact_companies')
    .select(['contact_id', 'company_id'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', [...new Set(contactIds)])
    .orderBy('contact_id')
    .orderBy('company_id')
    .execute();
  for (const r of rows) result.get(r.contact_id)!.push(r.company_id);
  return result;
}

export async function replaceCompanyLinks(exec: Executor, workspaceId: number, contactId: number, companyIds: number[]): Promise<void> {
  await exec.deleteFrom('contact_companies').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).execute();
  const unique = [...new Set(companyIds)];
  if (unique.length) {
    await exec
      .insertInto('contact_companies')
      .values(unique.map((company_id) => ({ workspace_id: workspaceId, contact_id: contactId, company_id })))
      .execute();
  }
}

/** Re-points every contact linked to one company at another (company merge), skipping links that already exist. */
export async function moveCompanyLinks(exec: Executor, workspaceId: number, fromCompanyId: number, toCompanyId: number): Promise<void> {
  await exec
    .insertInto('contact_companies')
    .columns(['workspace_id', 'contact_id', 'company_id'])
    .expression((eb) =>
      eb
        .selectFrom('contact_companies as l')
        .select([sql.lit(workspaceId).as('workspace_id'), 'l.contact_id', sql.lit(toCompanyId).as('company_id')])
        .where('l.workspace_id', '=', workspaceId)
        .where('l.company_id', '=', fromCompanyId)
        .where('l.contact_id', 'not in', (sub) =>
          sub.selectFrom('contact_companies as t').select('t.contact_id').where('t.workspace_id', '=', workspaceId).where('t.company_id', '=', toCompanyId),
        ),
    )
    .execute();
  await exec.deleteFrom('contact_companies').where('workspace_id', '=', workspaceId).where('company_id', '=', fromCompanyId).execute();
}

export interface ContactListFilter {
  ids?: number[];
  responsibleIds?: number[];
  typeIds?: number[];
  sourceIds?: number[];
  companyIds?: number[];
  conditions: RawBuilder<SqlBool>[];
}

function filtered(exec: Executor, actor: Actor, f: ContactListFilter) {
  const ws = actor.workspaceId;
  let q = exec.selectFrom('contacts').where('contacts.workspace_id', '=', ws).where(contactScope(actor, 'read'));
  if (f.ids) q = q.where('contacts.id', 'in', f.ids);
  if (f.responsibleIds) q = q.where('contacts.responsible_id', 'in', f.responsibleIds);
  if (f.typeIds) q = q.where('contacts.type_id', 'in', f.typeIds);
  if (f.sourceIds) q = q.where('contacts.source_id', 'in', f.sourceIds);
  if (f.companyIds) {
    const companyIds = f.companyIds;
    q = q.where('contacts.id', 'in', (sub) =>
      sub.selectFrom('contact_companies').select('contact_id').where('workspace_id', '=', ws).where('company_id', 'in', companyIds),
    );
  }
  for (const c of f.conditions) q = q.where(c);
  return q;
}

export async function listContacts(exec: Executor, actor: Actor, f: ContactListFilter, sort: SortSpec, cursor: Cursor | undefined, limit: number): Promise<ContactRow[]> {
  let q = filtered(exec, actor, f).selectAll('contacts');
  if (cursor) q = q.where(afterCursor(sort, cursor, 'contacts.id'));
  return q
    .orderBy(sql.ref(sort.column), sort.dir)
    .orderBy('contacts.id', sort.dir)
    .limit(limit + 1)
    .execute();
}

export async function countContacts(exec: Executor, actor: Actor, f: ContactListFilter): Promise<number> {
  const row = await filtered(exec, actor, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
