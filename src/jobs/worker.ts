import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { Clock } from '../server/clock.js';
import { claimDue, limitStatementTime, needsRunnerLease, skipLocked } from './dialect.js';
import { acquireLease, releaseLease } from './lease.js';
import type { JobQueue } from './queue.js';
import { DEFAULT_TIMEOUT_MS, PermanentJobError, type JobKind } from './registry.js';
import { toJob, type Job, type JobError, type JobExecutor, type JobRow } from './types.js';

export interface WorkerOptions {
  /** names this process in claimed_by (default host:pid:random) */
  id?: string;
  /** jobs that are not transactional run at once in this process (default 10) */
  concurrency?: number;
  /**
   * transactional jobs claimed together and run one after another in one transaction, each in a
   * savepoint of its own (default 50): the claim, the transaction and the commit are paid once
   * for the lot instead of once a job
   */
  batchSize?: number;
  /** a batch's transaction takes no further job once it has been open this long (default 25 ms); the rest go on in the next one */
  batchMs?: number;
  /** batches run at once (default 2 on PostgreSQL, each holding a connection; always 1 on SQLite, whose one connection they share) */
  batches?: number;
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

interface Running {
  row: JobRow;
  abort: AbortController;
  done: Promise<Outcome>;
}

/** What one job of a batch came to inside its transaction, written down once the transaction is over. */
type InBatch = { row: JobRow; kind?: JobKind; ok: true } | { row: JobRow; kind?: JobKind; ok: false; lost?: true; err?: unknown };

/** A job of a batch timed out or was cut short by the shutdown: its perform may still be writing, so the whole transaction rolls back. */
class BatchAbort extends Error {
  constructor(
    readonly row: JobRow,
    readonly cause: unknown,
  ) {
    super('batch aborted');
  }
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
  /** batches of transactional jobs running now, and the plain jobs running now */
  private batchesRunning = 0;
  private plainRunning = 0;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly claiming = new Set<Promise<unknown>>();
  private readonly pumping = { batch: false, plain: false };
  private readonly pumpAgain = { batch: false, plain: false };
  private leaseUntil = 0;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.log = (options.log ?? pino({ level: 'silent' })).child({ worker: this.id });
    this.opts = {
      concurrency: options.concurrency ?? 10,
      batchSize: options.batchSize ?? 50,
      batchMs: options.batchMs ?? 25,
      batches: db.dialect === 'sqlite' ? 1 : (options.batches ?? 2),
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
    this.unsubscribe = this.queue.onWake(() => void this.pump(true).catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed')));
    void this.pump().catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed'));
  }

  /**
   * Two lanes, each claiming only its own kinds. Transactional jobs: up to `batchSize` at once, run
   * as a batch (startBatch), `batches` batches at a time. Other jobs: as many as there are free slots,
   * each on its own; between polls (`poll` false: a job just finished) the plain lane waits until
   * half its slots are free, so that a claim is a batch rather than a round trip per finished job.
   * Either lane goes on while its claims come full.
   */
  private async pump(poll = false): Promise<void> {
    await Promise.all([this.pumpLane('batch', poll), this.pumpLane('plain', poll)]);
  }

  private async pumpLane(lane: 'batch' | 'plain', poll: boolean): Promise<void> {
    if (this.pumping[lane]) {
      this.pumpAgain[lane] = true;
      return;
    }
    this.pumping[lane] = true;
    try {
      do {
        this.pumpAgain[lane] = false;
        if (this.stopping) return;
        let started: Array<Promise<unknown>>;
        let full: boolean;
        if (lane === 'batch') {
          if (this.batchesRunning >= this.opts.batches) return;
          const rows = await this.claimAndStart(this.opts.batchSize, 'batch');
          started = rows;
          full = rows.length > 0 && this.batchesRunning < this.opts.batches;
        } else {
          const free = this.opts.concurrency - this.plainRunning;
          if (free <= 0 || (!poll && this.plainRunning > 0 && free < this.opts.concurrency / 2)) return;
          started = await this.claimAndStart(free, 'plain');
          full = started.length === free;
        }
        for (const done of started) void done.then(() => this.pumpLane(lane, false)).catch((err: Error) => this.log.warn({ err: err.message }, 'job worker tick failed'));
        if (full) this.pumpAgain[lane] = true;
      } while (this.pumpAgain[lane] && !this.stopping);
    } finally {
      this.pumping[lane] = false;
    }
  }

  /**
   * Claims due jobs and runs them to their outcome, round after round, until none is due; then
   * resolves. Tests drive the worker with it (and with clock moves) instead of waiting.
   */
  async runDueJobs(): Promise<RunReport> {
    const report: RunReport = { completed: 0, retryable: 0, failed: 0, lost: 0 };
    for (;;) {
      const [batch, plain] = await Promise.all([this.claimAndStart(this.opts.batchSize, 'batch'), this.claimAndStart(this.opts.concurrency, 'plain')]);
      if (batch.length === 0 && plain.length === 0) return report;
      const outcomes = (await Promise.all([...batch, ...plain])).flat();
      for (const o of outcomes) if (o !== 'released') report[o]++;
    }
  }

  /**
   * Claims and starts the claimed jobs in one section that stop() waits for, so that a claim in
   * flight when the shutdown begins is still run (or released) before the worker lets go. The
   * batch lane's claim is started as one batch (one promise for all its jobs).
   */
  private async claimAndStart(limit: number, lane: 'batch' | 'plain'): Promise<Array<Promise<Outcome[]>>> {
    const section = (async () => {
      const rows = await this.claim(limit, this.kindsOf(lane));
      if (lane === 'plain') return rows.map((row) => this.start1(row).then((o) => [o]));
      return rows.length ? [this.startBatch(rows)] : [];
    })();
    this.claiming.add(section);
    try {
      return await section;
    } finally {
      this.claiming.delete(section);
    }
  }

  /** The registered kinds of a lane (a kind this process lacks is claimed by none of its lanes). */
  private kindsOf(lane: 'batch' | 'plain'): string[] {
    return this.registry.names().filter((name) => !!this.registry.get(name)!.transactional === (lane === 'batch'));
  }

  /** Marks up to `limit` due jobs (of `kinds`, default every registered kind) running for this worker and returns them (they still have to be run). */
  async claim(limit: number, kinds: string[] = this.registry.names()): Promise<JobRow[]> {
    if (this.stopping) return [];
    if (needsRunnerLease(this.db.dialect) && !(await this.holdLease())) return [];
    return claimDue(this.db.kysely, this.db.dialect, { workerId: this.id, now: this.clock.now().toISOString(), limit, kinds });
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

  /** Registers a claimed job as running (for heartbeats, stop() and runningIds) until `done` settles. */
  private track(row: JobRow, abort: AbortController, run: () => Promise<Outcome>): Promise<Outcome> {
    // If even the outcome cannot be written (the database is gone), the job stays running without
    // heartbeats, and the watchdog of a live worker re-queues it.
    const done = Promise.resolve()
      .then(run)
      .catch((err: Error): Outcome => {
        this.log.error({ job: Number(row.id), err: err.message }, 'could not record the outcome of a job');
        return 'lost';
      })
      .finally(() => this.running.delete(Number(row.id)));
    this.running.set(Number(row.id), { row, abort, done });
    return done;
  }

  /** A plain job: perform on the database itself, then its outcome. */
  private start1(row: JobRow): Promise<Outcome> {
    const abort = new AbortController();
    this.plainRunning++;
    return this.track(row, abort, async () => {
      try {
        const prepared = this.prepare(row);
        if ('error' in prepared) return this.finishWithError(row, prepared.error, this.registry.get(row.kind));
        const result = await this.perform(prepared.kind, prepared.job, this.db.kysely, abort);
        return (await this.markCompleted(this.db.kysely, row, result)) ? 'completed' : 'lost';
      } catch (err) {
        if (err instanceof ShutdownRelease) return this.release(row);
        return this.finishWithError(row, err, this.registry.get(row.kind));
      }
    }).finally(() => this.plainRunning--);
  }

  /** The kind and parsed arguments of a claimed job, or why it cannot run at all. */
  private prepare(row: JobRow): { kind: JobKind; job: Job } | { error: PermanentJobError } {
    const kind = this.registry.get(row.kind);
    if (!kind) return { error: new PermanentJobError(`job kind "${row.kind}" is not registered`) };
    const parsed = kind.args.safeParse(JSON.parse(row.args));
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${['args', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
      return { error: new PermanentJobError(`invalid arguments: ${why}`) };
    }
    return { kind, job: { ...toJob(row), args: parsed.data } };
  }

  /** perform under the kind's time limit: rejects with the abort reason (a timeout, the shutdown) as soon as it is aborted. */
  private async perform(kind: JobKind, job: Job, exec: JobExecutor, abort: AbortController): Promise<unknown> {
    const { timeoutMs } = this.registry.settings(kind);
    const timer = setTimeout(() => abort.abort(new JobTimeout(timeoutMs)), timeoutMs);
    const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }));
    aborted.catch(() => {});
    try {
      if (abort.signal.aborted) throw abort.signal.reason;
      return await Promise.race([Promise.resolve().then(() => kind.perform({ exec, signal: abort.signal, clock: this.clock, workerId: this.id, log: this.log }, job)), aborted]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A batch of claimed transactional jobs. Jobs on their first attempt go together: one after
   * another in one transaction, each in a savepoint — a job that throws has its own writes rolled
   * back and is retried, its neighbours commit; the transaction takes no further job once it has
   * been open `batchMs` (the rest go on in the next one), so that others waiting for the
   * connection (on SQLite: every request) wait that long at most. A job that has failed before
   * runs alone, so that a poisoned job cannot drag a batch down twice. When a job times out (or the
   * shutdown cuts it short) its perform may still be writing, so its whole transaction rolls back:
   * that job fails (or is released), the others of the transaction are released unharmed (their
   * attempt not counted) and run again in a later batch.
   */
  private startBatch(rows: JobRow[]): Promise<Outcome[]> {
    this.batchesRunning++;
    const aborts = new Map(rows.map((row) => [Number(row.id), new AbortController()]));
    let release!: () => void;
    const finished = new Promise<void>((resolve) => (release = resolve));
    const outcomes = new Map<number, Outcome>();
    const tracked = rows.map((row) => this.track(row, aborts.get(Number(row.id))!, () => finished.then(() => outcomes.get(Number(row.id)) ?? 'lost')));
    const first = rows.filter((r) => Number(r.attempt) === 1);
    const again = rows.filter((r) => Number(r.attempt) !== 1);
    void (async () => {
      try {
        const pending = [...first];
        while (pending.length) await this.runTransaction(pending, aborts, outcomes);
        for (const row of again) await this.runTransaction([row], aborts, outcomes);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'a batch of jobs stopped');
      } finally {
        release();
      }
    })();
    return Promise.all(tracked).finally(() => this.batchesRunning--);
  }

  /** One transaction of a batch: takes jobs off `pending` until it is empty or the transaction's time is up. */
  private async runTransaction(pending: JobRow[], aborts: Map<number, AbortController>, outcomes: Map<number, Outcome>): Promise<void> {
    const cutShort = () => pending.length > 0 && aborts.get(Number(pending[0]!.id))!.signal.aborted;
    if (cutShort()) {
      // stop() gave up waiting: what has not started goes back to the queue
      for (const row of pending.splice(0)) outcomes.set(Number(row.id), await this.release(row));
      return;
    }
    const results: InBatch[] = [];
    const opened = performance.now();
    let failure: unknown = null;
    try {
      await this.db.kysely.transaction().execute(async (trx) => {
        const timeoutMs = Math.max(...pending.map((row) => (this.registry.get(row.kind) ? this.registry.settings(this.registry.get(row.kind)!).timeoutMs : DEFAULT_TIMEOUT_MS)));
        await limitStatementTime(trx, this.db.dialect, timeoutMs);
        while (pending.length && (results.length === 0 || performance.now() - opened < this.opts.batchMs) && !cutShort()) {
          const row = pending.shift()!;
          const prepared = this.prepare(row);
          if ('error' in prepared) results.push({ row, kind: this.registry.get(row.kind), ok: false, err: prepared.error });
          else results.push(await this.attemptInBatch(trx, row, prepared.kind, prepared.job, aborts.get(Number(row.id))!));
        }
      });
    } catch (err) {
      failure = err;
    }
    if (failure instanceof BatchAbort) {
      // rolled back: the job that was cut short fails (a timeout) or is released (the shutdown); the rest of the transaction's are released
      const culprit = failure.row;
      for (const r of results) {
        if (r.row === culprit) continue;
        outcomes.set(Number(r.row.id), await this.release(r.row));
      }
      outcomes.set(
        Number(culprit.id),
        failure.cause instanceof ShutdownRelease ? await this.release(culprit) : await this.finishWithError(culprit, failure.cause, this.registry.get(culprit.kind)),
      );
      return;
    }
    for (const r of results) {
      let outcome: Outcome;
      if (failure !== null) outcome = await this.finishWithError(r.row, failure, r.kind); // the commit itself failed: nothing of it landed
      else if (r.ok) outcome = 'completed';
      else if (r.lost) outcome = 'lost';
      else outcome = await this.finishWithError(r.row, r.err, r.kind);
      outcomes.set(Number(r.row.id), outcome);
    }
  }

  /** One job inside a batch's transaction, in a savepoint of its own. */
  private async attemptInBatch(trx: JobExecutor, row: JobRow, kind: JobKind, job: Job, abort: AbortController): Promise<InBatch> {
    const savepoint = sql.raw("job"); // one name for all (a statement text of its own per job would defeat the statement cache); each is released before the next
    await sql`savepoint ${savepoint}`.execute(trx);
    try {
      const result = await this.perform(kind, job, trx, abort);
      if (!(await this.markCompleted(trx, row, result))) {
        // the claim was taken away meanwhile (the watchdog gave the job to another): its writes must not land
        await sql`rollback to savepoint ${savepoint}`.execute(trx);
        return { row, kind, ok: false, lost: true };
      }
      await sql`release savepoint ${savepoint}`.execute(trx);
      return { row, kind, ok: true };
    } catch (err) {
      if (err instanceof JobTimeout || err instanceof ShutdownRelease) throw new BatchAbort(row, err);
      await sql`rollback to savepoint ${savepoint}`.execute(trx);
      await sql`release savepoint ${savepoint}`.execute(trx);
      return { row, kind, ok: false, err };
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
    const write = async (exec: JobExecutor) => {
      const res = await sql`
        update jobs set state = ${state}, run_at = ${runAt}, errors = ${errors}, last_error = ${message},
          finished_at = ${final ? now.toISOString() : null}, updated_at = ${now.toISOString()}
        where ${this.guard(row)}`.execute(exec);
      const written = Number(res.numAffectedRows ?? 0) === 1;
      if (written && final) await this.afterFailed(exec, row, kind, message);
      return written;
    };
    const written = final && kind?.onFailed ? await this.db.kysely.transaction().execute(write) : await write(this.db.kysely);
    if (!written) return 'lost';
    this.log.warn({ job: Number(row.id), kind: row.kind, attempt, err: message, retryAt: final ? undefined : runAt }, final ? 'job failed' : 'job attempt failed');
    return state;
  }

  /** The kind's onFailed, in the transaction that failed the job, in a savepoint: if it throws, the job stays failed and the error is logged. */
  private async afterFailed(trx: JobExecutor, row: JobRow, kind: JobKind | undefined, message: string): Promise<void> {
    if (!kind?.onFailed) return;
    await sql`savepoint on_failed`.execute(trx);
    try {
      await kind.onFailed(trx, toJob(row), message);
      await sql`release savepoint on_failed`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint on_failed`.execute(trx);
      await sql`release savepoint on_failed`.execute(trx);
      this.log.error({ job: Number(row.id), kind: row.kind, err: (err as Error).message }, 'onFailed of a failed job threw');
    }
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
        const n = Number(res.numAffectedRows ?? 0);
        if (n && final) await this.afterFailed(trx, row, this.registry.get(row.kind), message);
        rescued += n;
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
    this.unsubscribe();
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
