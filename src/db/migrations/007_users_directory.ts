import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The user directory (GET /users) lists active or inactive users ordered by name, with keyset
// pagination on (name, id): this index serves that walk directly.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('users_ws_active_name_idx').on('users').columns(['workspace_id', 'active', 'name', 'id']).execute();
}
