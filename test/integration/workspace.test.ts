import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

/** A user with the built-in manager role, logged in (no admin rights). */
async function loginManager(s: TestServer, workspaceId: number, email: string): Promise<ApiClient> {
  const db = s.ctx.db.kysely;
  const now = new Date().toISOString();
  const role = await db.selectFrom('roles').select('id').where('workspace_id', '=', workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ workspace_id: workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password'), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ workspace_id: workspaceId, user_id: user.id, role_id: role.id }).execute();
  return ApiClient.login(s.baseUrl, email, 'manager password');
}

describe.each(testDialects())('workspace settings on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  it('shows the current workspace with its defaults', async () => {
    const res = await s.admin.get('/workspace');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.workspaceId, name: 'Тестовая компания', crmMode: 'with_leads', currency: 'RUB', timeZone: 'Europe/Moscow', locale: 'ru', version: 1 });
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('lets an administrator change the settings, with the version it read', async () => {
    const before = (await s.admin.get('/workspace')).body;
    const res = await s.admin.patch('/workspace', { version: before.version, crmMode: 'without_leads', currency: 'EUR', timeZone: 'Asia/Yekaterinburg', locale: 'en', name: 'ООО Ромашка' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ crmMode: 'without_leads', currency: 'EUR', timeZone: 'Asia/Yekaterinburg', locale: 'en', name: 'ООО Ромашка', version: before.version + 1 });
    expect((await s.admin.get('/workspace')).body).toEqual(res.body);
    // The settings other modules read go through the service.
    const settings = await s.ctx.services.workspaces.getSettings(s.ctx.db.kysely, s.workspaceId);
    expect(settings.crmMode).toBe('without_leads');

    const viaHeader = await s.admin.request('PATCH', '/workspace', { crmMode: 'with_leads' }, { 'if-match': `"${res.body.version}"` });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ crmMode: 'with_leads', version: res.body.version + 1 });
  });

  it('refuses a stale version with 409 and the current settings', async () => {
    const current = (await s.admin.get('/workspace')).body;
    const res = await s.admin.patch('/workspace', { version: current.version - 1, name: 'Старое имя' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('version_conflict');
    expect(res.body.error.current).toMatchObject({ id: s.workspaceId, version: current.version });
    expect((await s.admin.get('/workspace')).body.name).toBe(current.name);
  });

  it('requires a version', async () => {
    const res = await s.admin.patch('/workspace', { name: 'Без версии' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('version');
  });

  it('validates time zone, currency, locale, mode and unknown fields with field paths', async () => {
    const { version } = (await s.admin.get('/workspace')).body;
    const res = await s.admin.patch('/workspace', { version, timeZone: 'Europe/Atlantis', currency: 'RUR', locale: 'de', crmMode: 'simple', color: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['timeZone', 'currency', 'locale', 'crmMode', 'color']));
    expect((await s.admin.patch('/workspace', { version, currency: 'rub' })).status).toBe(400);
    expect((await s.admin.patch('/workspace', { version, name: '   ' })).status).toBe(400);
    expect((await s.admin.get('/workspace')).body.version).toBe(version);
  });

  it('lets any user read the settings but only administrators change them', async () => {
    const manager = await loginManager(s, s.workspaceId, `ws-manager-${dialect}@test.local`);
    const read = await manager.get('/workspace');
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(s.workspaceId);
    const res = await manager.patch('/workspace', { version: read.body.version, crmMode: 'without_leads' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await s.admin.get('/workspace')).body.crmMode).toBe(read.body.crmMode);
  });

  it('keeps workspaces apart: another admin sees and changes only their own', async () => {
    const other = await s.newWorkspace('Чужая компания');
    const theirs = await other.admin.get('/workspace');
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ id: other.workspaceId, name: 'Чужая компания' });
    const ours = (await s.admin.get('/workspace')).body;
    const patched = await other.admin.patch('/workspace', { version: theirs.body.version, name: 'Переименовали' });
    expect(patched.status).toBe(200);
    expect(patched.body.id).toBe(other.workspaceId);
    expect((await s.admin.get('/workspace')).body).toEqual(ours);
  });

  it('refuses anonymous callers', async () => {
    expect((await s.anon().get('/workspace')).status).toBe(401);
  });
});
