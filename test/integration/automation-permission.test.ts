import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { ApiClient } from '../support/api-client.js';

// The role-matrix right to edit robots and triggers (`automation.manage`, permissions/capabilities.ts):
// administrators have it; a role an administrator grants it to lets a manager edit robots and
// triggers, dry-run and apply them, read the workspace's log (of the records they may read) and retry
// runs; without it 403. The
// automation log of a record stays open to whoever may read the record.

describe.each(testDialects())('the automation.manage right on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number }>;
  let pipelineId: number;
  let roleId: number;
  let boris: { client: ApiClient; id: number };
  let anna: { client: ApiClient; id: number };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    const p = (await s.admin.get('/pipelines')).body.items[0];
    pipelineId = p.id;
    stages = p.stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    const role = await s.admin.post('/roles', { name: 'Настройщик роботов', capabilities: ['automation.manage'], permissions: [] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    expect(role.body.capabilities).toEqual(['automation.manage']);
    roleId = role.body.id;
    boris = await addUser(s, `boris-${dialect}@test.local`, 'manager', { name: 'Борис' });
    const user = (await s.admin.get(`/users/${boris.id}`)).body;
    expect((await s.admin.patch(`/users/${boris.id}`, { roleIds: [...user.roleIds, roleId], version: user.version })).status).toBe(200);
    anna = await addUser(s, `anna-${dialect}@test.local`, 'manager', { name: 'Анна' });
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
  });

  it('administrators have it; GET /auth/me says who has it', async () => {
    expect((await s.admin.get('/auth/me')).body.permissions.capabilities).toEqual(['automation.manage']);
    expect((await boris.client.get('/auth/me')).body.permissions.capabilities).toEqual(['automation.manage']);
    expect((await anna.client.get('/auth/me')).body.permissions.capabilities).toEqual([]);
    const roles = (await s.admin.get('/roles')).body.items as Array<{ code: string | null; capabilities: string[] }>;
    expect(roles.find((r) => r.code === 'manager')!.capabilities).toEqual([]);
  });

  it('a manager with the right edits robots and triggers, tries and applies them, reads the log and retries', async () => {
    const created = await boris.client.post('/automation/robots', { stageId: stages[1]!.id, type: 'add_comment', name: 'Комментарий', params: { text: 'Сделка во второй стадии' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const robot = created.body as { id: number; version: number };
    expect((await boris.client.get('/automation/robots', { pipelineId })).body.map((r: { id: number }) => r.id)).toContain(robot.id);
    const patched = await boris.client.patch(`/automation/robots/${robot.id}`, { name: 'Комментарий Бориса', version: robot.version });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    const own = (await boris.client.post('/deals', { title: 'Сделка Бориса', stageId: stages[1]!.id })).body as { id: number };
    const theirs = (await s.admin.post('/deals', { title: 'Сделка администратора', stageId: stages[1]!.id })).body as { id: number };
    expect((await boris.client.post(`/automation/robots/${robot.id}/dry-run`, { dealId: own.id })).body).toMatchObject({ status: 'done' });
    // the dry run shows the deal's texts: only for a deal the user may read, one answer for hidden and missing
    const hidden = await boris.client.post(`/automation/robots/${robot.id}/dry-run`, { dealId: theirs.id });
    const missing = await boris.client.post(`/automation/robots/${robot.id}/dry-run`, { dealId: 999_999 });
    expect(hidden.status).toBe(400);
    expect(hidden.body).toEqual(missing.body);
    expect((await boris.client.post(`/automation/robots/${robot.id}/apply`, { preview: true })).body).toMatchObject({ records: expect.any(Number) });

    await engine.settle();
    const log = await boris.client.get('/automation/runs', { robotType: 'add_comment' });
    expect(log.status).toBe(200);
    // the log tells of the records its reader may read: Boris's deal, not the administrator's
    const seen = log.body.items.map((r: { entityId: number }) => r.entityId);
    expect(seen).toContain(own.id);
    expect(seen).not.toContain(theirs.id);
    const all = (await s.admin.get('/automation/runs', { robotType: 'add_comment' })).body.items as Array<{ id: number; entityId: number }>;
    expect(all.map((r) => r.entityId)).toEqual(expect.arrayContaining([own.id, theirs.id]));
    const run = log.body.items.find((r: { entityId: number }) => r.entityId === own.id);
    // a done run cannot be retried: the right is there, the run's state refuses
    expect((await boris.client.post(`/automation/runs/${run.id}/retry`)).status).toBe(400);
    // a run of a deal Boris may not read is answered as a missing one
    const hiddenRun = all.find((r) => r.entityId === theirs.id)!;
    const hiddenRetry = await boris.client.post(`/automation/runs/${hiddenRun.id}/retry`);
    expect(hiddenRetry.status).toBe(404);
    expect(hiddenRetry.body).toEqual((await boris.client.post('/automation/runs/99999999/retry')).body);

    const trigger = await boris.client.post('/automation/triggers', { stageId: stages[2]!.id, type: 'activity_done', enabled: false });
    expect(trigger.status, JSON.stringify(trigger.body)).toBe(201);
    expect((await boris.client.get('/automation/triggers', { pipelineId })).status).toBe(200);
    expect((await boris.client.delete(`/automation/triggers/${trigger.body.id}`)).status).toBe(204);
    expect((await boris.client.delete(`/automation/robots/${robot.id}`)).status).toBe(204);
  });

  it('without it: 403 everywhere, and the record log still open to whoever reads the record', async () => {
    const robot = (await s.admin.post('/automation/robots', { stageId: stages[0]!.id, type: 'add_comment', params: { text: 'Новая сделка' }, enabled: false })).body as { id: number; version: number };
    const c = anna.client;
    expect((await c.post('/automation/robots', { stageId: stages[1]!.id, type: 'add_comment', params: { text: 'x' } })).status).toBe(403);
    expect((await c.get('/automation/robots', { pipelineId })).status).toBe(403);
    expect((await c.get(`/automation/robots/${robot.id}`)).status).toBe(403);
    expect((await c.patch(`/automation/robots/${robot.id}`, { name: 'x', version: robot.version })).status).toBe(403);
    expect((await c.delete(`/automation/robots/${robot.id}`)).status).toBe(403);
    expect((await c.post(`/automation/robots/${robot.id}/apply`, { preview: true })).status).toBe(403);
    expect((await c.get('/automation/runs')).status).toBe(403);
    expect((await c.post('/automation/triggers', { stageId: stages[1]!.id, type: 'activity_done' })).status).toBe(403);
    expect((await c.get('/automation/triggers', { pipelineId })).status).toBe(403);

    const own = (await c.post('/deals', { title: 'Сделка Анны', stageId: stages[1]!.id })).body as { id: number };
    expect((await c.post(`/automation/robots/${robot.id}/dry-run`, { dealId: own.id })).status).toBe(403);
    const theirs = (await s.admin.post('/deals', { title: 'Ещё сделка администратора', stageId: stages[1]!.id })).body as { id: number };
    await engine.settle();
    expect((await c.get(`/deals/${own.id}/automation`)).status).toBe(200);
    expect((await c.get(`/deals/${theirs.id}/automation`)).status).toBe(404);
    const lead = (await c.post('/leads', { title: 'Лид Анны' })).body as { id: number };
    expect((await c.get(`/leads/${lead.id}/automation`)).status).toBe(200);
  });

  it('taking the right away closes the robots at the next request; a bad name is refused naming it', async () => {
    const role = (await s.admin.get(`/roles/${roleId}`)).body;
    const bad = await s.admin.patch(`/roles/${roleId}`, { capabilities: ['automation.everything'], version: role.version });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('capabilities[0]');
    expect((await s.admin.patch(`/roles/${roleId}`, { capabilities: [], version: role.version })).status).toBe(200);
    expect((await boris.client.get('/automation/robots', { pipelineId })).status).toBe(403);
    expect((await boris.client.get('/auth/me')).body.permissions.capabilities).toEqual([]);
  });
});
