import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The messaging module's tables (src/modules/messaging, docs/messaging.md):
// - messaging_settings: one row per workspace, the SMTP server and the SMS provider with their
//   credentials (never returned by the API, only "set"). No row = defaults: log-only SMS, no SMTP.
// - messaging_log: what the "log only" providers (trial installs) would have sent, one row per
//   (workspace, channel, our id), so that sending the same key twice records it once.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  await db.schema
    .createTable('messaging_settings')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('smtp_host', 'text')
    .addColumn('smtp_port', 'integer')
    .addColumn('smtp_secure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('smtp_user', 'text')
    .addColumn('smtp_password', 'text')
    .addColumn('mail_from_address', 'text')
    .addColumn('mail_from_name', 'text')
    .addColumn('sms_provider', 'text', (c) => c.notNull().defaultTo('log'))
    .addColumn('smsru_api_id', 'text')
    .addColumn('smsc_login', 'text')
    .addColumn('smsc_password', 'text')
    .addColumn('smsc_api_key', 'text')
    .addColumn('sms_sender', 'text')
    .addColumn('sms_api_url', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('messaging_settings_sms_provider_check', sql`sms_provider in ('log', 'smsru', 'smsc')`)
    .execute();

  await db.schema
    .createTable('messaging_log')
    .addColumn('id', pgsql ? 'serial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('our_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('sender', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addCheckConstraint('messaging_log_channel_check', sql`channel in ('sms', 'email')`)
    .execute();
  await db.schema.createIndex('messaging_log_key_uq').on('messaging_log').columns(['workspace_id', 'channel', 'our_id']).unique().execute();
}
