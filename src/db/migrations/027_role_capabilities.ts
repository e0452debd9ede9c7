import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Role capabilities (src/modules/permissions/capabilities.ts): rights beside the record matrix that a
// role may be granted, e.g. `automation.manage` (edit robots and triggers). A JSON array of their
// names, '[]' for none; administrators have every capability whatever the column says.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('roles').addColumn('capabilities', 'text', (c) => c.notNull().defaultTo(sql`'[]'`)).execute();
}
