import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { Clock } from '../server/clock.js';
import { conflict, validationFailed } from '../server/errors.js';
import { JobRegistry, type JobKind } from './registry.js';
import { FINISHED_STATES, iso, PENDING_STATES, toJob, UNFINISHED_STATES, type Job, type JobExecutor, type JobRow } from './types.js';

export interface EnqueueOptions {
  /** when it becomes due (default: now) */
  runAt?: Date | string;
  /** or: due this long from now */
  delayMs?: number;
  /**
   * One job per key while it is not finished: enqueueing again while one with the key is
   * scheduled, available, retryable or running returns that one and inserts nothing. Build keys
   * from the most general part to the most particular (`robot:12:deal:34:entry:56`), so that a
   * prefix cancels a group (`cancel(exec, { uniqueKeyPrefix: 'robot:12:deal:34:' })`).
   */
  uniqueKey?: string;
  maxAttempts?: number;
  priority?: number;
  workspaceId?: number | null;
}

export interface Enqueued<A = unknown> {
  job: Job<A>;
  /** false: a job with the same unique key was pending or running, and it is the one returned */
  inserted: boolean;
}

export type CancelTarget = { id: number } | { ids: number[] } | { uniqueKey: string } | { uniqueKeyPrefix: string };

export interface QueueHealth {
  /** pending jobs whose run_at has come */
  due: number;
  /** pending jobs waiting for their run_at */
  scheduled: number;
  running: number;
  /** of the pending ones: waiting to be retried after a failure */
  retrying: number;
  /** failed and not yet pruned */
  failed: number;
  /** run_at of the oldest due job, and how long it has waited (0 when nothing is due) */
  oldestDueAt: string | null;
  oldestDueLagMs: number;
}

const list = (states: readonly string[]) => sql.raw(states.map((s) => `'${s}'`).join(', '));
const pending = list(PENDING_STATES);
const unfinished = list(UNFINISHED_STATES);
const finished = list(FINISHED_STATES);

const MAX_KEY_LENGTH = 500;

