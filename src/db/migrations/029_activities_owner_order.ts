import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The activities module's owner index also orders: a record's next planned activity (by deadline,
// then id) is read from it directly. Without it SQLite — which has no statistics until ANALYZE —
// chose activities_deadline_idx for that look-up and walked every activity of the workspace in
// deadline order: each planned activity cost O(activities) and robots planning calls in bulk slowed
// down as the table grew (bench:automation).
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex('activities_owner_idx').execute();
  await db.schema
    .createIndex('activities_owner_idx')
    .on('activities')
    .columns(['workspace_id', 'entity_type', 'entity_id', 'status', 'deadline_at', 'id'])
    .execute();
}
