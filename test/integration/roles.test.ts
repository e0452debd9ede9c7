import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { ACTIONS, ENTITIES } from '../../src/modules/permissions/levels.js';

const PASSWORD = 'role test password';

describe.each(testDialects())('roles on %s', (dialect) => {
  let s: TestServer;
  let builtIn: Record<string, any>;
  let pipeline2: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const list = await s.admin.get('/roles');
    builtIn = Object.fromEntries(list.body.items.map((r: any) => [r.code, r]));
    // A second pipeline, so that "pipeline 2" is not the default one.
    const now = new Date().toISOString();
    const row = await s.testDb.db.kysely
      .insertInto('pipelines')
      .values({ workspace_id: s.workspaceId, name: 'Тендеры', sort: 20, is_default: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    pipeline2 = row.id;
  });
  afterAll(() => s?.close());

  const levelOf = (role: any, entity: string, action: string) =>
    role.permissions.find((p: any) => p.entity === entity && p.action === action && p.pipelineId === null)?.level ?? 'none';

  it('seeds the built-in roles with the expected levels', () => {
    expect(Object.keys(builtIn).sort()).toEqual(['admin', 'head_of_sales', 'manager']);
    expect(builtIn.admin.isAdmin).toBe(true);
    expect(builtIn.manager.isAdmin).toBe(false);
    for (const e of ENTITIES) for (const a of ACTIONS) expect(levelOf(builtIn.admin, e, a)).toBe('all');
    for (const e of ENTITIES) for (const a of ACTIONS) expect(levelOf(builtIn.head_of_sales, e, a)).toBe('department_tree');
    expect(levelOf(builtIn.manager, 'deal', 'read')).toBe('own');
    expect(levelOf(builtIn.manager, 'deal', 'delete')).toBe('none');
    expect(levelOf(builtIn.manager, 'contact', 'read')).toBe('department');
    expect(levelOf(builtIn.manager, 'activity', 'delete')).toBe('own');
  });

  it('narrows deals to one pipeline in a custom role, visible in /auth/me', async () => {
    const created = await s.admin.post('/roles', {
      name: 'Тендерный отдел',
      permissions: [
        { entity: 'deal', action: 'read', level: 'all', pipelineId: pipeline2 },
        { entity: 'contact', action: 'read', level: 'own' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Тендерный отдел', code: null, isAdmin: false, version: 1 });
    expect(created.body.permissions).toHaveLength(2);

    await s.admin.post('/users', { email: 'tender@test.local', name: 'Тендерщик', password: PASSWORD, roleIds: [created.body.id] });
    const client = await ApiClient.login(s.baseUrl, 'tender@test.local', PASSWORD);
    const me = await client.get('/auth/me');
    expect(me.body.permissions.entities.deal.read).toBe('none');
    expect(me.body.permissions.entities.contact.read).toBe('own');
    expect(me.body.permissions.dealPipelines[String(pipeline2)]).toEqual({ read: 'all', create: 'none', update: 'none', delete: 'none', export: 'none' });

    // Roles are admin-only, for reads too.
    expect((await client.get('/roles')).status).toBe(403);
    expect((await client.get(`/roles/${created.body.id}`)).status).toBe(403);
    expect((await client.post('/roles', { name: 'X' })).status).toBe(403);
  });

  it('lets the widest of several roles win, also inside a narrowed pipeline', async () => {
    const narrowed = (await s.admin.post('/roles', { name: 'Только тендеры', permissions: [{ entity: 'deal', action: 'read', level: 'all', pipelineId: pipeline2 }] })).body;
    await s.admin.post('/users', { email: 'two-roles@test.local', name: 'Две роли', password: PASSWORD, roleIds: [builtIn.manager.id, narrowed.id] });
    const me = (await (await ApiClient.login(s.baseUrl, 'two-roles@test.local', PASSWORD)).get('/auth/me')).body.permissions;
    expect(me.entities.deal.read).toBe('own');
    expect(me.dealPipelines[String(pipeline2)]).toMatchObject({ read: 'all', create: 'own', update: 'own', delete: 'none' });
  });

  it('replaces the permission list whole on PATCH and checks it', async () => {
    const role = (await s.admin.post('/roles', { name: 'Временная', permissions: [{ entity: 'lead', action: 'read', level: 'own' }] })).body;
    const patched = await s.admin.patch(`/roles/${role.id}`, {
      name: 'Постоянная',
      permissions: [{ entity: 'company', action: 'export', level: 'department' }],
      version: role.version,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Постоянная', version: 2 });
    expect(patched.body.permissions).toEqual([{ entity: 'company', action: 'export', level: 'department', pipelineId: null }]);

    const bad = await s.admin.patch(`/roles/${role.id}`, {
      permissions: [
        { entity: 'deal', action: 'read', level: 'everything' },
        { entity: 'task', action: 'read', level: 'own' },
      ],
      version: 2,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['permissions[0].level', 'permissions[1].entity']));

    const rules = await s.admin.patch(`/roles/${role.id}`, {
      permissions: [
        { entity: 'lead', action: 'read', level: 'own', pipelineId: pipeline2 },
        { entity: 'deal', action: 'read', level: 'own', pipelineId: 999999 },
        { entity: 'deal', action: 'read', level: 'all', pipelineId: 999999 },
      ],
      version: 2,
    });
    expect(rules.status).toBe(400);
    expect(rules.body.error.fields.map((f: any) => f.path)).toEqual(['permissions[0].pipelineId', 'permissions[1].pipelineId', 'permissions[2]', 'permissions[2].pipelineId']);

    const stale = await s.admin.patch(`/roles/${role.id}`, { name: 'Z', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.name).toBe('Постоянная');

    expect((await s.admin.delete(`/roles/${role.id}`)).status).toBe(204);
    expect((await s.admin.get(`/roles/${role.id}`)).status).toBe(404);
  });

  it('edits built-in roles but refuses to delete them', async () => {
    const manager = builtIn.manager;
    const patched = await s.admin.patch(`/roles/${manager.id}`, { name: 'Менеджер по продажам', version: manager.version });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ code: 'manager', name: 'Менеджер по продажам' });
    expect(patched.body.permissions).toHaveLength(manager.permissions.length);
    const del = await s.admin.delete(`/roles/${manager.id}`);
    expect(del.status).toBe(422);
    expect(del.body.error).toMatchObject({ code: 'rule_violation', rule: 'builtin_role_not_deletable' });
  });

  it('keeps an administrator: the last admin role cannot lose admin, nor be deleted away', async () => {
    const admin = (await s.admin.get(`/roles/${builtIn.admin.id}`)).body;
    const demote = await s.admin.patch(`/roles/${admin.id}`, { isAdmin: false, version: admin.version });
    expect(demote.status).toBe(422);
    expect((await s.admin.get('/auth/me')).body.permissions.isAdmin).toBe(true);

    // A second admin role held by the same admin: deleting it is fine, and the first still holds.
    const extra = (await s.admin.post('/roles', { name: 'Суперпользователь', isAdmin: true })).body;
    const me = (await s.admin.get(`/users/${s.admin.user.id}`)).body;
    const both = await s.admin.patch(`/users/${me.id}`, { roleIds: [extra.id], version: me.version });
    expect(both.status).toBe(200);
    expect((await s.admin.delete(`/roles/${extra.id}`)).status).toBe(422);
    const back = await s.admin.patch(`/users/${me.id}`, { roleIds: [admin.id, extra.id], version: both.body.version });
    expect(back.status).toBe(200);
    expect((await s.admin.delete(`/roles/${extra.id}`)).status).toBe(204);
    expect((await s.admin.get('/auth/me')).body.permissions.isAdmin).toBe(true);
  });

  it('keeps roles per workspace', async () => {
    const other = await s.newWorkspace('Другая');
    expect((await other.admin.get(`/roles/${builtIn.manager.id}`)).status).toBe(404);
    expect((await other.admin.post('/users', { email: 'x@other.local', name: 'X', password: PASSWORD, roleIds: [builtIn.manager.id] })).status).toBe(400);
    const foreignPipeline = await other.admin.post('/roles', { name: 'X', permissions: [{ entity: 'deal', action: 'read', level: 'all', pipelineId: pipeline2 }] });
    expect(foreignPipeline.status).toBe(400);
  });
});
