import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJobKind, JobWorker } from '../../src/jobs/index.js';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

// The app's own queue (ctx.services.jobs): a module registers a kind and enqueues; GET /jobs
// shows administrators their workspace's queue health.
describe.each(testDialects())('GET /jobs on %s', (dialect) => {
  let s: TestServer;
  const noop = defineJobKind({ kind: 'test.noop', args: z.strictObject({}), perform: () => {} });
  beforeAll(async () => {
    s = await startTestServer(dialect);
    s.ctx.services.jobs.registry.register(noop);
  });
  afterAll(async () => s?.close());

  it("shows the workspace's due, running and failed jobs and the oldest due job's lag, to administrators only", async () => {
    const jobs = s.ctx.services.jobs;
    // the workspace's own periodic jobs (overdue control's scan and digest) are left out of the count here
    await jobs.cancel(s.ctx.db.kysely, { uniqueKeyPrefix: 'overdue:' });
    const first = await jobs.enqueue(s.ctx.db.kysely, noop, {}, { workspaceId: s.workspaceId });
    await jobs.enqueue(s.ctx.db.kysely, noop, {}, { workspaceId: s.workspaceId, delayMs: 3_600_000 });
    s.clock.advance(90_000);
    const res = await s.admin.get('/jobs');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ due: 1, scheduled: 1, running: 0, retrying: 0, failed: 0, oldestDueAt: first.job.runAt, oldestDueLagMs: 90_000 });

    await new JobWorker(s.ctx.db, s.clock, jobs).runDueJobs();
    expect((await s.admin.get('/jobs')).body).toMatchObject({ due: 0, scheduled: 1, oldestDueLagMs: 0 });

    const other = await s.newWorkspace('Другая');
    // only its own: the overdue control's scan and digest
    expect((await other.admin.get('/jobs')).body).toMatchObject({ due: 0, scheduled: 2 });

    const roles = (await s.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const manager = roles.find((r) => r.code === 'manager')!.id;
    const created = await s.admin.post('/users', { email: `jobs-${dialect}@test.local`, name: 'Менеджер', password: 'password 123456', roleIds: [manager] });
    expect(created.status).toBe(201);
    const m = await ApiClient.login(s.baseUrl, `jobs-${dialect}@test.local`, 'password 123456');
    expect((await m.get('/jobs')).status).toBe(403);
    expect((await s.anon().get('/jobs')).status).toBe(401);
    expect((await s.admin.get('/jobs?x=1')).status).toBe(400);
  });
});
