import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

const PASSWORD = 'correct horse battery';
let seq = 0;

/** A manager (built-in role 'manager', not an administrator) of the first workspace, logged in. */
async function newManager(s: TestServer): Promise<ApiClient> {
  const roles = await s.admin.get('/roles');
  const manager = roles.body.items.find((r: { code: string | null }) => r.code === 'manager');
  const email = `rl-manager${++seq}-${Date.now()}@test.local`;
  const created = await s.admin.post('/users', { email, name: 'Менеджер', password: PASSWORD, roleIds: [manager.id] });
  expect(created.status).toBe(201);
  return ApiClient.login(s.baseUrl, email, PASSWORD);
}

describe.each(testDialects())('reference lists on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  const items = async (kind: string, query?: Record<string, string>) => (await s.admin.get(`/reference-lists/${kind}/items`, query)).body.items as any[];

  it('seeds every list of a new workspace', async () => {
    for (const kind of ['sources', 'loss-reasons', 'contact-types', 'company-types', 'industries', 'lead-statuses']) {
      const res = await s.admin.get(`/reference-lists/${kind}/items`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((i: any) => i.kind === kind && i.active === true)).toBe(true);
    }
    const sources = await items('sources');
    expect(sources[0]).toMatchObject({ name: 'Звонок', sort: 10, semantic: null, version: 1, createdAt: expect.any(String) });
    expect((await items('lead-statuses')).map((i) => [i.name, i.semantic])).toEqual([
      ['Новый', 'in_progress'],
      ['В работе', 'in_progress'],
      ['Сконвертирован', 'converted'],
      ['Некачественный', 'junk'],
    ]);
  });

  it('answers an unknown list with 404', async () => {
    expect((await s.admin.get('/reference-lists/colours/items')).status).toBe(404);
    expect((await s.admin.post('/reference-lists/colours/items', { name: 'x' })).status).toBe(404);
    expect((await s.admin.patch('/reference-lists/colours/items/1', { name: 'x', version: 1 })).status).toBe(404);
    expect((await s.admin.delete('/reference-lists/colours/items/1')).status).toBe(404);
  });

  it('adds items at the end unless sorted, and refuses duplicates and misplaced semantics', async () => {
    const before = await items('sources');
    const created = await s.admin.post('/reference-lists/sources/items', { name: 'Авито' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'sources', name: 'Авито', active: true, semantic: null, version: 1 });
    expect(created.body.sort).toBeGreaterThan(Math.max(...before.map((i) => i.sort)));
    const top = await s.admin.post('/reference-lists/sources/items', { name: 'Партнёры', sort: 1 });
    expect((await items('sources'))[0].id).toBe(top.body.id);

    const dup = await s.admin.post('/reference-lists/sources/items', { name: '  авито ' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].path).toBe('name');
    const semanticOnSource = await s.admin.post('/reference-lists/sources/items', { name: 'Телеграм', semantic: 'junk' });
    expect(semanticOnSource.status).toBe(400);
    expect(semanticOnSource.body.error.fields[0].path).toBe('semantic');
    const statusWithout = await s.admin.post('/reference-lists/lead-statuses/items', { name: 'Ждём' });
    expect(statusWithout.status).toBe(400);
    expect(statusWithout.body.error.fields[0].path).toBe('semantic');
    const badSemantic = await s.admin.post('/reference-lists/lead-statuses/items', { name: 'Ждём', semantic: 'won' });
    expect(badSemantic.status).toBe(400);
    const status = await s.admin.post('/reference-lists/lead-statuses/items', { name: 'Ждём', semantic: 'in_progress' });
    expect(status.status).toBe(201);
    expect(status.body.semantic).toBe('in_progress');
    const bad = await s.admin.post('/reference-lists/sources/items', { name: '', sort: -1, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['name', 'sort', 'extra']));
  });

  it('renames with optimistic concurrency', async () => {
    const item = (await items('industries'))[0];
    const renamed = await s.admin.patch(`/reference-lists/industries/items/${item.id}`, { name: 'Розница', sort: 5, version: item.version });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Розница', sort: 5, version: item.version + 1 });
    const stale = await s.admin.patch(`/reference-lists/industries/items/${item.id}`, { name: 'Опт', version: item.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', current: { name: 'Розница' } });
    const missingVersion = await s.admin.patch(`/reference-lists/industries/items/${item.id}`, { name: 'Опт' });
    expect(missingVersion.status).toBe(400);
    const other = (await items('industries'))[1];
    const dup = await s.admin.patch(`/reference-lists/industries/items/${other.id}`, { name: 'РОЗНИЦА', version: other.version });
    expect(dup.status).toBe(409);
    // an item of another list is not found under this one
    const source = (await items('sources'))[0];
    expect((await s.admin.patch(`/reference-lists/industries/items/${source.id}`, { name: 'x', version: 1 })).status).toBe(404);
  });

  it('deactivates instead of deleting, so old records keep their label', async () => {
    const created = (await s.admin.post('/reference-lists/loss-reasons/items', { name: 'Сезон' })).body;
    expect((await s.admin.delete(`/reference-lists/loss-reasons/items/${created.id}`)).status).toBe(204);
    expect((await items('loss-reasons')).map((i) => i.id)).not.toContain(created.id);
    const all = await items('loss-reasons', { includeInactive: 'true' });
    expect(all.find((i) => i.id === created.id)).toMatchObject({ name: 'Сезон', active: false, version: 2 });
    expect((await s.admin.delete(`/reference-lists/loss-reasons/items/${created.id}`)).status).toBe(204);

    const svc = s.ctx.services.referenceLists;
    const db = s.ctx.db.kysely;
    await expect(svc.ensureItem(db, s.workspaceId, 'loss-reasons', created.id, 'lossReasonId')).rejects.toMatchObject({
      status: 400,
      fields: [{ path: 'lossReasonId' }],
    });
    expect(await svc.ensureItem(db, s.workspaceId, 'loss-reasons', created.id, 'lossReasonId', { allowInactive: true })).toEqual({
      id: created.id,
      name: 'Сезон',
      semantic: null,
    });

    // the freed name can be used again, and the old item brought back only under another name
    const again = await s.admin.post('/reference-lists/loss-reasons/items', { name: 'Сезон' });
    expect(again.status).toBe(201);
    const back = await s.admin.patch(`/reference-lists/loss-reasons/items/${created.id}`, { active: true, version: 2 });
    expect(back.status).toBe(409);
    const renamedBack = await s.admin.patch(`/reference-lists/loss-reasons/items/${created.id}`, { active: true, name: 'Сезонность', version: 2 });
    expect(renamedBack.status).toBe(200);
    expect(renamedBack.body.active).toBe(true);
    expect(await svc.ensureItem(db, s.workspaceId, 'loss-reasons', created.id, 'x')).toMatchObject({ name: 'Сезонность' });
  });

  it('keeps at least one active lead status of each semantic', async () => {
    const statuses = await items('lead-statuses');
    const converted = statuses.find((i) => i.semantic === 'converted');
    const refused = await s.admin.delete(`/reference-lists/lead-statuses/items/${converted.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('rule_violation');
    const viaPatch = await s.admin.patch(`/reference-lists/lead-statuses/items/${converted.id}`, { active: false, version: converted.version });
    expect(viaPatch.status).toBe(422);
    expect(viaPatch.body.error.fields[0].path).toBe('active');
    const changeSemantic = await s.admin.patch(`/reference-lists/lead-statuses/items/${converted.id}`, { semantic: 'junk', version: converted.version });
    expect(changeSemantic.status).toBe(422);
    expect(changeSemantic.body.error.fields[0].path).toBe('semantic');

    const replacement = (await s.admin.post('/reference-lists/lead-statuses/items', { name: 'Сделка', semantic: 'converted' })).body;
    expect((await s.admin.delete(`/reference-lists/lead-statuses/items/${converted.id}`)).status).toBe(204);
    expect((await s.ctx.services.referenceLists.leadStatusBySemantic(s.ctx.db.kysely, s.workspaceId, 'converted')).id).toBe(replacement.id);
    expect((await s.admin.delete(`/reference-lists/lead-statuses/items/${replacement.id}`)).status).toBe(422);
  });

  it('serves the default lead status to other modules', async () => {
    const svc = s.ctx.services.referenceLists;
    const db = s.ctx.db.kysely;
    const first = (await items('lead-statuses')).find((i) => i.semantic === 'in_progress');
    expect(await svc.defaultLeadStatus(db, s.workspaceId)).toEqual({ id: first.id, name: first.name, semantic: 'in_progress' });
    expect((await svc.leadStatusBySemantic(db, s.workspaceId, 'junk')).semantic).toBe('junk');
    await expect(svc.ensureItem(db, s.workspaceId, 'sources', first.id, 'sourceId')).rejects.toMatchObject({ status: 400 });
  });

  it('lets everyone read the lists but only administrators change them', async () => {
    const manager = await newManager(s);
    const list = await manager.get('/reference-lists/sources/items');
    expect(list.status).toBe(200);
    const item = list.body.items[0];
    const writes = [
      await manager.post('/reference-lists/sources/items', { name: 'Моё' }),
      await manager.patch(`/reference-lists/sources/items/${item.id}`, { name: 'Моё', version: item.version }),
      await manager.delete(`/reference-lists/sources/items/${item.id}`),
    ];
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403]);
    expect((await items('sources')).find((i) => i.id === item.id)).toEqual(item);
    expect((await s.anon().get('/reference-lists/sources/items')).status).toBe(401);
  });

  it('keeps workspaces apart', async () => {
    const mine = (await s.admin.post('/reference-lists/company-types/items', { name: 'Дистрибьютор' })).body;
    const other = await s.newWorkspace();
    const theirs = (await other.admin.get('/reference-lists/company-types/items')).body.items;
    expect(theirs.map((i: any) => i.id)).not.toContain(mine.id);
    expect(theirs.map((i: any) => i.name)).not.toContain('Дистрибьютор');
    expect((await other.admin.patch(`/reference-lists/company-types/items/${mine.id}`, { name: 'Взлом', version: 1 })).status).toBe(404);
    expect((await other.admin.delete(`/reference-lists/company-types/items/${mine.id}`)).status).toBe(404);
    await expect(s.ctx.services.referenceLists.ensureItem(s.ctx.db.kysely, other.workspaceId, 'company-types', mine.id, 'typeId')).rejects.toMatchObject({ status: 400 });
    expect((await items('company-types')).find((i) => i.id === mine.id)).toEqual(mine);
  });

  it('answers bad parameters with 400', async () => {
    expect((await s.admin.get('/reference-lists/sources/items', { includeInactive: 'yes' })).status).toBe(400);
    expect((await s.admin.get('/reference-lists/sources/items', { limit: '5' })).status).toBe(400);
    expect((await s.admin.patch('/reference-lists/sources/items/abc', { name: 'x', version: 1 })).status).toBe(400);
    const nul = await s.admin.post('/reference-lists/sources/items', { name: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields[0].path).toBe('name');
  });
});
