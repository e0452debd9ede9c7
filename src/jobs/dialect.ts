import { sql } from 'kysely';
import type { DialectName } from '../db/connection.js';
import { PENDING_STATES, type JobExecutor, type JobRow } from './types.js';

// Where SQLite and PostgreSQL differ for the job engine — and only here.
//
// PostgreSQL: several server processes share one database. A claim locks the due rows it picks
// with FOR UPDATE SKIP LOCKED inside the UPDATE that marks them running, so two processes
// claiming at the same moment get disjoint sets and neither waits for the other.
//
// SQLite: writes are serialised by the database (one writer at a time), so a claim — a single
// UPDATE … RETURNING statement — can never hand one row to two claimers either. On top of that
// one process runs jobs: a worker claims only while it holds the runner lease (lease.ts), so a
// second process on the same file (a CLI command, a mistaken second `npm start`) serves HTTP but
// leaves the jobs to the first, and per-process limits (concurrency) mean what they say.

const pendingList = sql.raw(PENDING_STATES.map((s) => `'${s}'`).join(', '));

export interface ClaimParams {
  workerId: string;
  now: string;
  limit: number;
  kinds: string[];
}

/** Marks up to `limit` due jobs of the given kinds running for this worker (attempt + 1) and returns them in run order. */
export async function claimDue(exec: JobExecutor, dialect: DialectName, p: ClaimParams): Promise<JobRow[]> {
  if (p.limit <= 0 || p.kinds.length === 0) return [];
  const set = sql`state = 'running', attempt = jobs.attempt + 1, claimed_by = ${p.workerId}, claimed_at = ${p.now}, heartbeat_at = ${p.now}, updated_at = ${p.now}`;
  const due = sql`state in (${pendingList}) and run_at <= ${p.now} and kind in (${sql.join(p.kinds)})`;
  const rows =
    dialect === 'postgres'
      ? await sql<JobRow>`
          with picked as (
            select id from jobs where ${due}
            order by priority, run_at, id
            limit ${p.limit}
            for update skip locked
          )
          update jobs set ${set} from picked where jobs.id = picked.id
          returning jobs.*`.execute(exec)
      : await sql<JobRow>`
          update jobs set ${set}
          where id in (select id from jobs where ${due} order by priority, run_at, id limit ${p.limit})
          returning *`.execute(exec);
  return rows.rows.sort((a, b) => Number(a.priority) - Number(b.priority) || a.run_at.localeCompare(b.run_at) || Number(a.id) - Number(b.id));
}

/** ` for update skip locked` on PostgreSQL (rows another process is already handling are left to it); nothing on SQLite. */
export const skipLocked = (dialect: DialectName) => (dialect === 'postgres' ? sql` for update skip locked` : sql``);

/**
 * Inside a transactional job's transaction: PostgreSQL cancels a statement still running when
 * the attempt's time is up (a hung query would otherwise keep the transaction, and the attempt,
 * open past its timeout). SQLite statements are synchronous and cannot hang this way.
 */
export async function limitStatementTime(trx: JobExecutor, dialect: DialectName, ms: number): Promise<void> {
  if (dialect === 'postgres') await sql`select set_config('statement_timeout', ${String(Math.max(1, Math.ceil(ms)))}, true)`.execute(trx);
}

/** Whether this dialect needs the runner lease for a process to run jobs (SQLite: one process runs them). */
export const needsRunnerLease = (dialect: DialectName) => dialect === 'sqlite';
