import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { Clock } from '../server/clock.js';
import { claimDue, limitStatementTime, needsRunnerLease, skipLocked } from './dialect.js';
import { acquireLease, releaseLease } from './lease.js';
import type { JobQueue } from './queue.js';
import { PermanentJobError, type JobKind } from './registry.js';
import { toJob, type Job, type JobError, type JobExecutor, type JobRow } from './types.js';

export interface WorkerOptions {
  /** names this process in claimed_by (default host:pid:random) */
  id?: string;
  /** jobs run at once in this process (default 5; each transactional one holds a database connection) */
  concurrency?: number;
  /** how often an idle worker looks for due jobs (default 500 ms) */
  pollIntervalMs?: number;
  /** how often running jobs' heartbeats are written and the watchdog looks for orphans (default 5 s) */
  heartbeatIntervalMs?: number;
  /** a running job whose heartbeat is older than this belongs to a dead worker (default 60 s) */
  heartbeatTimeoutMs?: number;
  /** completed and cancelled jobs are deleted this long after they finished (default 7 days) */
  keepMs?: number;
  /** failed jobs are deleted this long after they failed (default 30 days) */
  keepFailedMs?: number;
  /** how often pruning runs (default 10 min) */
  pruneIntervalMs?: number;
  /** on stop, how long running jobs may take to finish before they are released (default 10 s) */
  shutdownGraceMs?: number;
  /** the jitter source of retry delays (default Math.random) */
  random?: () => number;
  log?: Logger;
}

/** What one attempt came to. */
export type Outcome = 'completed' | 'retryable' | 'failed' | 'released' | 'lost';

export interface RunReport {
  completed: number;
  retryable: number;
  failed: number;
  /** attempts whose claim had been taken from this worker meanwhile (the watchdog gave the job to another) */
  lost: number;
}

class ShutdownRelease extends Error {
  constructor() {
    super('released at shutdown');
  }
}

class JobTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/** The claim was taken away (a newer claim exists): the attempt's writes must not land. */
class LostClaim extends Error {}

interface Running {
  row: JobRow;
  abort: AbortController;
  done: Promise<Outcome>;
}

const RUNNER_LEASE = 'runner';
const MAX_ERRORS_KEPT = 20;
const MAX_ERROR_LENGTH = 2000;

/**
 * The consumer's side of the job engine: claims due jobs, runs them with a time limit, writes
 * heartbeats while they run, retries failures with backoff, rescues the jobs of dead workers,
 * prunes finished jobs and shuts down gracefully.
 *
 * Two ways to drive it: `start()` runs it on timers (the server); tests call `runDueJobs()`,
 * `heartbeat()`, `rescueOrphans()` and `prune()` explicitly and move a ManualClock in between.
 *
 * Every write about a claimed job is guarded by (id, state running, claimed_by, attempt): a
 * worker that was presumed dead and comes back can neither complete nor fail a job the
 * watchdog has given to another, and a transactional job's effects roll back with it.
 */
