import { sql } from 'kysely';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestDb, testDialects, type TestDb } from '../support/test-db.js';
import { ApiClient } from '../support/api-client.js';

// The real command line, run as child processes on a fresh database of its own; a server on
// the same database proves that what the commands write works for logging in.

const BIN = path.resolve(import.meta.dirname, '../../bin/voronka.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function voronka(databaseUrl: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const passwordIn = (out: string) => /password: (\S+)/.exec(out)?.[1];

/**
 * `voronka start` on a database of its own, until it has printed the first log-in (then stopped) or
 * has exited by itself; `extraEnv` carries VORONKA_LOCALE and the like.
 */
function firstStart(databaseUrl: string, extraEnv: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', VORONKA_ADMIN_EMAIL: 'first@cli.test', VORONKA_ADMIN_PASSWORD: 'first-pass-1', ...extraEnv };
    const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      // once: a second SIGTERM during the graceful shutdown would end the process on the spot
      if (!stopping && stdout.includes('log in as')) {
        stopping = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // killed by a signal (no handler of its own ran): not a clean exit
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 0), stdout, stderr }));
  });
}

describe.each(testDialects())('command line on %s', (dialect) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  let baseUrl: string;
  const run = (...args: string[]) => voronka(testDb.url, ...args);
  const login = (email: string, password: string) => new ApiClient(baseUrl).post('/auth/login', { email, password });
  const count = async (table: 'users' | 'deals' | 'pipelines' | 'deal_stage_history' | 'activities' | 'timeline_entries' | 'departments', workspaceId: number) =>
    Number(
      (
        await testDb.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', workspaceId)
          // users: the people (each workspace also has its robots' system user)
          .$if(table === 'users', (q) => q.where(sql.ref('kind'), '=', 'person'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    testDb = await createTestDb(dialect);
    ({ app } = await buildApp({ db: testDb.db }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await testDb?.destroy();
  });

  it('creates a workspace and reports it in doctor', async () => {
    const created = await run('create-workspace', '--name', 'Мебельная фабрика', '--admin-email', 'owner@cli.test', '--admin-password', 'owner-pass-1');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/workspace 1 "Мебельная фабрика" created/);
    expect((await login('owner@cli.test', 'owner-pass-1')).status).toBe(200);

    const doctor = await run('doctor');
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`database: ${dialect}`);
    expect(doctor.stdout).toMatch(/^workspaces\s+1$/m);
    // a new workspace has two jobs of its own: the overdue control's scan (due within the minute) and its daily digest
    const jobs = /^jobs: (\d+) due, (\d+) scheduled, 0 running, 0 retrying, 0 failed$/m.exec(doctor.stdout);
    expect(jobs, doctor.stdout).not.toBeNull();
    expect(Number(jobs![1]) + Number(jobs![2])).toBe(2);
    expect(doctor.stdout).toMatch(/^users\s+1$/m);
    expect(doctor.stdout).toMatch(/^pipelines\s+1$/m);
  });

  it('creates a user who can log in, with the generated password printed once', async () => {
    const res = await run('create-user', '--email', 'Anna@CLI.test', '--name', 'Анна Смирнова', '--role', 'head_of_sales');
    expect(res.code, res.stderr).toBe(0);
    const password = passwordIn(res.stdout);
    expect(password).toBeTruthy();
    expect(res.stdout).toMatch(/shown once/);

    const row = await testDb.db.kysely.selectFrom('users').select(['id', 'email', 'password_hash', 'workspace_id']).where('email', '=', 'anna@cli.test').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(password!);
    const roles = await testDb.db.kysely
      .selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select('roles.code')
      .where('user_roles.user_id', '=', row.id)
      .execute();
    expect(roles.map((r) => r.code)).toEqual(['head_of_sales']);

    const me = await ApiClient.login(baseUrl, 'anna@cli.test', password!);
    expect(me.user.email).toBe('anna@cli.test');
    expect((await me.get('/auth/me')).body.permissions.isAdmin).toBe(false);
  });

  it('refuses bad options with the field and exit status 1, writing nothing', async () => {
    const bad = await run('create-user', '--email', 'not-an-email', '--name', 'X', '--password', 'short');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/email: /);
    expect(bad.stderr).toMatch(/password: must be at least 8 characters/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace

    const taken = await run('create-user', '--email', 'anna@cli.test', '--name', 'Двойник', '--password', 'another-pass');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/already exists/);

    const unknownRole = await run('create-user', '--email', 'x@cli.test', '--name', 'X', '--password', 'long-enough', '--role', 'emperor');
    expect(unknownRole.code).toBe(1);
    expect(unknownRole.stderr).toMatch(/--role emperor: no such role/);
    expect(await count('users', 1)).toBe(2);
  });

  it('resets a password: the old one and the open sessions stop working, the new one logs in', async () => {
    const session = await ApiClient.login(baseUrl, 'owner@cli.test', 'owner-pass-1');
    expect((await session.get('/auth/me')).status).toBe(200);

    const given = await run('reset-password', '--email', 'owner@cli.test', '--password', 'new-owner-pass');
    expect(given.code, given.stderr).toBe(0);
    expect(passwordIn(given.stdout)).toBeUndefined(); // a password given on the command line is not echoed
    expect((await session.get('/auth/me')).status).toBe(401);
    expect((await login('owner@cli.test', 'owner-pass-1')).status).toBe(401);
    expect((await login('owner@cli.test', 'new-owner-pass')).status).toBe(200);

    const generated = await run('reset-password', '--email', 'anna@cli.test');
    expect(generated.code).toBe(0);
    expect((await login('anna@cli.test', passwordIn(generated.stdout)!)).status).toBe(200);

    const unknown = await run('reset-password', '--email', 'nobody@cli.test');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user with e-mail nobody@cli.test/);
  });

  it('seeds a demo company with a year of history, once', async () => {
    const res = await run('seed-demo', '--deals', '200', '--seed', '7', '--password', 'demo-pass-123');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^\s+deals\s+200$/m);

    expect(await count('deals', 1)).toBe(200);
    expect(await count('pipelines', 1)).toBe(3);
    expect(await count('departments', 1)).toBe(2);
    expect(await count('users', 1)).toBeGreaterThanOrEqual(12);
    expect(await count('deal_stage_history', 1)).toBeGreaterThanOrEqual(200);
    expect(await count('activities', 1)).toBeGreaterThan(0);
    expect(await count('timeline_entries', 1)).toBeGreaterThan(0);

    const db = testDb.db.kysely;
    const bySemantic = await db.selectFrom('deals').select(['stage_semantic', (eb) => eb.fn.countAll<number>().as('n')]).where('workspace_id', '=', 1).groupBy('stage_semantic').execute();
    const n = (s: string) => Number(bySemantic.find((r) => r.stage_semantic === s)?.n ?? 0);
    expect(n('success')).toBeGreaterThan(20);
    expect(n('failure')).toBeGreaterThan(15);
    expect(n('in_progress')).toBeGreaterThan(60);
    // lost deals carry their reason; history is spread over the past year and none of it is in the future
    const lostWithoutReason = await db.selectFrom('deals').select('id').where('stage_semantic', '=', 'failure').where('loss_reason_id', 'is', null).execute();
    expect(lostWithoutReason).toEqual([]);
    const span = await db.selectFrom('deals').select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')]).executeTakeFirstOrThrow();
    expect(Date.now() - Date.parse(String(span.first))).toBeGreaterThan(300 * 86_400_000);
    const future = await db.selectFrom('timeline_entries').select('id').where('created_at', '>', new Date(Date.now() + 60_000).toISOString()).execute();
    expect(future).toEqual([]);
    const converted = await db.selectFrom('leads').select('converted_deal_id').where('status_semantic', '=', 'converted').execute();
    expect(converted.length).toBeGreaterThan(0);
    expect(converted.every((l) => l.converted_deal_id !== null)).toBe(true);
    const overdue = await db.selectFrom('activities').select('id').where('status', '=', 'planned').where('deadline_at', '<', new Date().toISOString()).execute();
    expect(overdue.length).toBeGreaterThan(0);

    // the demo managers log in with the shared password and see their own deals
    const manager = await db
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select(['users.id', 'users.email'])
      .where('roles.code', '=', 'manager')
      .where('users.email', 'like', '%@demo.voronka.local')
      .orderBy('users.id')
      .executeTakeFirstOrThrow();
    const client = await ApiClient.login(baseUrl, manager.email, 'demo-pass-123');
    const deals = await client.get('/deals', { withTotal: true, limit: 5 });
    expect(deals.status).toBe(200);
    expect(deals.body.total).toBeGreaterThan(0);
    expect(deals.body.items.every((d: { responsibleId: number }) => d.responsibleId === manager.id)).toBe(true);

    const again = await run('seed-demo', '--deals', '10');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has the demo .*--force/);
    expect(await count('deals', 1)).toBe(200);

    // a department is named by its name on create-user
    const withDept = await run('create-user', '--email', 'newbie@cli.test', '--name', 'Новичок', '--password', 'newbie-pass', '--department', 'Отдел продаж Москва');
    expect(withDept.code, withDept.stderr).toBe(0);
    const dept = await db
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.department_id')
      .select('departments.name')
      .where('users.email', '=', 'newbie@cli.test')
      .executeTakeFirstOrThrow();
    expect(dept.name).toBe('Отдел продаж Москва');
  }, 90_000);

  it('creates a workspace in English with --locale en, and refuses an unknown language or mode', async () => {
    const res = await run('create-workspace', '--name', 'Acme Inc', '--admin-email', 'owner@acme.test', '--admin-password', 'acme-pass-1', '--locale', 'en');
    expect(res.code, res.stderr).toBe(0);
    const m = /workspace (\d+) "Acme Inc" created/.exec(res.stdout);
    expect(m).not.toBeNull();
    const workspaceId = Number(m![1]);
    const db = testDb.db.kysely;
    expect(await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirstOrThrow()).toEqual({ locale: 'en' });
    expect(await db.selectFrom('users').select(['name', 'locale']).where('email', '=', 'owner@acme.test').executeTakeFirstOrThrow()).toEqual({ name: 'Administrator', locale: 'en' });
    const admin = await ApiClient.login(baseUrl, 'owner@acme.test', 'acme-pass-1');
    const pipeline = (await admin.get('/pipelines')).body.items[0];
    expect([pipeline.name, pipeline.stages[0].name]).toEqual(['General', 'New']);
    expect((await admin.get('/reference-lists/sources/items')).body.items[0].name).toBe('Call');
    expect((await admin.get('/roles')).body.items.map((r: { name: string }) => r.name)).toContain('Head of sales');

    const french = await run('create-workspace', '--name', 'Fr', '--admin-email', 'fr@cli.test', '--locale', 'fr');
    expect(french.code).toBe(1);
    expect(french.stderr).toMatch(/--locale must be one of ru, en, got "fr"/);
    const mode = await run('create-workspace', '--name', 'M', '--admin-email', 'mode@cli.test', '--mode', 'leads');
    expect(mode.code).toBe(1);
    expect(mode.stderr).toMatch(/--mode must be one of with_leads, without_leads, got "leads"/);
    expect(await db.selectFrom('users').select('id').where('email', 'in', ['fr@cli.test', 'mode@cli.test']).execute()).toEqual([]);
  });

  it('sets up the first workspace in the language of VORONKA_LOCALE on the first start', async () => {
    const fresh = await createTestDb(dialect);
    try {
      const bad = await firstStart(fresh.url, { VORONKA_LOCALE: 'english' });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/VORONKA_LOCALE must be one of ru, en, got "english"/);
      const db = fresh.db.kysely;
      expect(await db.selectFrom('workspaces').select('id').execute()).toEqual([]);

      const badJobs = await firstStart(fresh.url, { VORONKA_JOBS_CONCURRENCY: 'many' });
      expect(badJobs.code).toBe(1);
      expect(badJobs.stderr).toMatch(/VORONKA_JOBS_CONCURRENCY must be a whole number of at least 1, not "many"/);

      const started = await firstStart(fresh.url, { VORONKA_LOCALE: 'en' });
      expect(started.stdout, started.stderr).toMatch(/First start: created the workspace/);
      // SIGTERM stopped the job worker too: the SQLite runner lease is given back for the next start
      expect(started.code).toBe(0);
      expect(await fresh.db.kysely.selectFrom('job_leases').selectAll().execute(), started.stdout + started.stderr).toEqual([]);
      expect(await db.selectFrom('workspaces').select(['name', 'locale']).execute()).toEqual([{ name: 'My company', locale: 'en' }]);
      expect(await db.selectFrom('users').select(['email', 'name', 'locale', 'kind']).orderBy('id').execute()).toEqual([
        { email: 'first@cli.test', name: 'Administrator', locale: 'en', kind: 'person' },
        { email: 'robot+1@system.invalid', name: 'Robot', locale: 'en', kind: 'system' },
      ]);
      expect(await db.selectFrom('pipelines').select('name').execute()).toEqual([{ name: 'General' }]);
      const statuses = await db.selectFrom('reference_items').select('name').where('kind', '=', 'lead-statuses').orderBy('sort').execute();
      expect(statuses.map((r) => r.name)).toEqual(['New', 'In progress', 'Converted', 'Junk']);
    } finally {
      await fresh.destroy();
    }
  });
});
