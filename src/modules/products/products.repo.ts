import { sql, type Insertable, type RawBuilder, type SqlBool, type Updateable } from 'kysely';
import type { ProductsTable } from '../../db/schema.js';
import { afterCursor } from '../../db/keyset.js';
import type { Executor } from '../../server/context.js';
import type { Cursor, SortSpec } from '../../server/http/list-query.js';
import { escapeLike } from '../../server/http/text.js';
import type { ProductRow } from './products.mapper.js';

// Kysely queries of the products table.


export async function findProduct(exec: Executor, workspaceId: number, id: number): Promise<ProductRow | undefined> {
  return exec.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

export async function insertProduct(exec: Executor, values: Insertable<ProductsTable>): Promise<ProductRow> {
  return exec.insertInto('products').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Optimistic update: undefined when the version moved on meanwhile. */
export async function updateProduct(exec: Executor, workspaceId: number, id: number, version: number, values: Updateable<ProductsTable>): Promise<ProductRow | undefined> {
  return exec
    .updateTable('products')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function deactivateProduct(exec: Executor, workspaceId: number, id: number, now: string): Promise<void> {
  await exec
    .updateTable('products')
    .set({ active: 0, updated_at: now, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('active', '=', 1)
    .execute();
}

export interface ProductListFilter {
  active?: boolean;
  /** lower-cased text to find in name or SKU */
  q?: string;
}

function filtered(exec: Executor, workspaceId: number, f: ProductListFilter) {
  let q = exec.selectFrom('products').where('products.workspace_id', '=', workspaceId);
  if (f.active !== undefined) q = q.where('products.active', '=', f.active ? 1 : 0);
  if (f.q) q = q.where(searchCondition(f.q));
  return q;
}

const searchCondition = (text: string): RawBuilder<SqlBool> => sql<SqlBool>`products.search_text like ${'%' + escapeLike(text) + '%'} escape '\\'`;

export async function listProducts(exec: Executor, workspaceId: number, f: ProductListFilter, sort: SortSpec, cursor: Cursor | undefined, limit: number): Promise<ProductRow[]> {
  let q = filtered(exec, workspaceId, f).selectAll('products');
  if (cursor) q = q.where(afterCursor(sort, cursor, 'products.id'));
  return q
    .orderBy(sql.ref(sort.column), sort.dir)
    .orderBy('products.id', sort.dir)
    .limit(limit + 1)
    .execute();
}

export async function countProducts(exec: Executor, workspaceId: number, f: ProductListFilter): Promise<number> {
  const row = await filtered(exec, workspaceId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
