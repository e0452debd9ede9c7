import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// - roles.capabilities (src/modules/permissions/capabilities.ts): rights beside the record matrix that a
//   role may be granted, e.g. `automation.manage` (edit robots and triggers). A JSON array of their
//   names, '[]' for none; administrators have every capability whatever the column says.
// - notifications.email_state / email_error (src/modules/notifications/notification-mail.ts): the
//   e-mail copy of a notification for a user who wants one — 'queued', then 'sending' (committed before
//   the call out), 'sent', 'failed', 'uncertain' (the process stopped while sending: not sent again) or
//   'skipped'; null when no e-mail was asked for.
export async function up(db: Kysely<any>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('roles').addColumn('capabilities', 'text', (c) => c.notNull().defaultTo(sql`'[]'`)).execute();
  await db.schema.alterTable('notifications').addColumn('email_state', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('email_error', 'text').execute();
}
