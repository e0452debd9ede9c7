import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// The durable job engine's tables (src/jobs, docs/jobs.md):
// - jobs: one row per unit of background work, from enqueue (in the caller's transaction) to its
//   end (completed, failed, cancelled), then pruned. The state machine is in src/jobs/types.ts.
// - job_leases: named leases with an expiry; on SQLite the runner lease makes one process the one
//   that runs jobs.
//
// Partial indexes carry the queue: claiming reads only pending rows, the watchdog only running
// ones, pruning only finished ones, and the unique key allows one job per key while it is not
// finished. The predicates are written exactly as the engine's queries write them, so that
// SQLite (which matches partial-index predicates term by term) uses them too.
export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  const pgsql = ctx.dialect === 'postgres';
  const ts = pgsql ? 'timestamptz' : 'text';
  await db.schema
    .createTable('jobs')
    // bigserial on PostgreSQL: at a thousand jobs a second a 32-bit id lasts under a month
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('workspace_id', 'integer', (c) => c.references('workspaces.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', ts, (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    // byte order on PostgreSQL too, so that a key-prefix range (cancel by prefix) is an index range
    .addColumn('unique_key', pgsql ? sql`text collate "C"` : 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', ts)
    .addColumn('heartbeat_at', ts)
    .addColumn('finished_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addCheckConstraint('jobs_state_check', sql`state in ('scheduled', 'available', 'running', 'retryable', 'completed', 'failed', 'cancelled')`)
    .addCheckConstraint('jobs_attempts_check', sql`attempt >= 0 and max_attempts >= 1`)
    .execute();

  await db.schema
    .createIndex('jobs_unique_key_uq')
    .on('jobs')
    .column('unique_key')
    .unique()
    .where(sql.raw<boolean>(`state in ('scheduled', 'available', 'retryable', 'running')`))
    .execute();
  await db.schema
    .createIndex('jobs_due_idx')
    .on('jobs')
    .columns(['priority', 'run_at', 'id'])
    .where(sql.raw<boolean>(`state in ('scheduled', 'available', 'retryable')`))
    .execute();
  await db.schema.createIndex('jobs_running_idx').on('jobs').columns(['heartbeat_at']).where(sql.raw<boolean>(`state = 'running'`)).execute();
  await db.schema
    .createIndex('jobs_finished_idx')
    .on('jobs')
    .columns(['finished_at'])
    .where(sql.raw<boolean>(`state in ('completed', 'failed', 'cancelled')`))
    .execute();
  await db.schema.createIndex('jobs_workspace_idx').on('jobs').columns(['workspace_id', 'state', 'run_at']).execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();
}
