import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// - audit_log: settings changes that matter for audit (pipelines and stages, roles and grants,
//   custom fields, users' roles and activation), who and when, old and new values;
// - lead_status_history: lead status changes as first-class events like deal stage moves, with
//   exactly one open row per lead (partial unique index). Existing leads get their open row.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  const id = (t: ReturnType<Kysely<any>['schema']['createTable']>) =>
    t.addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('audit_log'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('actor_id', 'integer')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_ws_idx').on('audit_log').columns(['workspace_id', 'id']).execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['workspace_id', 'entity_type', 'entity_id', 'id']).execute();

  await id(db.schema.createTable('lead_status_history'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.notNull())
    .addColumn('status_id', 'integer', (c) => c.notNull())
    .addColumn('status_semantic', 'text', (c) => c.notNull())
    .addColumn('responsible_id', 'integer')
    .addColumn('entered_at', ts, (c) => c.notNull())
    .addColumn('entered_by_id', 'integer')
    .addColumn('exited_at', ts)
    .addColumn('exited_by_id', 'integer')
    .execute();
  await db.schema.createIndex('lead_status_history_lead_idx').on('lead_status_history').columns(['workspace_id', 'lead_id', 'entered_at']).execute();
  await db.schema
    .createIndex('lead_status_history_open_uq')
    .on('lead_status_history')
    .columns(['workspace_id', 'lead_id'])
    .unique()
    .where(sql.ref('exited_at'), 'is', null)
    .execute();
  await sql`
    insert into lead_status_history (workspace_id, lead_id, status_id, status_semantic, responsible_id, entered_at, entered_by_id)
    select workspace_id, id, status_id, status_semantic, responsible_id, created_at, created_by_id from leads`.execute(db);
}
