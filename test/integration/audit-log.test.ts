import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(testDialects())('audit log on %s', (dialect) => {
  let s: TestServer;
  const ok = <T extends { status: number; body: any }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(async () => s?.close());

  it('pipelines, stages, roles, custom fields and users leave who/when/old→new records, paginated and filtered, for administrators only', async () => {
    const p = ok(await s.admin.post('/pipelines', { name: 'Аудит' }), 201).body;
    ok(await s.admin.patch(`/pipelines/${p.id}`, { version: p.version, name: 'Аудит 2' }));
    ok(await s.admin.delete(`/pipelines/${p.id}/stages/${p.stages[1].id}`), 204);
    const role = ok(await s.admin.post('/roles', { name: 'Аудитор', permissions: [] }), 201).body;
    ok(await s.admin.patch(`/roles/${role.id}`, { version: role.version, name: 'Аудитор 2' }));
    const field = ok(await s.admin.post('/custom-fields', { entity: 'deal', code: 'audit', name: 'Поле', type: 'string' }), 201).body;
    ok(await s.admin.delete(`/custom-fields/${field.id}`), 204);
    const user = ok(await s.admin.post('/users', { email: `audit-${dialect}@test.local`, name: 'Пользователь', password: 'password 123456', roleIds: [role.id] }), 201).body;
    ok(await s.admin.patch(`/users/${user.id}`, { version: user.version, active: false, roleIds: [] }));

    const all = ok(await s.admin.get('/audit-log?limit=100')).body.items;
    const find = (type: string, id: number, action: string) => all.find((r: any) => r.entityType === type && r.entityId === id && r.action === action);
    expect(find('pipeline', p.id, 'updated')).toMatchObject({ actorId: s.admin.user.id, changes: { name: { old: 'Аудит', new: 'Аудит 2' } } });
    expect(find('stage', p.stages[1].id, 'archived').changes.name).toEqual({ old: p.stages[1].name, new: null });
    expect(find('role', role.id, 'updated').changes).toEqual({ name: { old: 'Аудитор', new: 'Аудитор 2' } });
    expect(find('custom_field', field.id, 'deleted').changes.code).toEqual({ old: 'audit', new: null });
    expect(find('user', user.id, 'updated').changes).toEqual({ active: { old: true, new: false }, roleIds: { old: [role.id], new: [] } });
    expect(find('user', user.id, 'created').createdAt).toBe(s.clock.now().toISOString());

    const roles = ok(await s.admin.get(`/audit-log?entityType=role&entityId=${role.id}`)).body.items;
    expect(roles.map((r: any) => r.action)).toEqual(['updated', 'created']);
    const page1 = ok(await s.admin.get('/audit-log?limit=2')).body;
    const page2 = ok(await s.admin.get(`/audit-log?limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`)).body;
    expect(page2.items[0].id).toBeLessThan(page1.items[1].id);
    expect((await s.admin.get('/audit-log?entityType=nope')).status).toBe(400);
    const login = await s.anon().post('/auth/login', { email: `audit-${dialect}@test.local`, password: 'password 123456' });
    expect(login.status).not.toBe(200); // deactivated
    const other = await s.newWorkspace('Чужая');
    expect(ok(await other.admin.get('/audit-log')).body.items.map((r: any) => r.entityId)).not.toContain(p.id);
  });
});
