import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The automation module's triggers (src/modules/automation/triggers, docs/automation.md § Triggers):
// - automation_triggers: a trigger sits on a deal stage (its target) and moves a deal there when its
//   event happens; `params` and `condition` are JSON checked by the trigger type's schema and the
//   field catalogue when saved; `token` is the secret of an inbound webhook's URL (unique, else null).
// - automation_trigger_firings: the log of every firing (moved, skipped with the reason, failed),
//   shown in the deal's Automation tab; `event_key` (the outbox event, or the idle spell) makes a
//   replayed firing a no-op.
// - automation_hook_calls: the inbound webhook's ledger for its rate limits (per address, per trigger).
// And timeline_entries.robot_kind: 'trigger' when robot_id/robot_name name a trigger (null: a robot).
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  const id = (c: any) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema.alterTable('timeline_entries').addColumn('robot_kind', 'text').execute();

  await db.schema
    .createTable('automation_triggers')
    .addColumn('id', pgsql ? 'serial' : 'integer', id)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('pipeline_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('condition', 'text')
    .addColumn('allow_back', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('token', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('automation_triggers_entity_check', sql`entity_type in ('deal')`)
    .execute();
  await db.schema.createIndex('automation_triggers_type_idx').on('automation_triggers').columns(['workspace_id', 'type', 'enabled']).execute();
  await db.schema.createIndex('automation_triggers_pipeline_idx').on('automation_triggers').columns(['workspace_id', 'pipeline_id', 'stage_id']).execute();
  await db.schema.createIndex('automation_triggers_token_uq').on('automation_triggers').column('token').unique().execute();

  await db.schema
    .createTable('automation_trigger_firings')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', id)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('trigger_id', 'integer', (c) => c.notNull())
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('trigger_name', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('stage_id', 'integer', (c) => c.notNull())
    .addColumn('from_stage_id', 'integer')
    .addColumn('event_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('automation_trigger_firings_status_check', sql`status in ('moved', 'skipped', 'failed')`)
    .execute();
  await db.schema.createIndex('automation_trigger_firings_key_uq').on('automation_trigger_firings').columns(['trigger_id', 'event_key']).unique().execute();
  await db.schema.createIndex('automation_trigger_firings_record_idx').on('automation_trigger_firings').columns(['workspace_id', 'entity_type', 'entity_id', 'id']).execute();

  await db.schema
    .createTable('automation_hook_calls')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', id)
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('trigger_id', 'integer')
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('automation_hook_calls_ip_idx').on('automation_hook_calls').columns(['ip', 'created_at']).execute();
  await db.schema.createIndex('automation_hook_calls_trigger_idx').on('automation_hook_calls').columns(['trigger_id', 'created_at']).execute();
}