export class JobWorker {
  readonly id: string;
  private readonly opts: Required<Omit<WorkerOptions, 'id' | 'log'>>;
  private readonly log: Logger;
  private readonly running = new Map<number, Running>();
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly claiming = new Set<Promise<unknown>>();
  private pumping = false;
  private pumpAgain = false;
  private leaseUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.log = (options.log ?? pino({ level: 'silent' })).child({ worker: this.id });
    this.opts = {
      concurrency: options.concurrency ?? 5,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 60_000,
      keepMs: options.keepMs ?? 7 * 24 * 3600_000,
      keepFailedMs: options.keepFailedMs ?? 30 * 24 * 3600_000,
      pruneIntervalMs: options.pruneIntervalMs ?? 10 * 60_000,
      shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
      random: options.random ?? Math.random,
    };
    if (this.opts.heartbeatIntervalMs * 2 > this.opts.heartbeatTimeoutMs) {
      throw new Error('jobs: the heartbeat timeout must be at least twice the heartbeat interval');
    }
  }

  private get registry() {
    return this.queue.registry;
  }

  /** Runs the worker on timers until stop(). */
  start(): void {
    if (this.timers.length || this.stopping) return;
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.opts.pollIntervalMs, () => this.pump(true));
    every(this.opts.heartbeatIntervalMs, async () => {
      await this.heartbeat();
      await this.rescueOrphans();
    });
    every(this.opts.pruneIntervalMs, () => this.prune());
    void this.pump().catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed'));
  }

  /**
   * Claims as many due jobs as there are free slots and starts them; goes on while batches come
   * full. Between polls (`poll` false: a job just finished) it waits until half the slots are free,
   * so that a claim is a batch rather than a round trip per finished job.
   */
  private async pump(poll = false): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.opts.concurrency - this.running.size;
        if (this.stopping || free <= 0 || (!poll && this.running.size > 0 && free < this.opts.concurrency / 2)) return;
        const started = await this.claimAndStart(free);
        for (const done of started) void done.then(() => this.pump()).catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed'));
        if (started.length === free) this.pumpAgain = true;
      } while (this.pumpAgain && !this.stopping);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Claims due jobs and runs them to their outcome, batch after batch, until none is due; then
   * resolves. Tests drive the worker with it (and with clock moves) instead of waiting.
   */
  async runDueJobs(): Promise<RunReport> {
    const report: RunReport = { completed: 0, retryable: 0, failed: 0, lost: 0 };
    for (;;) {
      const started = await this.claimAndStart(this.opts.concurrency);
      if (started.length === 0) return report;
      const outcomes = await Promise.all(started);
      for (const o of outcomes) if (o !== 'released') report[o]++;
    }
  }

  /**
   * Claims and starts the claimed jobs in one section that stop() waits for, so that a claim in
   * flight when the shutdown begins is still run (or released) before the worker lets go.
   */
  private async claimAndStart(limit: number): Promise<Array<Promise<Outcome>>> {
    const section = (async () => (await this.claim(limit)).map((row) => this.start1(row)))();
    this.claiming.add(section);
    try {
      return await section;
    } finally {
      this.claiming.delete(section);
    }
  }

  /** Marks up to `limit` due jobs running for this worker and returns them (they still have to be run). */
  async claim(limit: number): Promise<JobRow[]> {
    if (this.stopping) return [];
    if (needsRunnerLease(this.db.dialect) && !(await this.holdLease())) return [];
    return claimDue(this.db.kysely, this.db.dialect, { workerId: this.id, now: this.clock.now().toISOString(), limit, kinds: this.registry.names() });
  }

  /** Takes or renews the SQLite runner lease (renewed when half its time is gone). */
  private async holdLease(force = false): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (!force && now < this.leaseUntil - this.opts.heartbeatTimeoutMs / 2) return true;
    const until = now + this.opts.heartbeatTimeoutMs;
    const ok = await acquireLease(this.db.kysely, RUNNER_LEASE, this.id, new Date(now).toISOString(), new Date(until).toISOString());
    this.leaseUntil = ok ? until : 0;
    return ok;
  }

  /** the end of the last transactional job queued in this process (SQLite: they run one at a time) */
  private sqliteTurn: Promise<unknown> = Promise.resolve();

  private start1(row: JobRow): Promise<Outcome> {
    const abort = new AbortController();
    // If even the outcome cannot be written (the database is gone), the job stays running without
    // heartbeats, and the watchdog of a live worker re-queues it.
    const done = this.execute(row, abort)
      .catch((err: Error): Outcome => {
        this.log.error({ job: Number(row.id), err: err.message }, 'could not record the outcome of a job');
        return 'lost';
      })
      .finally(() => this.running.delete(Number(row.id)));
    this.running.set(Number(row.id), { row, abort, done });
    return done;
  }

  private async execute(row: JobRow, abort: AbortController): Promise<Outcome> {
    const kind = this.registry.get(row.kind);
    if (!kind) return this.finishWithError(row, new PermanentJobError(`job kind "${row.kind}" is not registered`));
    const settings = this.registry.settings(kind);
    const parsed = kind.args.safeParse(JSON.parse(row.args));
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${['args', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
      return this.finishWithError(row, new PermanentJobError(`invalid arguments: ${why}`));
    }
    const job: Job = { ...toJob(row), args: parsed.data };
    const timer = setTimeout(() => abort.abort(new JobTimeout(settings.timeoutMs)), settings.timeoutMs);
    const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }));
    aborted.catch(() => {});
    const perform = (exec: JobExecutor) =>
      Promise.race([Promise.resolve().then(() => kind.perform({ exec, signal: abort.signal, clock: this.clock, workerId: this.id, log: this.log }, job)), aborted]);
    try {
      if (kind.transactional) {
        const run = () =>
          this.db.kysely.transaction().execute(async (trx) => {
            await limitStatementTime(trx, this.db.dialect, settings.timeoutMs);
            const result = await perform(trx);
            if (!(await this.markCompleted(trx, row, result))) throw new LostClaim();
          });
        if (this.db.dialect === 'sqlite') {
          // SQLite has one connection: transactional jobs take turns, so that a request's statements
          // wait for at most one job's transaction, not for every job started at once
          const turn = this.sqliteTurn.then(run, run);
          this.sqliteTurn = turn.catch(() => undefined);
          await turn;
        } else await run();
      } else {
        const result = await perform(this.db.kysely);
        if (!(await this.markCompleted(this.db.kysely, row, result))) return 'lost';
      }
      return 'completed';
    } catch (err) {
      if (err instanceof LostClaim) return 'lost';
      if (err instanceof ShutdownRelease) return this.release(row);
      return this.finishWithError(row, err, kind);
    } finally {
      clearTimeout(timer);
    }
  }

  private guard(row: JobRow) {
    return sql`id = ${row.id} and state = 'running' and claimed_by = ${this.id} and attempt = ${row.attempt}`;
  }

  private async markCompleted(exec: JobExecutor, row: JobRow, result: unknown): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const json = result === undefined ? null : JSON.stringify(result);
    const res = await sql`
      update jobs set state = 'completed', result = ${json}, finished_at = ${now}, updated_at = ${now}
      where ${this.guard(row)}`.execute(exec);
    return Number(res.numAffectedRows ?? 0) === 1;
  }

  /** A failed attempt: retryable after the kind's backoff, or failed when attempts are used up or retrying cannot help. */
  private async finishWithError(row: JobRow, err: unknown, kind?: JobKind): Promise<Outcome> {
    const now = this.clock.now();
    const message = errorText(err);
    const attempt = Number(row.attempt);
    const settings = kind ? this.registry.settings(kind) : null;
    const final = !settings || err instanceof PermanentJobError || attempt >= Number(row.max_attempts);
    const errors = appendError(row.errors, { attempt, at: now.toISOString(), error: message, workerId: this.id });
    const runAt = final ? row.run_at : new Date(now.getTime() + settings.backoff(attempt, this.opts.random)).toISOString();
    const state = final ? 'failed' : 'retryable';
    const res = await sql`
      update jobs set state = ${state}, run_at = ${runAt}, errors = ${errors}, last_error = ${message},
        finished_at = ${final ? now.toISOString() : null}, updated_at = ${now.toISOString()}
      where ${this.guard(row)}`.execute(this.db.kysely);
    if (Number(res.numAffectedRows ?? 0) !== 1) return 'lost';
    this.log.warn({ job: Number(row.id), kind: row.kind, attempt, err: message, retryAt: final ? undefined : runAt }, final ? 'job failed' : 'job attempt failed');
    return state;
  }

  /** Back to the queue at once, the attempt not counted (it was cut short by the shutdown, not by the job). */
  private async release(row: JobRow): Promise<Outcome> {
    const now = this.clock.now().toISOString();
    const res = await sql`
      update jobs set state = 'available', attempt = attempt - 1, run_at = ${now}, heartbeat_at = null, updated_at = ${now}
      where ${this.guard(row)}`.execute(this.db.kysely);
    return Number(res.numAffectedRows ?? 0) === 1 ? 'released' : 'lost';
  }

  /** Writes "still alive" on every job this worker runs (and renews the SQLite runner lease). */
  async heartbeat(): Promise<void> {
    if (needsRunnerLease(this.db.dialect) && this.running.size > 0) await this.holdLease(true);
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    const now = this.clock.now().toISOString();
    await sql`update jobs set heartbeat_at = ${now} where state = 'running' and claimed_by = ${this.id} and id in (${sql.join(ids)})`.execute(this.db.kysely);
  }

  /**
   * The watchdog: a running job whose heartbeat is older than the timeout belongs to a worker
   * that died (or hangs); it goes back to the queue due at once as retryable — the attempt it was
   * on counts, so a job that kills its worker every time ends as failed after max_attempts.
   * Any live worker may do this for any other. Returns how many jobs were rescued.
   */
  async rescueOrphans(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.opts.heartbeatTimeoutMs).toISOString();
    let rescued = 0;
    await this.db.kysely.transaction().execute(async (trx) => {
      const stale = await sql<JobRow>`
        select * from jobs where state = 'running' and heartbeat_at < ${cutoff}
        order by id limit 1000${skipLocked(this.db.dialect)}`.execute(trx);
      for (const row of stale.rows) {
        const attempt = Number(row.attempt);
        const message = `worker ${row.claimed_by} stopped sending heartbeats (last at ${row.heartbeat_at}); presumed dead`;
        const final = attempt >= Number(row.max_attempts);
        const errors = appendError(row.errors, { attempt, at: now.toISOString(), error: message, workerId: this.id });
        const res = await sql`
          update jobs set state = ${final ? 'failed' : 'retryable'}, run_at = ${final ? row.run_at : now.toISOString()},
            errors = ${errors}, last_error = ${message}, heartbeat_at = null,
            finished_at = ${final ? now.toISOString() : null}, updated_at = ${now.toISOString()}
          where id = ${row.id} and state = 'running' and attempt = ${row.attempt} and heartbeat_at < ${cutoff}`.execute(trx);
        rescued += Number(res.numAffectedRows ?? 0);
      }
    });
    if (rescued) this.log.warn({ rescued }, 'jobs of a dead worker re-queued');
    return rescued;
  }

  async prune(): Promise<number> {
    const n = await this.queue.prune({ keepMs: this.opts.keepMs, keepFailedMs: this.opts.keepFailedMs });
    if (n) this.log.info({ pruned: n }, 'finished jobs pruned');
    return n;
  }

  /** Jobs this worker is running now. */
  runningIds(): number[] {
    return [...this.running.keys()].sort((a, b) => a - b);
  }

  /**
   * Graceful shutdown: claims nothing more, lets running jobs finish within the grace period, then
   * aborts the rest and releases them back to the queue (due at once, that attempt not counted;
   * another process or the next start runs them), and gives up the SQLite runner lease.
   */
  stop(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    const graceMs = opts.graceMs ?? this.opts.shutdownGraceMs;
    this.stopped = (async () => {
      await Promise.allSettled([...this.claiming]);
      const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const first = await Promise.race([all().then(() => 'done' as const), graceOver]);
      clearTimeout(timer);
      if (first === 'late') {
        for (const r of this.running.values()) r.abort.abort(new ShutdownRelease());
        await all();
      }
      if (needsRunnerLease(this.db.dialect)) await releaseLease(this.db.kysely, RUNNER_LEASE, this.id);
      this.log.info('job worker stopped');
    })();
    return this.stopped;
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name && err.name !== 'Error' ? err.name + ': ' : ''}${err.message}` : String(err);
  return text.length > MAX_ERROR_LENGTH ? text.slice(0, MAX_ERROR_LENGTH) + '…' : text;
}

function appendError(json: string, e: JobError): string {
  const list = (JSON.parse(json) as JobError[]).concat(e);
  return JSON.stringify(list.slice(-MAX_ERRORS_KEPT));
}
