import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import { openDb, type Db } from '../../src/db/connection.js';
import { ManualClock } from '../../src/server/clock.js';
import { defineJobKind, JobQueue, JobRegistry, JobWorker, PermanentJobError, type WorkerOptions } from '../../src/jobs/index.js';
import { createTestDb, testDialects, type TestDb } from '../support/test-db.js';
import { testEpoch } from '../support/test-epoch.js';
import { createEffectsTable, effectKind, hangKind } from '../support/job-test-kinds.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A promise the test resolves when it wants (a job that waits for the test). */
function gate() {
  let open!: () => void;
  const p = new Promise<void>((resolve) => (open = resolve));
  return { p, open };
}

describe.each(testDialects())('job engine on %s', (dialect) => {
  let t: TestDb;
  let db: Db;
  let clock: ManualClock;
  let queue: JobQueue;
  const performed: number[] = [];
  const gates = new Map<number, ReturnType<typeof gate>>();
  let failuresLeft = 0;

  const okKind = defineJobKind({
    kind: 'test.ok',
    args: z.strictObject({ n: z.int(), label: z.string().default('x') }),
    perform: (_ctx, job) => {
      performed.push(job.args.n);
      return { n: job.args.n, label: job.args.label };
    },
  });
  const flakyKind = defineJobKind({
    kind: 'test.flaky',
    args: z.strictObject({ n: z.int() }),
    maxAttempts: 3,
    perform: (_ctx, job) => {
      if (failuresLeft-- > 0) throw new Error(`provider answered 500 for ${job.args.n}`);
      performed.push(job.args.n);
    },
  });
  const brokenKind = defineJobKind({
    kind: 'test.broken',
    args: z.strictObject({ permanent: z.boolean() }),
    perform: (_ctx, job) => {
      throw job.args.permanent ? new PermanentJobError('the number is not a phone') : new Error('boom');
    },
  });
  const slowKind = defineJobKind({ kind: 'test.slow', args: z.strictObject({}), timeoutMs: 30, perform: () => new Promise(() => {}) });
  const gateKind = defineJobKind({
    kind: 'test.gate',
    args: z.strictObject({ n: z.int() }),
    perform: async (_ctx, job) => {
      await gates.get(job.args.n)!.p;
      performed.push(job.args.n);
    },
  });
  // waits before its first write, so that on SQLite its open transaction holds no lock meanwhile
  const gatedEffectKind = defineJobKind({
    ...effectKind,
    kind: 'test.gated-effect',
    perform: async (ctx, job) => {
      await gates.get(job.args.n)!.p;
      await effectKind.perform(ctx, job);
    },
  });

  // transactional: writes its effect, then refuses (once) when its n is listed
  const refuseOnce = new Set<number>();
  const txRefusingKind = defineJobKind({
    ...effectKind,
    kind: 'test.tx-refusing',
    async perform(ctx, job) {
      await effectKind.perform(ctx, job);
      if (refuseOnce.delete(job.args.n)) throw new Error(`refused ${job.args.n}`);
    },
  });
  // transactional: writes its effect, then hangs past its time limit
  const txHangKind = defineJobKind({
    ...effectKind,
    kind: 'test.tx-hang',
    timeoutMs: 30,
    async perform(ctx, job) {
      await effectKind.perform(ctx, job);
      await new Promise(() => {});
    },
  });

  // its last attempt hangs past its time limit; onFailed writes what the job was for, with the job's failing
  const lastWords: string[] = [];
  const hookedKind = defineJobKind({
    kind: 'test.hooked',
    args: z.strictObject({ n: z.int() }),
    timeoutMs: 30,
    maxAttempts: 1,
    perform: () => new Promise(() => {}),
    async onFailed(exec, job, error) {
      await effectKind.perform({ exec, workerId: 'onFailed' } as never, { ...job, args: { n: Number((job.args as { n: unknown }).n) || 0 } } as never);
      lastWords.push(error);
    },
  });

  const worker = (opts: WorkerOptions = {}, on: Db = db) => new JobWorker(on, clock, new JobQueue(on, clock, queue.registry), { random: () => 0.5, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 60_000, ...opts });
  const row = (id: number) => db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const states = async () => (await db.kysely.selectFrom('jobs').select(['id', 'state']).orderBy('id').execute()).map((r) => `${r.id}:${r.state}`);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    db = t.db;
    await createEffectsTable(db.kysely, dialect);
  });
  afterAll(async () => t?.destroy());
  beforeEach(async () => {
    clock = new ManualClock(testEpoch());
    const registry = new JobRegistry();
    registry.register(okKind, flakyKind, brokenKind, slowKind, gateKind, effectKind, gatedEffectKind, hangKind, txRefusingKind, txHangKind, hookedKind);
    lastWords.length = 0;
    refuseOnce.clear();
    queue = new JobQueue(db, clock, registry);
    performed.length = 0;
    gates.clear();
    failuresLeft = 0;
    await db.kysely.deleteFrom('jobs').execute();
    await db.kysely.deleteFrom('job_leases').execute();
    await sql`delete from job_test_effects`.execute(db.kysely);
  });

  it('a job exists only if the enqueueing transaction committed; it is claimed, run with its validated arguments and completed with its result', async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await queue.enqueue(trx, okKind, { n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await states()).toEqual([]);

    const { job, inserted } = await db.kysely.transaction().execute((trx) => queue.enqueue(trx, okKind, { n: 2 }));
    expect(inserted).toBe(true);
    expect(job).toMatchObject({ kind: 'test.ok', args: { n: 2, label: 'x' }, state: 'available', attempt: 0, maxAttempts: 10, runAt: clock.now().toISOString() });
    await expect(queue.enqueue(db.kysely, okKind, { n: 'two' } as never)).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'args.n' }] });
    await expect(queue.enqueue(db.kysely, 'test.nope', {})).rejects.toThrow('not registered');

    const w = worker({ id: 'w1' });
    expect(await w.runDueJobs()).toEqual({ completed: 1, retryable: 0, failed: 0, lost: 0 });
    expect(performed).toEqual([2]);
    expect(await queue.get(db.kysely, job.id)).toMatchObject({ state: 'completed', attempt: 1, claimedBy: 'w1', result: { n: 2, label: 'x' }, finishedAt: clock.now().toISOString() });
    expect(await w.runDueJobs()).toEqual({ completed: 0, retryable: 0, failed: 0, lost: 0 });
  });

  it('many jobs in one statement: validated item by item, held unique keys skipped', async () => {
    await queue.enqueue(db.kysely, okKind, { n: 0 }, { uniqueKey: 'k:0' });
    await expect(queue.enqueueMany(db.kysely, okKind, [{ args: { n: 1 } }, { args: { n: 'x' } as never }])).rejects.toMatchObject({ fields: [{ path: 'items[1].args.n' }] });
    const ids = await queue.enqueueMany(db.kysely, okKind, [{ args: { n: 1 }, uniqueKey: 'k:0' }, { args: { n: 2 }, uniqueKey: 'k:2' }, { args: { n: 3 }, delayMs: HOUR }]);
    expect(ids).toHaveLength(2);
    expect((await row(ids[1]!)).state).toBe('scheduled');
    await worker().runDueJobs();
    expect(performed.sort()).toEqual([0, 2]);
  });

  it('a worker claims only the kinds it knows; a job of another kind waits, visible as due', async () => {
    const other = new JobRegistry();
    other.register(okKind);
    const w = new JobWorker(db, clock, new JobQueue(db, clock, other), { id: 'old-version' });
    const { job } = await queue.enqueue(db.kysely, flakyKind, { n: 1 });
    clock.advance(5000);
    expect(await w.runDueJobs()).toMatchObject({ completed: 0 });
    expect((await row(job.id)).state).toBe('available');
    expect(await queue.health()).toMatchObject({ due: 1, running: 0, oldestDueAt: job.runAt, oldestDueLagMs: 5000 });
  });

  it('one job per unique key while it is not finished: a duplicate returns the holder; after it finished the key is free again', async () => {
    const a = await queue.enqueue(db.kysely, okKind, { n: 1 }, { uniqueKey: 'robot:1:deal:7:entry:3', delayMs: 60_000 });
    const b = await queue.enqueue(db.kysely, okKind, { n: 2 }, { uniqueKey: 'robot:1:deal:7:entry:3' });
    expect(b).toMatchObject({ inserted: false, job: { id: a.job.id, args: { n: 1 }, state: 'scheduled' } });
    // two transactions enqueueing the same key at once (on PostgreSQL the second waits for the first's commit)
    const both = await Promise.all(
      [3, 4].map((n) => db.kysely.transaction().execute((trx) => queue.enqueue(trx, okKind, { n }, { uniqueKey: 'robot:1:deal:8:entry:1' }))),
    );
    expect(both.map((r) => r.inserted).sort()).toEqual([false, true]);
    expect(both[0]!.job.id).toBe(both[1]!.job.id);
    expect((await queue.byUniqueKey(db.kysely, 'robot:1:deal:7:entry:3'))?.id).toBe(a.job.id);

    clock.advance(60_000);
    await worker().runDueJobs();
    expect(performed.sort()).toEqual([1, both.find((r) => r.inserted)!.job.args.n]);
    const c = await queue.enqueue(db.kysely, okKind, { n: 5 }, { uniqueKey: 'robot:1:deal:7:entry:3' });
    expect(c.inserted).toBe(true);
    expect(c.job.id).not.toBe(a.job.id);
  });

  it('a delayed job waits for its run_at on the clock, to the millisecond', async () => {
    const { job } = await queue.enqueue(db.kysely, okKind, { n: 1 }, { delayMs: 60_000 });
    const at = await queue.enqueue(db.kysely, okKind, { n: 2 }, { runAt: new Date(clock.now().getTime() + 2 * DAY) });
    expect(job.state).toBe('scheduled');
    const w = worker();
    await w.runDueJobs();
    clock.advance(59_999);
    await w.runDueJobs();
    expect(performed).toEqual([]);
    expect(await queue.health()).toMatchObject({ due: 0, scheduled: 2, oldestDueAt: null, oldestDueLagMs: 0 });
    clock.advance(1);
    await w.runDueJobs();
    expect(performed).toEqual([1]);
    clock.advance(2 * DAY);
    await w.runDueJobs();
    expect(performed).toEqual([1, 2]);
    expect((await row(at.job.id)).state).toBe('completed');
  });

  it('a failing job is retried with exponential backoff and jitter, then failed with every reason kept; a permanent error fails at once', async () => {
    failuresLeft = 99;
    const { job } = await queue.enqueue(db.kysely, flakyKind, { n: 1 });
    const w = worker({ id: 'w1' });
    const start = clock.now().getTime();

    expect(await w.runDueJobs()).toMatchObject({ retryable: 1 });
    let r = await row(job.id);
    expect(r).toMatchObject({ state: 'retryable', attempt: 1, last_error: 'provider answered 500 for 1' });
    expect(new Date(r.run_at).getTime() - start).toBe(15_000); // jitter source 0.5: the middle of ±20 %
    clock.advance(14_999);
    expect(await w.runDueJobs()).toMatchObject({ retryable: 0 });
    clock.advance(1);
    expect(await w.runDueJobs()).toMatchObject({ retryable: 1 });
    r = await row(job.id);
    expect(new Date(r.run_at).getTime() - clock.now().getTime()).toBe(30_000);
    expect(await queue.health()).toMatchObject({ retrying: 1, scheduled: 1, failed: 0 });
    clock.advance(30_000);
    expect(await w.runDueJobs()).toMatchObject({ failed: 1 });
    const failed = await queue.get(db.kysely, job.id);
    expect(failed).toMatchObject({ state: 'failed', attempt: 3, finishedAt: clock.now().toISOString(), lastError: 'provider answered 500 for 1' });
    expect(failed!.errors.map((e) => [e.attempt, e.workerId])).toEqual([[1, 'w1'], [2, 'w1'], [3, 'w1']]);
    expect(await queue.health()).toMatchObject({ failed: 1, due: 0, scheduled: 0 });

    // "retry now" gives a failed job one more attempt
    failuresLeft = 0;
    expect(await queue.retryNow(db.kysely, job.id)).toBe(true);
    expect(await w.runDueJobs()).toMatchObject({ completed: 1 });
    expect(await queue.get(db.kysely, job.id)).toMatchObject({ state: 'completed', attempt: 4, maxAttempts: 4 });
    expect(await queue.retryNow(db.kysely, job.id)).toBe(false);

    const p = await queue.enqueue(db.kysely, brokenKind, { permanent: true });
    expect(await w.runDueJobs()).toMatchObject({ failed: 1 });
    expect(await queue.get(db.kysely, p.job.id)).toMatchObject({ state: 'failed', attempt: 1, lastError: 'PermanentJobError: the number is not a phone' });
  });

  it('jitter spreads the retries of jobs that failed together', async () => {
    failuresLeft = 99;
    const randoms = [0, 0.25, 0.999];
    const w = worker({ random: () => randoms.shift()! });
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await queue.enqueue(db.kysely, flakyKind, { n })).job.id);
    await w.runDueJobs();
    const delays = await Promise.all(ids.map(async (id) => new Date((await row(id)).run_at).getTime() - clock.now().getTime()));
    expect(delays.sort((a, b) => a - b)).toEqual([12_000, 13_500, 17_994]);
  });

  it('a poisoned job (throws, hangs past its time limit, has arguments that no longer parse) never blocks the others', async () => {
    const poison = [
      (await queue.enqueue(db.kysely, slowKind, {}, { priority: -1 })).job.id,
      (await queue.enqueue(db.kysely, brokenKind, { permanent: false }, { priority: -1 })).job.id,
      (await queue.enqueue(db.kysely, okKind, { n: 0 }, { priority: -1 })).job.id,
    ];
    await db.kysely.updateTable('jobs').set({ args: '{"n":"zero"}' }).where('id', '=', poison[2]!).execute();
    for (let n = 1; n <= 20; n++) await queue.enqueue(db.kysely, okKind, { n });
    const report = await worker({ concurrency: 2 }).runDueJobs();
    expect(report).toEqual({ completed: 20, retryable: 2, failed: 1, lost: 0 });
    expect(performed.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await row(poison[0]!)).last_error).toBe('timed out after 30 ms');
    expect((await row(poison[1]!)).state).toBe('retryable');
    expect(await row(poison[2]!)).toMatchObject({ state: 'failed', last_error: expect.stringContaining('invalid arguments: args.n') });
  });

  it('transactional jobs run in batches, a savepoint each: one that throws has its own writes undone and is retried (alone), its neighbours commit', async () => {
    const effects = async () => (await sql<{ n: number }>`select n from job_test_effects order by n`.execute(db.kysely)).rows.map((r) => Number(r.n));
    refuseOnce.add(3);
    await queue.enqueue(db.kysely, effectKind, { n: 1 });
    await queue.enqueue(db.kysely, effectKind, { n: 2 });
    const refusing = (await queue.enqueue(db.kysely, txRefusingKind, { n: 3 })).job.id;
    await queue.enqueue(db.kysely, effectKind, { n: 4 });
    const w = worker({ batchSize: 10, batchMs: 60_000 });
    expect(await w.runDueJobs()).toEqual({ completed: 3, retryable: 1, failed: 0, lost: 0 });
    expect(await effects()).toEqual([1, 2, 4]);
    expect(await row(refusing)).toMatchObject({ state: 'retryable', last_error: 'refused 3', attempt: 1 });
    clock.advance(HOUR);
    await queue.enqueue(db.kysely, effectKind, { n: 5 });
    expect(await w.runDueJobs()).toEqual({ completed: 2, retryable: 0, failed: 0, lost: 0 });
    expect(await effects()).toEqual([1, 2, 3, 4, 5]);
    expect(await row(refusing)).toMatchObject({ state: 'completed', attempt: 2 });
  });

  it('a transactional job that times out in a batch rolls its transaction back: it fails with the reason, the neighbours it took down are released and run again, each once in effect', async () => {
    const effects = async () => (await sql<{ n: number }>`select n from job_test_effects order by n`.execute(db.kysely)).rows.map((r) => Number(r.n));
    const before = (await queue.enqueue(db.kysely, effectKind, { n: 10 })).job.id;
    const hang = (await queue.enqueue(db.kysely, txHangKind, { n: 11 })).job.id;
    const after = (await queue.enqueue(db.kysely, effectKind, { n: 12 })).job.id;
    const w = worker({ batchSize: 10, batchMs: 60_000 });
    // 10 ran in the transaction 11 took down: released (not counted), then run again
    expect(await w.runDueJobs()).toEqual({ completed: 2, retryable: 1, failed: 0, lost: 0 });
    expect(await effects()).toEqual([10, 12]);
    expect(await row(hang)).toMatchObject({ state: 'retryable', last_error: 'timed out after 30 ms', attempt: 1 });
    expect(await row(before)).toMatchObject({ state: 'completed', attempt: 1 });
    expect(await row(after)).toMatchObject({ state: 'completed', attempt: 1 });

    // retried, it runs alone: a job due with it is not taken down again
    clock.advance(HOUR);
    const next = (await queue.enqueue(db.kysely, effectKind, { n: 13 })).job.id;
    expect(await w.runDueJobs()).toEqual({ completed: 1, retryable: 1, failed: 0, lost: 0 });
    expect(await effects()).toEqual([10, 12, 13]);
    expect(await row(next)).toMatchObject({ state: 'completed', attempt: 1 });
  });

  it('a job that ends failed without perform having the last word (timed out, arguments that no longer parse) gets its kind\'s onFailed, in the transaction that fails it', async () => {
    const timedOut = (await queue.enqueue(db.kysely, hookedKind, { n: 21 })).job.id;
    const unparsable = (await queue.enqueue(db.kysely, hookedKind, { n: 22 })).job.id;
    await db.kysely.updateTable('jobs').set({ args: '{"n":"x"}' }).where('id', '=', unparsable).execute();
    expect(await worker().runDueJobs()).toMatchObject({ failed: 2 });
    expect(lastWords.sort()).toEqual([expect.stringContaining('invalid arguments: args.n'), 'timed out after 30 ms']);
    const effects = (await sql<{ n: number; worker: string }>`select n, worker from job_test_effects order by n`.execute(db.kysely)).rows;
    expect(effects.map((r) => [Number(r.n), r.worker])).toEqual([
      [0, 'onFailed'],
      [21, 'onFailed'],
    ]);
    expect(await row(timedOut)).toMatchObject({ state: 'failed', last_error: 'timed out after 30 ms' });
  });

  it('pending jobs are cancelled by id or by unique key prefix in the caller\'s transaction; running and finished ones are not', async () => {
    const key = (robot: number, deal: number, entry: number) => `robot:${robot}:deal:${deal}:entry:${entry}`;
    const a = await queue.enqueue(db.kysely, okKind, { n: 1 }, { uniqueKey: key(1, 7, 1), delayMs: HOUR });
    const b = await queue.enqueue(db.kysely, okKind, { n: 2 }, { uniqueKey: key(1, 7, 2) });
    const c = await queue.enqueue(db.kysely, okKind, { n: 3 }, { uniqueKey: key(1, 70, 1) });
    const d = await queue.enqueue(db.kysely, okKind, { n: 4 }, { uniqueKey: key(1, 8, 1) });
    const e = await queue.enqueue(db.kysely, okKind, { n: 5 });

    await expect(
      db.kysely.transaction().execute(async (trx) => {
        expect(await queue.cancel(trx, { uniqueKeyPrefix: 'robot:1:deal:7:' })).toEqual([a.job.id, b.job.id]);
        throw new Error('the stage change was refused');
      }),
    ).rejects.toThrow('refused');
    expect((await row(a.job.id)).state).toBe('scheduled');

    expect(await queue.cancel(db.kysely, { uniqueKeyPrefix: 'robot:1:deal:7:' })).toEqual([a.job.id, b.job.id]);
    expect(await queue.cancel(db.kysely, { id: e.job.id })).toEqual([e.job.id]);
    expect(await queue.cancel(db.kysely, { id: e.job.id })).toEqual([]);
    await expect(queue.cancel(db.kysely, { uniqueKeyPrefix: '' })).rejects.toThrow('empty');
    expect(await states()).toEqual([`${a.job.id}:cancelled`, `${b.job.id}:cancelled`, `${c.job.id}:available`, `${d.job.id}:available`, `${e.job.id}:cancelled`]);
    expect((await row(a.job.id)).finished_at).toBe(clock.now().toISOString());

    // the key is free once its job is cancelled: re-entering the stage schedules anew
    expect((await queue.enqueue(db.kysely, okKind, { n: 6 }, { uniqueKey: key(1, 7, 1) })).inserted).toBe(true);

    // running: not interrupted
    gates.set(9, gate());
    const g = await queue.enqueue(db.kysely, gateKind, { n: 9 }, { uniqueKey: 'gate:9', priority: -5 });
    const w = worker({ concurrency: 1 });
    const run = w.runDueJobs();
    await vi.waitFor(() => expect(w.runningIds()).toEqual([g.job.id]));
    expect(await queue.cancel(db.kysely, { uniqueKey: 'gate:9' })).toEqual([]);
    gates.get(9)!.open();
    await run;
    expect((await row(g.job.id)).state).toBe('completed');
    expect(performed.sort()).toEqual([3, 4, 6, 9]);
  });

  it('finished jobs are pruned after the keep time (failed ones after theirs); pending and running ones never', async () => {
    failuresLeft = 0;
    const done = await queue.enqueue(db.kysely, okKind, { n: 1 });
    const cancelled = await queue.enqueue(db.kysely, okKind, { n: 2 }, { delayMs: HOUR });
    await queue.cancel(db.kysely, { id: cancelled.job.id });
    const failed = await queue.enqueue(db.kysely, brokenKind, { permanent: true });
    const w = worker({ keepMs: 7 * DAY, keepFailedMs: 30 * DAY });
    await w.runDueJobs();
    const later = await queue.enqueue(db.kysely, okKind, { n: 3 }, { delayMs: 60 * DAY });

    clock.advance(7 * DAY);
    expect(await w.prune()).toBe(0);
    clock.advance(1);
    expect(await w.prune()).toBe(2);
    expect(await states()).toEqual([`${failed.job.id}:failed`, `${later.job.id}:scheduled`]);
    clock.advance(23 * DAY);
    expect(await w.prune()).toBe(1);
    expect(await states()).toEqual([`${later.job.id}:scheduled`]);
    expect(done.job.id).toBeGreaterThan(0);
  });

  it('pruning goes in batches through a backlog', async () => {
    for (let n = 0; n < 25; n++) await queue.enqueue(db.kysely, okKind, { n });
    await worker({ concurrency: 25 }).runDueJobs();
    clock.advance(8 * DAY);
    expect(await queue.prune({ keepMs: 7 * DAY, keepFailedMs: 30 * DAY, batch: 10 })).toBe(25);
  });

  it('the watchdog re-queues the jobs of a worker whose heartbeat stopped, counting the attempt; the dead worker\'s late writes are refused (and on PostgreSQL its transactional effects roll back)', async () => {
    const second = openDb(t.url, { poolSize: 4 });
    // On SQLite an open transaction holds the process's one connection, so A could not even write
    // its heartbeat while a transactional job waits: there the jobs are plain ones.
    const kind = dialect === 'postgres' ? gatedEffectKind : gateKind;
    try {
      for (const n of [1, 2, 3]) gates.set(n, gate());
      const ids: number[] = [];
      for (const n of [1, 2, 3]) ids.push((await queue.enqueue(db.kysely, kind, { n })).job.id);
      const a = worker({ id: 'A', heartbeatTimeoutMs: 60_000 }, second);
      const b = worker({ id: 'B', heartbeatTimeoutMs: 60_000 });
      const aRun = a.runDueJobs();
      await vi.waitFor(() => expect(a.runningIds()).toEqual(ids));

      // A is alive: its heartbeat keeps the jobs
      clock.advance(50_000);
      await a.heartbeat();
      clock.advance(50_000);
      expect(await b.rescueOrphans()).toBe(0);
      expect(await b.runDueJobs()).toMatchObject({ completed: 0 }); // (on SQLite A also still holds the runner lease)

      // A goes silent past the timeout
      clock.advance(10_001);
      expect(await b.rescueOrphans()).toBe(3);
      const rescued = await queue.get(db.kysely, ids[0]!);
      expect(rescued).toMatchObject({ state: 'retryable', attempt: 1, runAt: clock.now().toISOString(), heartbeatAt: null });
      expect(rescued!.errors).toEqual([{ attempt: 1, at: clock.now().toISOString(), workerId: 'B', error: expect.stringMatching(/^worker A stopped sending heartbeats/) }]);

      for (const n of [1, 2, 3]) gates.get(n)!.open();
      // B runs them (attempt 2); A, coming back, finds its claims gone: nothing of it lands
      expect(await b.runDueJobs()).toMatchObject({ completed: 3 });
      expect(await aRun).toEqual({ completed: 0, retryable: 0, failed: 0, lost: 3 });
      for (const id of ids) expect(await queue.get(db.kysely, id)).toMatchObject({ state: 'completed', attempt: 2, claimedBy: 'B' });
      if (dialect === 'postgres') {
        const effects = await sql<{ n: number; worker: string }>`select n, worker from job_test_effects order by n`.execute(db.kysely);
        expect(effects.rows.map((e) => [Number(e.n), e.worker])).toEqual([[1, 'B'], [2, 'B'], [3, 'B']]);
      } else {
        // a plain job's effects are at least once: A's run happened too, only its outcome was refused
        expect(performed.sort()).toEqual([1, 1, 2, 2, 3, 3]);
      }
    } finally {
      await second.close();
    }
  });

  it('a job that kills its worker every time ends failed after max_attempts', async () => {
    const { job } = await queue.enqueue(db.kysely, okKind, { n: 1 }, { maxAttempts: 2 });
    const w = worker({ heartbeatTimeoutMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      expect(await w.claim(1)).toHaveLength(1); // claimed, then "the process dies"
      clock.advance(60_001);
      expect(await w.rescueOrphans()).toBe(1);
    }
    expect(await queue.get(db.kysely, job.id)).toMatchObject({ state: 'failed', attempt: 2, finishedAt: clock.now().toISOString() });
  });

  it('graceful stop: claims nothing more, lets running jobs finish within the grace period, releases the rest back to the queue', async () => {
    for (const n of [1, 2]) gates.set(n, gate());
    const ids: number[] = [];
    for (const n of [1, 2]) ids.push((await queue.enqueue(db.kysely, gateKind, { n })).job.id);
    const w = worker({ id: 'W', concurrency: 2 });
    const run = w.runDueJobs();
    await vi.waitFor(() => expect(w.runningIds()).toEqual(ids));
    const after = await queue.enqueue(db.kysely, okKind, { n: 3 });
    const stopping = w.stop({ graceMs: 3_600_000 });
    for (const n of [1, 2]) gates.get(n)!.open();
    await stopping;
    expect(await run).toMatchObject({ completed: 2 });
    expect((await row(after.job.id)).state).toBe('available');
    expect(await w.claim(10)).toEqual([]);

    // past the grace period: aborted and released, the attempt not counted
    const h: number[] = [];
    for (const n of [1, 2]) h.push((await queue.enqueue(db.kysely, hangKind, { n })).job.id);
    const w2 = worker({ id: 'W2', concurrency: 3 });
    const run2 = w2.runDueJobs();
    await vi.waitFor(() => expect(w2.runningIds()).toEqual(h));
    await w2.stop({ graceMs: 20 });
    await run2;
    expect((await row(after.job.id)).state).toBe('completed');
    for (const id of h) expect(await row(id)).toMatchObject({ state: 'available', attempt: 0, claimed_by: 'W2', heartbeat_at: null });
    if (dialect === 'sqlite') expect(await db.kysely.selectFrom('job_leases').selectAll().execute()).toEqual([]);
  });

  it.runIf(dialect === 'sqlite')('on SQLite one process runs jobs: a second worker claims nothing while the first holds the runner lease', async () => {
    const second = openDb(t.url);
    try {
      const a = worker({ id: 'A', heartbeatTimeoutMs: 60_000 });
      const b = worker({ id: 'B', heartbeatTimeoutMs: 60_000 }, second);
      await queue.enqueue(db.kysely, okKind, { n: 1 });
      expect(await a.runDueJobs()).toMatchObject({ completed: 1 });
      await queue.enqueue(db.kysely, okKind, { n: 2 });
      expect(await b.runDueJobs()).toMatchObject({ completed: 0 });
      expect(await a.runDueJobs()).toMatchObject({ completed: 1 });
      await queue.enqueue(db.kysely, okKind, { n: 3 });
      clock.advance(60_000); // A's lease runs out without renewal (A died)
      expect(await b.runDueJobs()).toMatchObject({ completed: 1 });
      expect(await a.runDueJobs()).toMatchObject({ completed: 0 });
      await b.stop();
      await queue.enqueue(db.kysely, okKind, { n: 4 });
      expect(await a.runDueJobs()).toMatchObject({ completed: 1 }); // B released it on stop
      expect(performed).toEqual([1, 2, 3, 4]);
    } finally {
      await second.close();
    }
  });

  it('queue health: due, scheduled, running, retrying, failed and the oldest due job\'s lag, for the queue or one workspace', async () => {
    const ws = await db.kysely.insertInto('workspaces').values({ name: 'W', crm_mode: 'with_leads', currency: 'RUB', time_zone: 'Europe/Moscow', locale: 'ru', created_at: clock.now().toISOString(), updated_at: clock.now().toISOString() }).returning('id').executeTakeFirstOrThrow();
    const first = await queue.enqueue(db.kysely, okKind, { n: 1 }, { workspaceId: ws.id });
    clock.advance(1500);
    await queue.enqueue(db.kysely, okKind, { n: 2 });
    await queue.enqueue(db.kysely, okKind, { n: 3 }, { delayMs: HOUR, workspaceId: ws.id });
    await queue.enqueue(db.kysely, brokenKind, { permanent: true }, { runAt: new Date(clock.now().getTime() + 1) });
    expect(await queue.health()).toEqual({ due: 2, scheduled: 2, running: 0, retrying: 0, failed: 0, oldestDueAt: first.job.runAt, oldestDueLagMs: 1500 });
    expect(await queue.health({ workspaceId: ws.id })).toEqual({ due: 1, scheduled: 1, running: 0, retrying: 0, failed: 0, oldestDueAt: first.job.runAt, oldestDueLagMs: 1500 });
    clock.advance(1);
    await worker().runDueJobs();
    expect(await queue.health()).toEqual({ due: 0, scheduled: 1, running: 0, retrying: 0, failed: 1, oldestDueAt: null, oldestDueLagMs: 0 });
    await worker().claim(0);
    clock.advance(HOUR);
    await worker().claim(5);
    expect(await queue.health()).toMatchObject({ due: 0, running: 1 });
    await db.kysely.deleteFrom('jobs').execute();
    await db.kysely.deleteFrom('workspaces').where('id', '=', ws.id).execute();
  });
});
