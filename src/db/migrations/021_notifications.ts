import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The notifications module's tables (src/modules/notifications, docs/notifications.md):
// - notifications: one in-app notification for one user; `dedupe_key` is unique per user, so a
//   retried job (robot, overdue control) that notifies again inserts nothing the second time.
// - notification_preferences: per user and kind, whether it also comes by e-mail.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  await db.schema
    .createTable('notifications')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'integer')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('read_at', ts)
    .addCheckConstraint('notifications_entity_check', sql`(entity_type is null) = (entity_id is null)`)
    .execute();
  // the list (newest first) and the unread count of one user
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['workspace_id', 'user_id', 'id']).execute();
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .columns(['workspace_id', 'user_id', 'id'])
    .where(sql.raw<boolean>('read_at is null'))
    .execute();
  // NULL keys are distinct on both databases: notifications without a key are never merged
  await db.schema.createIndex('notifications_dedupe_uq').on('notifications').columns(['workspace_id', 'user_id', 'dedupe_key']).unique().execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['workspace_id', 'user_id', 'kind'])
    .execute();
}
