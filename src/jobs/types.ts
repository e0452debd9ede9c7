import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, JobsTable } from '../db/schema.js';

/** The database or an open transaction (the engine's own alias, to stay free of the app's modules). */
export type JobExecutor = Kysely<Database> | Transaction<Database>;

export type JobRow = Selectable<JobsTable>;
export type JobState = JobRow['state'];

// The states of a job (as in River and Oban):
//
//   enqueue ──► scheduled (run_at in the future) ─┐
//          └──► available (due) ──────────────────┼─► running ─► completed
//                  retryable (after a failure) ───┘      │  └──► retryable (attempt < max_attempts)
//                                                        └──► failed (attempts used up, or a permanent error)
//   scheduled | available | retryable ─► cancelled (cancel by id or unique key prefix)
//   running of a dead worker ─► retryable (the watchdog; the attempt it was on counts)
//   running at shutdown past the grace period ─► available (released; that attempt does not count)
//
// "Pending" is scheduled, available or retryable: claimable once run_at has come. Whether a
// pending job is due is decided by run_at against the clock, not by the state, so no process has
// to move scheduled jobs to available on time.
export const PENDING_STATES = ['scheduled', 'available', 'retryable'] as const satisfies readonly JobState[];
/** A unique key is held while the job is in one of these states. */
export const UNFINISHED_STATES = [...PENDING_STATES, 'running'] as const satisfies readonly JobState[];
export const FINISHED_STATES = ['completed', 'failed', 'cancelled'] as const satisfies readonly JobState[];

export interface JobError {
  attempt: number;
  at: string;
  error: string;
  workerId: string | null;
}

/** A job as perform sees it, and as the queue's reads return it. */
export interface Job<A = unknown> {
  id: number;
  workspaceId: number | null;
  kind: string;
  args: A;
  state: JobState;
  priority: number;
  runAt: string;
  attempt: number;
  maxAttempts: number;
  errors: JobError[];
  lastError: string | null;
  result: unknown;
  uniqueKey: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  heartbeatAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const parseJson = (text: string | null): unknown => (text == null ? null : JSON.parse(text));

export function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    workspaceId: row.workspace_id == null ? null : Number(row.workspace_id),
    kind: row.kind,
    args: parseJson(row.args),
    state: row.state,
    priority: Number(row.priority),
    runAt: row.run_at,
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    errors: parseJson(row.errors) as JobError[],
    lastError: row.last_error,
    result: parseJson(row.result),
    uniqueKey: row.unique_key,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQLite hands back what was bound (ISO strings); PostgreSQL's parser makes them ISO too. Dates in, ISO out. */
export const iso = (d: Date | string): string => (typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());
