import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

async function addManager(s: TestServer): Promise<ApiClient> {
  const db = s.testDb.db.kysely;
  const email = `manager-${Date.now()}-${Math.random().toString(36).slice(2)}@test.local`;
  const now = new Date().toISOString();
  const user = await db
    .insertInto('users')
    .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('correct horse battery'), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const role = await db.selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
  return ApiClient.login(s.baseUrl, email, 'correct horse battery');
}

const paths = (res: { body: any }) => (res.body.error?.fields ?? []).map((f: { path: string }) => f.path);

describe.each(testDialects())('products on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    manager = await addManager(s);
  });
  afterAll(() => s?.close());

  it('creates a product with defaults from the workspace', async () => {
    const res = await s.admin.post('/products', { name: 'Станок токарный', sku: 'ST-100', unitCode: '796', unitName: 'шт', price: 1_250_000_00, vatRate: '22' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Станок токарный',
      sku: 'ST-100',
      unitCode: '796',
      unitName: 'шт',
      price: 1_250_000_00,
      currency: 'RUB',
      vatRate: '22',
      vatIncluded: true,
      active: true,
      version: 1,
    });
    const read = await manager.get(`/products/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    expect(await s.ctx.services.products.get(s.ctx.db.kysely, s.workspaceId, res.body.id)).toEqual(res.body);
  });

  it('rejects bad input with field paths', async () => {
    const res = await s.admin.post('/products', { name: ' ', unitCode: '79', price: -5, currency: 'rub', vatRate: '18', vatIncluded: 'yes', color: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(paths(res)).toEqual(expect.arrayContaining(['name', 'unitCode', 'price', 'currency', 'vatRate', 'vatIncluded', 'color']));
    const fraction = await s.admin.post('/products', { name: 'Болт', price: 10.5 });
    expect(fraction.status).toBe(400);
    expect(paths(fraction)).toEqual(['price']);
    const huge = await s.admin.post('/products', { name: 'x'.repeat(501) });
    expect(paths(huge)).toEqual(['name']);
  });

  it('lets only administrators write the catalog; everyone reads it', async () => {
    const denied = await manager.post('/products', { name: 'Гайка' });
    expect(denied.status).toBe(403);
    const p = (await s.admin.post('/products', { name: 'Гайка М8', price: 500 })).body;
    expect((await manager.patch(`/products/${p.id}`, { price: 1, version: 1 })).status).toBe(403);
    expect((await manager.delete(`/products/${p.id}`)).status).toBe(403);
    expect((await manager.get('/products', { q: 'гайка' })).body.items.map((x: any) => x.id)).toContain(p.id);
  });

  it('updates with optimistic versions', async () => {
    const p = (await s.admin.post('/products', { name: 'Кабель ВВГ', unitCode: '006', unitName: 'м', price: 9_900 })).body;
    const ok = await s.admin.patch(`/products/${p.id}`, { price: 10_500, vatRate: '10', vatIncluded: false, sku: 'VVG-3x2.5', version: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ price: 10_500, vatRate: '10', vatIncluded: false, sku: 'VVG-3x2.5', unitCode: '006', version: 2 });
    const stale = await s.admin.patch(`/products/${p.id}`, { price: 1, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ price: 10_500, version: 2 });
    const noVersion = await s.admin.patch(`/products/${p.id}`, { price: 1 });
    expect(paths(noVersion)).toEqual(['version']);
    const cleared = await s.admin.patch(`/products/${p.id}`, { sku: null, unitCode: null, version: 2 });
    expect(cleared.body).toMatchObject({ sku: null, unitCode: null, version: 3 });
    expect((await s.admin.patch('/products/999999', { price: 1, version: 1 })).status).toBe(404);
  });

  it('deactivates on DELETE and filters by active', async () => {
    const p = (await s.admin.post('/products', { name: 'Снятый с производства насос' })).body;
    expect((await s.admin.delete(`/products/${p.id}`)).status).toBe(204);
    const after = await s.admin.get(`/products/${p.id}`);
    expect(after.body).toMatchObject({ active: false, version: 2 });
    expect((await s.admin.delete(`/products/${p.id}`)).status).toBe(204);
    expect((await s.admin.get(`/products/${p.id}`)).body.version).toBe(2);
    const active = await s.admin.get('/products', { active: 'true', limit: 500 });
    const inactive = await s.admin.get('/products', { active: 'false', limit: 500 });
    expect(active.body.items.map((x: any) => x.id)).not.toContain(p.id);
    expect(inactive.body.items.map((x: any) => x.id)).toEqual([p.id]);
    expect((await s.admin.delete('/products/999999')).status).toBe(404);
  });

  it('searches name and SKU case-insensitively, in Cyrillic too', async () => {
    const a = (await s.admin.post('/products', { name: 'ФРЕЗА концевая', sku: 'FR-777' })).body;
    const b = (await s.admin.post('/products', { name: 'Сверло 100%_твёрдое', sku: 'DR-1' })).body;
    const ids = async (q: string) => (await s.admin.get('/products', { q })).body.items.map((x: any) => x.id);
    expect(await ids('фреза')).toEqual([a.id]);
    expect(await ids('fr-7')).toEqual([a.id]);
    expect(await ids('100%_')).toEqual([b.id]);
    expect(await ids('%')).toEqual([b.id]);
  });

  it('pages by name with cursors and reports the total', async () => {
    const ws = await s.newWorkspace('Каталог');
    for (const name of ['Яблоко', 'арбуз', 'Банан', 'вишня', 'Груша']) expect((await ws.admin.post('/products', { name })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ws.admin.get('/products', { limit: 2, withTotal: 'true', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      seen.push(...page.body.items.map((x: any) => x.name));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['арбуз', 'Банан', 'вишня', 'Груша', 'Яблоко']);
    const desc = await ws.admin.get('/products', { sort: '-createdAt', limit: 1 });
    expect(desc.body.items[0].name).toBe('Груша');
    expect((await ws.admin.get('/products', { sort: 'price' })).status).toBe(400);
    expect((await ws.admin.get('/products', { colour: 'red' })).status).toBe(400);
    expect((await ws.admin.get('/products', { cursor: 'nonsense' })).status).toBe(400);
  });

  it('keeps workspaces apart', async () => {
    const p = (await s.admin.post('/products', { name: 'Чужой товар' })).body;
    const other = await s.newWorkspace('Другая');
    expect((await other.admin.get(`/products/${p.id}`)).status).toBe(404);
    expect((await other.admin.patch(`/products/${p.id}`, { name: 'x', version: 1 })).status).toBe(404);
    expect((await other.admin.delete(`/products/${p.id}`)).status).toBe(404);
    expect((await other.admin.get('/products', { q: 'чужой' })).body.items).toEqual([]);
    expect((await s.admin.get(`/products/${p.id}`)).body.active).toBe(true);
  });
});
