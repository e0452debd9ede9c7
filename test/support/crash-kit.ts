import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { systemClock } from '../../src/server/clock.js';
import type { AppContext } from '../../src/server/context.js';
import { createWorkspace } from '../../src/modules/workspaces/create-workspace.js';
import { ApiClient } from './api-client.js';

// What the automation crash tests share (automation-crash.test.ts: SMS; automation-crash-mail-hooks.test.ts:
// e-mail and webhooks): waiting on a condition, a bounded pool, and real server processes
// (automation-server-child.ts) started on the test's database and killed at will.

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'automation-server-child.ts');

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  ready: Promise<void>;
}

export async function until<T>(what: string, check: () => Promise<T>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs `fn` over `items`, `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Starts server processes on `databaseUrl` (the whole app, its outbox consumer and a job worker); `children` keeps them all for the clean-up. */
export function serverSpawner(databaseUrl: () => string, note: (what: string) => void) {
  const children: Child[] = [];
  let seq = 0;
  const spawnServer = (): Child => {
    note('spawn');
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, DATABASE_URL: databaseUrl(), WORKER_ID: `server-${++seq}`, HEARTBEAT_MS: '200', HEARTBEAT_TIMEOUT_MS: '1000', CONCURRENCY: '8' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => {
      stderr += d;
      if (process.env.CRASH_DEBUG) process.stderr.write(d);
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      void exited.then((code) => reject(new Error(`server exited (${code}) before it was ready: ${stderr}`)));
    });
    const child = { proc, exited, ready };
    children.push(child);
    return child;
  };
  const killAll = async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
  };
  return { spawnServer, killAll };
}

/** The runs of a workspace, of a status if given. */
export async function countRuns(db: Db, ws: number, status?: string): Promise<number> {
  let q = db.kysely.selectFrom('automation_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws);
  if (status) q = q.where('status', '=', status as 'waiting');
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** The seeding server: the API in the test's process, without a job worker or the outbox consumer. */
export async function startSeeder(db: Db): Promise<{ app: FastifyInstance; ctx: AppContext; url: string }> {
  const { app, ctx } = await buildApp({ db, clock: systemClock, webRoot: false, allowPrivateWebhooks: true, ...(process.env.CRASH_DEBUG && { logger: (await import('pino')).default({ level: 'warn' }) }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, ctx, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

/** A new workspace and its administrator, logged in to the seeder. */
export async function seedWorkspace(seeder: { ctx: AppContext; url: string }, name: string, tag: string): Promise<{ workspaceId: number; admin: ApiClient }> {
  const email = `admin-${tag}-${Date.now()}@test.local`;
  const { workspaceId } = await createWorkspace(seeder.ctx, { name, admin: { email, name: 'Админ', password: 'correct horse battery' } });
  return { workspaceId, admin: await ApiClient.login(seeder.url, email, 'correct horse battery') };
}
