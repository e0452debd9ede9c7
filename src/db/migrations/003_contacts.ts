import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Contacts and companies: a lower-cased name key (computed in JS, as SQLite's lower() is
// ASCII-only) that duplicates are matched on and name sorts walk, and the indexes behind
// the sortable list fields.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  for (const table of ['contacts', 'companies']) {
    await db.schema.alterTable(table).addColumn('name_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.createIndex(`${table}_name_key_idx`).on(table).columns(['workspace_id', 'name_key', 'id']).execute();
    await db.schema.createIndex(`${table}_created_idx`).on(table).columns(['workspace_id', 'created_at', 'id']).execute();
  }
}
