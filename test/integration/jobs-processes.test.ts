import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemClock } from '../../src/server/clock.js';
import { JobQueue, JobRegistry } from '../../src/jobs/index.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { createEffectsTable, effectKind, hangKind } from '../support/job-test-kinds.js';

// Several server processes on one PostgreSQL share the jobs: each runs once; a process killed
// with SIGKILL mid-way loses nothing (its claimed jobs are re-run by the other after the
// heartbeat timeout, once in effect); SIGTERM releases what could not finish. Real processes on
// the real clock (the workers' time is real here); the test only polls for states.

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/job-worker-child.ts');
const JOBS = 2000;

interface Child {
  id: string;
  proc: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  ready: Promise<void>;
}

/** Polls until `check` returns a truthy value (every 50 ms, at most `ms`). */
async function until<T>(what: string, check: () => Promise<T>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!process.env.VORONKA_TEST_PG_URL)('job engine: worker processes on one PostgreSQL', () => {
  let t: TestDb;
  let queue: JobQueue;
  const children: Child[] = [];

  const spawnWorker = (id: string, env: Record<string, string> = {}): Child => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, DATABASE_URL: t.url, WORKER_ID: id, HEARTBEAT_MS: '200', HEARTBEAT_TIMEOUT_MS: '1500', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      void exited.then((code) => reject(new Error(`worker ${id} exited (${code}) before it was ready: ${stderr}`)));
    });
    const child = { id, proc, exited, ready };
    children.push(child);
    return child;
  };
  const go = (c: Child) => c.proc.stdin.write('go\n');
  const count = async (where = sql`true`) => Number((await sql<{ n: number }>`select count(*) as n from jobs where ${where}`.execute(t.db.kysely)).rows[0]!.n);
  const effects = async () => (await sql<{ n: number; worker: string }>`select n, worker from job_test_effects`.execute(t.db.kysely)).rows;

  const enqueueEffects = async () => {
    const ids = await queue.enqueueMany(t.db.kysely, effectKind, Array.from({ length: JOBS }, (_, n) => ({ args: { n } })));
    expect(ids).toHaveLength(JOBS);
  };

  /** Workers A and B, ready; then the jobs; then both start at once. */
  const twoWorkersOnEffects = async () => {
    const pair = [spawnWorker('A'), spawnWorker('B')] as const;
    await Promise.all(pair.map((c) => c.ready));
    await enqueueEffects();
    for (const c of pair) go(c);
    return pair;
  };

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await createEffectsTable(t.db.kysely, 'postgres');
    const registry = new JobRegistry();
    registry.register(effectKind, hangKind);
    queue = new JobQueue(t.db, systemClock, registry);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
      await c.exited;
    }
    await t.db.kysely.deleteFrom('jobs').execute();
    await sql`delete from job_test_effects`.execute(t.db.kysely);
  });
  afterAll(async () => t?.destroy());

  it(`two processes run ${JOBS} due jobs between them, each exactly once`, async () => {
    const [a, b] = await twoWorkersOnEffects();
    await until('every job completed', async () => (await count(sql`state = 'completed'`)) === JOBS);

    const rows = await effects();
    expect(rows).toHaveLength(JOBS);
    expect(new Set(rows.map((r) => Number(r.n))).size).toBe(JOBS);
    expect(await count(sql`attempt <> 1`)).toBe(0);
    const byWorker = (w: string) => rows.filter((r) => r.worker === w).length;
    expect(byWorker('A')).toBeGreaterThan(0);
    expect(byWorker('B')).toBeGreaterThan(0);
    // the effect was written by the worker the job names
    const mismatched = await sql<{ n: number }>`
      select count(*) as n from jobs j join job_test_effects e on e.n = cast(j.args::json->>'n' as integer)
      where e.worker <> j.claimed_by`.execute(t.db.kysely);
    expect(Number(mismatched.rows[0]!.n)).toBe(0);

    a.proc.kill('SIGTERM');
    b.proc.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 120_000);

  it('a process killed with SIGKILL mid-way: the other re-runs its claimed jobs after the heartbeat timeout, each once in effect', async () => {
    const [a, b] = await twoWorkersOnEffects();
    await until('a fifth of the jobs done, and A in the middle of some', async () => (await count(sql`state = 'completed'`)) >= JOBS / 5 && (await count(sql`state = 'running' and claimed_by = 'A'`)) > 0);
    a.proc.kill('SIGKILL');
    await a.exited;
    const orphaned = await count(sql`state = 'running' and claimed_by = 'A'`);

    await until('every job completed', async () => (await count(sql`state = 'completed'`)) === JOBS);
    const rows = await effects();
    expect(rows).toHaveLength(JOBS);
    expect(new Set(rows.map((r) => Number(r.n))).size).toBe(JOBS);
    // what A held when it died was rescued by B's watchdog (that attempt counted) and run by B
    const rescued = await sql<{ attempt: number; claimed_by: string; last_error: string }>`
      select attempt, claimed_by, last_error from jobs where last_error like 'worker A stopped sending heartbeats%'`.execute(t.db.kysely);
    expect(orphaned).toBeGreaterThan(0);
    expect(rescued.rows.length).toBeGreaterThanOrEqual(orphaned);
    for (const r of rescued.rows) expect(r).toMatchObject({ attempt: 2, claimed_by: 'B' });
    expect(await count(sql`attempt > 2`)).toBe(0);

    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 120_000);

  it('SIGTERM: the process stops claiming, and the jobs that did not finish within the grace period go back to the queue', async () => {
    const c = spawnWorker('C', { CONCURRENCY: '3', GRACE_MS: '100' });
    await c.ready;
    for (let n = 0; n < 5; n++) await queue.enqueue(t.db.kysely, hangKind, { n });
    go(c);
    await until('three jobs running', async () => (await count(sql`state = 'running' and claimed_by = 'C'`)) === 3);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(await count(sql`state = 'available' and attempt = 0 and heartbeat_at is null`)).toBe(5);
  }, 60_000);
});
