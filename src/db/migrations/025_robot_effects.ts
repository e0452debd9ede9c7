import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The automation module's ledger of external effects (src/modules/automation/effects.ts,
// docs/automation.md § External effects): one row per effect (an SMS, an e-mail, a webhook call)
// of one robot run, keyed by its idempotency key. The attempt is written and committed before the
// provider is called and the outcome after it; a run that finds an attempt without an outcome
// reconciles instead of sending again.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  await db.schema
    .createTable('automation_effects')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('result', 'text')
    .addColumn('attempted_at', ts, (c) => c.notNull())
    .addColumn('not_found_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('automation_effects_channel_check', sql`channel in ('sms', 'email', 'webhook')`)
    .addCheckConstraint('automation_effects_status_check', sql`status in ('attempting', 'retry', 'sent', 'failed', 'uncertain')`)
    .execute();
  // one effect per idempotency key (robot × record × stage entry)
  await db.schema.createIndex('automation_effects_key_uq').on('automation_effects').columns(['workspace_id', 'key']).unique().execute();
  await db.schema.createIndex('automation_effects_run_idx').on('automation_effects').column('run_id').execute();
}
