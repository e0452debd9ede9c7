import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

const PASSWORD = 'manager password 1';

describe.each(testDialects())('users and departments on %s', (dialect) => {
  let s: TestServer;
  let roles: Record<string, number>;
  let moscow: any;
  let group1: any;
  let manager: any;
  let managerClient: ApiClient;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const list = await s.admin.get('/roles');
    roles = Object.fromEntries(list.body.items.map((r: any) => [r.code, r.id]));
  });
  afterAll(() => s?.close());

  it('builds a department tree', async () => {
    const a = await s.admin.post('/departments', { name: 'Отдел продаж Москва' });
    expect(a.status).toBe(201);
    moscow = a.body;
    const b = await s.admin.post('/departments', { name: 'Группа 1', parentId: moscow.id });
    expect(b.status).toBe(201);
    group1 = b.body;
    expect(group1).toMatchObject({ name: 'Группа 1', parentId: moscow.id, headId: null, version: 1 });
    const list = await s.admin.get('/departments');
    expect(list.body.items.map((d: any) => [d.name, d.parentId])).toEqual(
      expect.arrayContaining([
        ['Отдел продаж Москва', null],
        ['Группа 1', moscow.id],
      ]),
    );
  });

  it('creates users with roles; the password is stored as argon2id and never returned', async () => {
    const res = await s.admin.post('/users', {
      email: 'Ivan.Petrov@Test.local',
      name: 'Иван Петров',
      password: PASSWORD,
      phone: '+7 900 000-00-01',
      position: 'Менеджер',
      departmentId: group1.id,
      roleIds: [roles.manager],
      locale: 'ru',
      timeZone: 'Asia/Yekaterinburg',
    });
    expect(res.status).toBe(201);
    manager = res.body;
    expect(manager).toMatchObject({ email: 'ivan.petrov@test.local', active: true, departmentId: group1.id, roleIds: [roles.manager], timeZone: 'Asia/Yekaterinburg' });
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon/i);
    const stored = await s.testDb.db.kysely.selectFrom('users').select('password_hash').where('id', '=', manager.id).executeTakeFirstOrThrow();
    expect(stored.password_hash.startsWith('$argon2id$')).toBe(true);

    managerClient = await ApiClient.login(s.baseUrl, 'ivan.petrov@test.local', PASSWORD);
    for (const path of ['/users', `/users/${manager.id}`, '/auth/me']) {
      const body = JSON.stringify((await managerClient.get(path)).body);
      expect(body).not.toMatch(/password|argon/i);
    }
    const me = await managerClient.get('/auth/me');
    expect(me.body.permissions.isAdmin).toBe(false);
    expect(me.body.permissions.entities.deal.read).toBe('own');
  });

  it('refuses a taken e-mail with 409 on email, and bad input with field paths', async () => {
    const dup = await s.admin.post('/users', { email: 'ivan.petrov@test.local', name: 'X', password: PASSWORD });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields).toEqual([{ path: 'email', message: 'already taken' }]);

    const other = await s.newWorkspace('Другая');
    const crossWorkspace = await other.admin.post('/users', { email: 'ivan.petrov@test.local', name: 'X', password: PASSWORD });
    expect(crossWorkspace.status).toBe(409);

    const bad = await s.admin.post('/users', { email: 'not-an-email', name: '', password: 'short', timeZone: 'Mars/Olympus', locale: 'de', extra: 1 });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: any) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'name', 'password', 'timeZone', 'locale', 'extra']));

    const badRefs = await s.admin.post('/users', { email: 'x1@test.local', name: 'X', password: PASSWORD, departmentId: 999999, roleIds: [roles.manager, 999999] });
    expect(badRefs.status).toBe(400);
    expect(badRefs.body.error.fields[0].path).toBe('departmentId');
    const badRole = await s.admin.post('/users', { email: 'x1@test.local', name: 'X', password: PASSWORD, roleIds: [roles.manager, 999999] });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.fields).toEqual([{ path: 'roleIds[1]', message: expect.any(String) }]);
  });

  it('gives a manager 403 on admin-only writes', async () => {
    expect((await managerClient.post('/users', { email: 'y@test.local', name: 'Y', password: PASSWORD })).status).toBe(403);
    expect((await managerClient.post('/departments', { name: 'Z' })).status).toBe(403);
    expect((await managerClient.patch(`/departments/${group1.id}`, { name: 'Z', version: 1 })).status).toBe(403);
    expect((await managerClient.delete(`/departments/${group1.id}`)).status).toBe(403);
    expect((await managerClient.patch(`/users/${s.admin.user.id}`, { name: 'Hacked', version: 1 })).status).toBe(403);
  });

  it('lets a user edit their own profile fields but not their roles', async () => {
    const ok = await managerClient.patch(`/users/${manager.id}`, { name: 'Иван П.', locale: 'en', timeZone: 'Europe/Samara', version: manager.version });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Иван П.', locale: 'en', timeZone: 'Europe/Samara', version: manager.version + 1 });
    manager = ok.body;
    const roleGrab = await managerClient.patch(`/users/${manager.id}`, { roleIds: [roles.admin], version: manager.version });
    expect(roleGrab.status).toBe(403);
    const stale = await managerClient.patch(`/users/${manager.id}`, { name: 'Old', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current.name).toBe('Иван П.');
  });

  it('lists the directory for everyone, with q and department filters', async () => {
    await s.admin.post('/users', { email: 'olga@test.local', name: 'Ольга Смирнова', password: PASSWORD, departmentId: moscow.id, roleIds: [roles.head_of_sales] });
    const all = await managerClient.get('/users', { withTotal: true });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items[0]).not.toHaveProperty('roleIds');
    const byName = await managerClient.get('/users', { q: 'СМИРН' });
    expect(byName.body.items.map((u: any) => u.email)).toEqual(['olga@test.local']);
    const byEmail = await managerClient.get('/users', { q: 'IVAN.PETROV' });
    expect(byEmail.body.items.map((u: any) => u.id)).toEqual([manager.id]);
    const byDept = await managerClient.get('/users', { departmentId: group1.id });
    expect(byDept.body.items.map((u: any) => u.id)).toEqual([manager.id]);
    const page1 = await managerClient.get('/users', { limit: 2 });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await managerClient.get('/users', { limit: 2, cursor: page1.body.nextCursor });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    expect((await managerClient.get('/users', { nope: 1 })).status).toBe(400);
    expect((await managerClient.get('/users', { sort: 'password' })).status).toBe(400);
    const adminView = await s.admin.get('/users', { q: 'ольга' });
    expect(adminView.body.items[0].roleIds).toEqual([roles.head_of_sales]);
  });

  it('keeps workspaces apart', async () => {
    const other = await s.newWorkspace('Чужая');
    expect((await other.admin.get(`/users/${manager.id}`)).status).toBe(404);
    expect((await other.admin.get('/users')).body.items.map((u: any) => u.id)).not.toContain(manager.id);
    expect((await other.admin.get('/departments')).body.items).toEqual([]);
    expect((await other.admin.post('/departments', { name: 'X', parentId: moscow.id })).status).toBe(400);
    expect((await other.admin.post('/departments', { name: 'X', headId: manager.id })).status).toBe(400);
  });

  it('validates department heads and refuses cycles with 422', async () => {
    const head = await s.admin.patch(`/departments/${moscow.id}`, { headId: manager.id, version: moscow.version });
    expect(head.status).toBe(200);
    expect(head.body.headId).toBe(manager.id);
    moscow = head.body;
    const cycle = await s.admin.patch(`/departments/${moscow.id}`, { parentId: group1.id, version: moscow.version });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.fields[0].path).toBe('parentId');
    const self = await s.admin.patch(`/departments/${moscow.id}`, { parentId: moscow.id, version: moscow.version });
    expect(self.status).toBe(422);
    const badHead = await s.admin.patch(`/departments/${moscow.id}`, { headId: 999999, version: moscow.version });
    expect(badHead.status).toBe(400);
    expect(badHead.body.error.fields[0].path).toBe('headId');
  });

  it('refuses to delete a department with users or children (409), then deletes it', async () => {
    expect((await s.admin.delete(`/departments/${moscow.id}`)).status).toBe(409);
    expect((await s.admin.delete(`/departments/${group1.id}`)).status).toBe(409);
    const moved = await s.admin.patch(`/users/${manager.id}`, { departmentId: null, version: manager.version });
    expect(moved.status).toBe(200);
    manager = moved.body;
    expect((await s.admin.delete(`/departments/${group1.id}`)).status).toBe(204);
    expect((await s.admin.get(`/departments/${group1.id}`)).status).toBe(404);
  });

  it('lets an admin reset a password, which ends the user\'s sessions', async () => {
    const before = await ApiClient.login(s.baseUrl, 'ivan.petrov@test.local', PASSWORD);
    const res = await s.admin.patch(`/users/${manager.id}`, { password: 'brand new password', version: manager.version });
    expect(res.status).toBe(200);
    manager = res.body;
    expect((await before.get('/auth/me')).status).toBe(401);
    await expect(ApiClient.login(s.baseUrl, 'ivan.petrov@test.local', PASSWORD)).rejects.toThrow();
    managerClient = await ApiClient.login(s.baseUrl, 'ivan.petrov@test.local', 'brand new password');
  });

  it('ends a deactivated user\'s sessions and API tokens, and lists them as inactive', async () => {
    const token = await managerClient.post('/api-tokens', { name: 'script' });
    expect(token.status).toBe(201);
    const tokenClient = ApiClient.withToken(s.baseUrl, token.body.token);
    expect((await tokenClient.get('/auth/me')).status).toBe(200);

    const off = await s.admin.patch(`/users/${manager.id}`, { active: false, version: manager.version });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await managerClient.get('/auth/me')).status).toBe(401);
    expect((await tokenClient.get('/auth/me')).status).toBe(401);
    expect((await s.anon().post('/auth/login', { email: 'ivan.petrov@test.local', password: 'brand new password' })).status).toBe(401);

    expect((await s.admin.get('/users')).body.items.map((u: any) => u.id)).not.toContain(manager.id);
    expect((await s.admin.get('/users', { active: false })).body.items.map((u: any) => u.id)).toEqual([manager.id]);
    const deptHead = await s.admin.post('/departments', { name: 'Y', headId: manager.id });
    expect(deptHead.status).toBe(400);

    // Reactivation does not bring the old session back.
    const on = await s.admin.patch(`/users/${manager.id}`, { active: true, version: off.body.version });
    expect(on.status).toBe(200);
    manager = on.body;
    expect((await managerClient.get('/auth/me')).status).toBe(401);
  });

  it('keeps at least one active administrator (422)', async () => {
    const adminId = s.admin.user.id;
    const me = await s.admin.get(`/users/${adminId}`);
    const demote = await s.admin.patch(`/users/${adminId}`, { roleIds: [roles.manager], version: me.body.version });
    expect(demote.status).toBe(422);
    const deactivate = await s.admin.patch(`/users/${adminId}`, { active: false, version: me.body.version });
    expect(deactivate.status).toBe(422);
    expect((await s.admin.get(`/users/${adminId}`)).body).toMatchObject({ active: true, roleIds: [roles.admin] });
  });
});
