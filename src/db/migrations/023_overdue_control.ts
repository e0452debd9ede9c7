import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Overdue control (src/modules/overdue-control, docs/overdue-control.md):
// - overdue_control_settings: the workspace's rules (no row: the defaults, all on);
// - overdue_scan_state: how far each periodic scan has read (a keyset position per rule level);
// - overdue_notices: one row per notice sent (subject × level × deadline), the guard that makes a
//   notice happen once whatever re-runs, crashes or second processes do;
// - overdue_digest_mails: the daily digest's e-mails, the attempt recorded before sending.
// Plus indexes on tables of other modules for the reads those modules offer the scan: deals (idle
// deals by stage_changed_at; deals in progress without a planned activity) and activities (recent
// changes by updated_at).
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const ts = ctx.dialect === 'postgres' ? 'timestamptz' : 'text';
  await db.schema
    .createTable('overdue_control_settings')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('activity_enabled', 'integer', (c) => c.notNull())
    .addColumn('activity_notify_after_minutes', 'integer', (c) => c.notNull())
    .addColumn('activity_escalate_after_minutes', 'integer')
    .addColumn('deal_idle_enabled', 'integer', (c) => c.notNull())
    .addColumn('deal_idle_days', 'integer', (c) => c.notNull())
    .addColumn('deal_idle_escalate', 'integer', (c) => c.notNull())
    .addColumn('digest_enabled', 'integer', (c) => c.notNull())
    .addColumn('digest_time', 'text', (c) => c.notNull())
    .addColumn('digest_no_activity', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('overdue_scan_state')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('position_at', ts, (c) => c.notNull())
    .addColumn('position_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('overdue_scan_state_pk', ['workspace_id', 'level'])
    .execute();

  await db.schema
    .createTable('overdue_notices')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    .addColumn('notified_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('overdue_notices_pk', ['workspace_id', 'subject_type', 'subject_id', 'level', 'deadline_at'])
    .execute();

  await db.schema
    .createTable('overdue_digest_mails')
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('digest_date', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('overdue_digest_mails_pk', ['workspace_id', 'user_id', 'digest_date'])
    .addCheckConstraint('overdue_digest_mails_state_check', sql`state in ('sending', 'sent', 'failed', 'uncertain')`)
    .execute();

  // activities (the activities module's): recent changes by (updated_at, id), for activities created or rescheduled already overdue
  await db.schema.createIndex('activities_updated_idx').on('activities').columns(['workspace_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('deals_idle_idx').on('deals').columns(['workspace_id', 'stage_semantic', 'stage_changed_at', 'id']).execute();
  await db.schema.createIndex('deals_no_next_step_idx').on('deals').columns(['workspace_id', 'stage_semantic', 'next_activity_id', 'id']).execute();
}
