import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Products: a lower-cased name key for the name sort and a search haystack for `q` on name and
// SKU (both computed in JS, as SQLite's lower() is ASCII-only). Activities: the indexes behind
// the list sorts that do not start with a responsible (admins and heads see many users).
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('products').addColumn('name_key', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('products').addColumn('search_text', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('products_name_key_idx').on('products').columns(['workspace_id', 'name_key', 'id']).execute();
  await db.schema.createIndex('products_created_idx').on('products').columns(['workspace_id', 'created_at', 'id']).execute();

  await db.schema.createIndex('activities_deadline_idx').on('activities').columns(['workspace_id', 'deadline_at', 'id']).execute();
  await db.schema.createIndex('activities_created_idx').on('activities').columns(['workspace_id', 'created_at', 'id']).execute();

  if (ctx.dialect === 'postgres') {
    await sql`create index products_search_trgm on products using gin (search_text gin_trgm_ops)`.execute(db);
  }
}
