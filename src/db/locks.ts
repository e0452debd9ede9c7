import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DialectName } from './connection.js';

// Row and key locks inside a transaction: the one place where the dialects differ.
//
// SQLite: the app has one connection and a Kysely transaction holds it until commit, so every
// transaction already runs alone; these are no-ops there. PostgreSQL: READ COMMITTED
// transactions run side by side, so a read-then-write that must not interleave takes a lock.

type Trx = Transaction<Database> | Kysely<Database>;

/**
 * Serialises every transaction that takes the same key until they commit (PostgreSQL
 * `pg_advisory_xact_lock`). For counters that are read and then written, e.g. the log-in
 * attempt ledger.
 */
export async function lockKey(trx: Trx, dialect: DialectName, key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}

/**
 * Locks rows of `table` (`SELECT … FOR UPDATE`) in ascending id order, so that two transactions
 * touching the same rows (A←B and B←A merges) queue up instead of deadlocking. Returns the ids
 * that exist in the workspace.
 */
export async function lockRows(trx: Trx, dialect: DialectName, table: 'contacts' | 'companies' | 'deals' | 'leads' | 'pipelines' | 'workspaces', workspaceId: number, ids: number[]): Promise<number[]> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const wsColumn = table === 'workspaces' ? 'id' : 'workspace_id';
  const forUpdate = dialect === 'postgres' ? sql` for update` : sql``;
  const rows = await sql<{ id: number }>`select id from ${sql.table(table)} where ${sql.ref(wsColumn)} = ${workspaceId} and id in (${sql.join(sorted)}) order by id${forUpdate}`.execute(trx);
  return rows.rows.map((r) => Number(r.id));
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be run again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
