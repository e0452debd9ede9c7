import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The timeline's rows are the outbox of domain events (src/modules/timeline/outbox.ts): consumers
// (the automation engine) read them in commit order and never miss or repeat one.
// - PostgreSQL hands out ids when a row is inserted, not when its transaction commits: a reader
//   taking "ids above the last one seen" skips a row whose transaction committed after a later id
//   was read. Each row therefore carries its transaction's id (`tx_id`, xid8), and readers take
//   only rows of transactions older than every transaction still running
//   (pg_snapshot_xmin(pg_current_snapshot())), in (tx_id, id) order: once a transaction is below
//   that horizon, no row of it can appear any more. Rows written before this migration share its
//   transaction id and are read in id order.
// - SQLite has one writer at a time and assigns ids inside the write transaction, so id order is
//   commit order; tx_id stays null there.
// - outbox_cursors: each consumer's position, advanced in the same transaction as its effects.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'postgres') {
    await sql`alter table timeline_entries add column tx_id xid8 not null default pg_current_xact_id()`.execute(db);
    await sql`create index timeline_outbox_idx on timeline_entries (tx_id, id)`.execute(db);
  }
  await db.schema
    .createTable('outbox_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('tx_id', 'text')
    .addColumn('last_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ctx.dialect === 'postgres' ? 'timestamptz' : 'text', (c) => c.notNull())
    .execute();
}
