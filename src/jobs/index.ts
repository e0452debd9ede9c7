// The durable job engine: background work kept in the database (the `jobs` table), claimed by
// workers in one or several server processes, retried, rescued after a crash, pruned. It knows
// nothing of CRM records: modules register job kinds (a zod schema of arguments + perform) and
// enqueue them in their own transactions. docs/jobs.md describes states and guarantees.
//
// Why our own and not pg-boss or graphile-worker: both are PostgreSQL-only, and Voronka runs on
// SQLite too (`npm start` with nothing else installed) — one engine must serve both, and enqueue
// in the same transaction as the change on either. The design follows the database-backed
// queues teams trust in production: Oban and River (claim with FOR UPDATE SKIP LOCKED, attempt
// counted at claim, unique jobs over unfinished states, rescue of orphaned running jobs,
// pruning), Solid Queue (heartbeats of processes, release of claimed work on shutdown).
export { JobQueue, type EnqueueOptions, type Enqueued, type CancelTarget, type QueueHealth } from './queue.js';
export { JobWorker, type WorkerOptions, type RunReport, type Outcome } from './worker.js';
export { JobRegistry, defineJobKind, PermanentJobError, type JobKind, type JobContext, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from './registry.js';
export { defaultBackoff, exponentialBackoff } from './backoff.js';
export { PENDING_STATES, UNFINISHED_STATES, FINISHED_STATES, type Job, type JobState, type JobError, type JobExecutor } from './types.js';
