import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Lead list sorts by creation time and filters by status semantic (in progress / converted /
// junk); both need an index that starts with workspace_id like every other one.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  void ctx;
  await db.schema.createIndex('leads_created_idx').on('leads').columns(['workspace_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('leads_semantic_idx').on('leads').columns(['workspace_id', 'status_semantic', 'id']).execute();
}