/** The smallest string greater than every string that starts with `prefix` (code-point order, which is UTF-8 byte order). */
function prefixUpperBound(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!;
  return points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * The producer's side of the job engine: enqueue in the caller's transaction, cancel, retry now,
 * read. Writes take the caller's executor so that a job exists if and only if the change that
 * asked for it committed.
 */
export class JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly registry: JobRegistry = new JobRegistry(),
  ) {}

  private readonly wakers = new Set<() => void>();
  private waking: NodeJS.Immediate | null = null;

  /**
   * `fn` is called when jobs due now may be waiting in this process's queue (the worker then claims
   * them at once instead of at its next poll). Returns the unsubscribe.
   */
  onWake(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }

  /**
   * Tells this process's workers that due jobs were enqueued. Called by enqueue itself (on SQLite
   * the worker's claim waits for the enqueuing transaction to commit; on PostgreSQL it may come
   * too early and the next poll finds them) and by producers right after their transaction
   * committed (the automation engine's outbox consumer).
   */
  wake(): void {
    if (this.wakers.size === 0 || this.waking) return;
    this.waking = setImmediate(() => {
      this.waking = null;
      for (const fn of this.wakers) fn();
    });
  }

  async enqueue<S extends z.ZodType>(exec: JobExecutor, kind: JobKind<S> | string, args: z.input<S>, opts: EnqueueOptions = {}): Promise<Enqueued<z.output<S>>> {
    const values = this.prepare(kind, args, opts, 'args');
    const name = values.kind;
    if (values.unique_key === null) {
      const row = await exec.insertInto('jobs').values(values).returningAll().executeTakeFirstOrThrow();
      if (values.state === 'available') this.wake();
      return { job: toJob(row) as Job<z.output<S>>, inserted: true };
    }
    // The partial unique index decides: a duplicate insert does nothing (on PostgreSQL it first
    // waits for a concurrent inserter of the same key to commit or roll back), and the holder of
    // the key is read back. If the holder finished in between, the insert is tried again.
    for (let i = 0; i < 3; i++) {
      const inserted = await sql<JobRow>`
        insert into jobs (workspace_id, kind, args, state, priority, run_at, max_attempts, unique_key, created_at, updated_at)
        values (${values.workspace_id}, ${values.kind}, ${values.args}, ${values.state}, ${values.priority}, ${values.run_at},
                ${values.max_attempts}, ${values.unique_key}, ${values.created_at}, ${values.updated_at})
        on conflict (unique_key) where state in (${unfinished}) do nothing
        returning *`.execute(exec);
      if (inserted.rows[0]) {
        if (values.state === 'available') this.wake();
        return { job: toJob(inserted.rows[0]) as Job<z.output<S>>, inserted: true };
      }
      const holder = await sql<JobRow>`select * from jobs where unique_key = ${values.unique_key} and state in (${unfinished})`.execute(exec);
      if (holder.rows[0]) return { job: toJob(holder.rows[0]) as Job<z.output<S>>, inserted: false };
    }
    throw new Error(`job ${name}: could not settle unique key ${values.unique_key}`);
  }

  /** The row of a new job: arguments validated by the kind's schema (field paths under `path`), times from the clock. */
  private prepare(kind: JobKind | string, args: unknown, opts: EnqueueOptions, path: string) {
    const name = typeof kind === 'string' ? kind : kind.kind;
    const def = this.registry.get(name);
    if (!def) throw new Error(`job kind "${name}" is not registered`);
    const parsed = def.args.safeParse(args);
    if (!parsed.success) {
      throw validationFailed(
        parsed.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].join('.'), message: i.message })),
        `job ${name}: invalid arguments`,
      );
    }
    if (opts.uniqueKey !== undefined && (opts.uniqueKey.length === 0 || opts.uniqueKey.length > MAX_KEY_LENGTH)) {
      throw new Error(`job ${name}: a unique key is 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const settings = this.registry.settings(def);
    const now = this.clock.now();
    const runAt = opts.runAt !== undefined ? new Date(opts.runAt) : new Date(now.getTime() + (opts.delayMs ?? 0));
    if (Number.isNaN(runAt.getTime())) throw new Error(`job ${name}: runAt is not a time`);
    const nowIso = now.toISOString();
    return {
      workspace_id: opts.workspaceId ?? null,
      kind: name,
      args: JSON.stringify(parsed.data),
      state: runAt.getTime() > now.getTime() ? 'scheduled' : 'available',
      priority: opts.priority ?? settings.priority,
      run_at: runAt.toISOString(),
      max_attempts: Math.max(1, opts.maxAttempts ?? settings.maxAttempts),
      unique_key: opts.uniqueKey ?? null,
      created_at: nowIso,
      updated_at: nowIso,
    } as const;
  }

  /**
   * Enqueues many jobs of one kind in one statement per 500 (e.g. "apply to the records already
   * in the stage"). Items whose unique key is held are skipped. Returns the new jobs' ids.
   */
  async enqueueMany<S extends z.ZodType>(exec: JobExecutor, kind: JobKind<S> | string, items: Array<{ args: z.input<S> } & EnqueueOptions>): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < items.length; i += 500) {
      const values = items.slice(i, i + 500).map((item, j) => this.prepare(kind, item.args, item, `items[${i + j}].args`));
      const rows = sql.join(
        values.map((v) => sql`(${v.workspace_id}, ${v.kind}, ${v.args}, ${v.state}, ${v.priority}, ${v.run_at}, ${v.max_attempts}, ${v.unique_key}, ${v.created_at}, ${v.updated_at})`),
      );
      const res = await sql<{ id: number }>`
        insert into jobs (workspace_id, kind, args, state, priority, run_at, max_attempts, unique_key, created_at, updated_at)
        values ${rows}
        on conflict (unique_key) where state in (${unfinished}) do nothing
        returning id`.execute(exec);
      ids.push(...res.rows.map((r) => Number(r.id)));
      if (res.rows.length && values.some((v) => v.state === 'available')) this.wake();
    }
    return ids.sort((a, b) => a - b);
  }

  /**
   * Cancels pending jobs (scheduled, available, retryable) in the caller's transaction and returns
   * their ids. A running job is not interrupted: it finishes (or fails) as it would have.
   */
  async cancel(exec: JobExecutor, target: CancelTarget): Promise<number[]> {
    const now = iso(this.clock.now());
    let where;
    if ('id' in target) where = sql`id = ${target.id}`;
    else if ('ids' in target) {
      if (target.ids.length === 0) return [];
      where = sql`id in (${sql.join(target.ids)})`;
    } else if ('uniqueKey' in target) where = sql`unique_key = ${target.uniqueKey}`;
    else {
      if (target.uniqueKeyPrefix.length === 0) throw new Error('cancel: an empty unique key prefix would cancel every keyed job');
      // a range rather than LIKE, so that it is a range of the unique-key index on both databases
      // (and `state in (unfinished)` repeats that partial index's predicate for SQLite)
      where = sql`unique_key >= ${target.uniqueKeyPrefix} and unique_key < ${prefixUpperBound(target.uniqueKeyPrefix)} and state in (${unfinished})`;
    }
    const res = await sql<{ id: number }>`
      update jobs set state = 'cancelled', finished_at = ${now}, updated_at = ${now}
      where ${where} and state in (${pending})
      returning id`.execute(exec);
    return res.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /**
   * Makes a failed, retryable or scheduled job due now (an administrator's "retry now"); a failed
   * one gets one more attempt. False when the job is running, completed, cancelled or missing; a
   * conflict when another unfinished job holds its unique key by now.
   */
  async retryNow(exec: JobExecutor, id: number): Promise<boolean> {
    const now = iso(this.clock.now());
    try {
      const res = await sql`
        update jobs set state = 'available', run_at = ${now}, finished_at = null, updated_at = ${now},
          max_attempts = case when max_attempts > attempt then max_attempts else attempt + 1 end
        where id = ${id} and state in ('failed', 'retryable', 'scheduled')`.execute(exec);
      return Number(res.numAffectedRows ?? 0) === 1;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict('Another job with the same unique key is already pending or running');
      throw err;
    }
  }

  async get(exec: JobExecutor, id: number): Promise<Job | null> {
    const row = await exec.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /** The unfinished job holding a unique key, if any. */
  async byUniqueKey(exec: JobExecutor, uniqueKey: string): Promise<Job | null> {
    const res = await sql<JobRow>`select * from jobs where unique_key = ${uniqueKey} and state in (${unfinished})`.execute(exec);
    return res.rows[0] ? toJob(res.rows[0]) : null;
  }

  /** Counts for an administrator or a monitor: the whole queue, or one workspace's jobs. */
  async health(filter: { workspaceId?: number } = {}): Promise<QueueHealth> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const ws = filter.workspaceId === undefined ? sql`` : sql` and workspace_id = ${filter.workspaceId}`;
    const res = await sql<Record<'due' | 'scheduled' | 'running' | 'retrying' | 'failed', string | number | null> & { oldest_due: string | null }>`
      select
        sum(case when state in (${pending}) and run_at <= ${nowIso} then 1 else 0 end) as due,
        sum(case when state in (${pending}) and run_at > ${nowIso} then 1 else 0 end) as scheduled,
        sum(case when state = 'running' then 1 else 0 end) as running,
        sum(case when state = 'retryable' then 1 else 0 end) as retrying,
        sum(case when state = 'failed' then 1 else 0 end) as failed,
        min(case when state in (${pending}) and run_at <= ${nowIso} then run_at end) as oldest_due
      from jobs
      where state in (${pending}, 'running', 'failed')${ws}`.execute(this.db.kysely);
    const r = res.rows[0]!;
    const oldest = r.oldest_due == null ? null : iso(r.oldest_due);
    return {
      due: Number(r.due ?? 0),
      scheduled: Number(r.scheduled ?? 0),
      running: Number(r.running ?? 0),
      retrying: Number(r.retrying ?? 0),
      failed: Number(r.failed ?? 0),
      oldestDueAt: oldest,
      oldestDueLagMs: oldest ? Math.max(0, now.getTime() - Date.parse(oldest)) : 0,
    };
  }

  /**
   * Deletes finished jobs older than their keep time: completed and cancelled ones after
   * `keepMs`, failed ones after `keepFailedMs` (kept longer: someone should look at them). In
   * batches, so that a large backlog never holds a long transaction. Returns how many went.
   */
  async prune(opts: { keepMs: number; keepFailedMs: number; batch?: number }): Promise<number> {
    const now = this.clock.now().getTime();
    const doneBefore = new Date(now - opts.keepMs).toISOString();
    const failedBefore = new Date(now - opts.keepFailedMs).toISOString();
    const batch = opts.batch ?? 1000;
    let total = 0;
    for (;;) {
      const res = await sql`
        delete from jobs where id in (
          select id from jobs
          where state in (${finished})
            and finished_at < ${doneBefore < failedBefore ? failedBefore : doneBefore}
            and ((state <> 'failed' and finished_at < ${doneBefore}) or (state = 'failed' and finished_at < ${failedBefore}))
          limit ${batch})`.execute(this.db.kysely);
      const n = Number(res.numAffectedRows ?? 0);
      total += n;
      if (n < batch) return total;
    }
  }
}
