import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

/** A user with one built-in role, logged in. */
async function addUser(s: TestServer, role: 'manager' | 'head_of_sales', name: string): Promise<ApiClient & { id: number }> {
  const db = s.testDb.db.kysely;
  const email = `user-${Date.now()}-${Math.random().toString(36).slice(2)}@test.local`;
  const now = new Date().toISOString();
  const user = await db
    .insertInto('users')
    .values({ workspace_id: s.workspaceId, email, name, active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('correct horse battery'), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const r = await db.selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', role).executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: r.id }).execute();
  return Object.assign(await ApiClient.login(s.baseUrl, email, 'correct horse battery'), { id: user.id });
}

const paths = (res: { body: any }) => (res.body.error?.fields ?? []).map((f: { path: string }) => f.path);

describe.each(testDialects())('companies on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient & { id: number };
  let industryId: number;
  let companyTypeId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    manager = await addUser(s, 'manager', 'Менеджер');
    const db = s.testDb.db.kysely;
    const item = (kind: string) => db.selectFrom('reference_items').select('id').where('workspace_id', '=', s.workspaceId).where('kind', '=', kind).orderBy('sort').executeTakeFirstOrThrow();
    industryId = (await item('industries')).id;
    companyTypeId = (await item('company-types')).id;
  });
  afterAll(() => s?.close());

  it('creates a company with requisites, phones and e-mails', async () => {
    const res = await s.admin.post('/companies', {
      name: 'ООО «Вектор»',
      typeId: companyTypeId,
      industryId,
      website: 'https://vector.example.ru',
      address: 'Москва, ул. Тверская, 1',
      requisites: { inn: '7707083893', kpp: '773601001', bankName: 'ПАО Сбербанк', bik: '044525225', account: '40702810900000000001' },
      phones: [{ value: '+7 (495) 500-55-50' }],
      emails: [{ value: 'Info@Vector.example.ru', type: 'work' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'ООО «Вектор»',
      typeId: companyTypeId,
      industryId,
      requisites: { inn: '7707083893', kpp: '773601001', bankName: 'ПАО Сбербанк' },
      phones: [{ normalized: '+74955005550', type: 'work' }],
      emails: [{ normalized: 'info@vector.example.ru' }],
      responsibleId: s.admin.user.id,
      version: 1,
      duplicates: [],
    });
    const got = await s.admin.get(`/companies/${res.body.id}`);
    const { duplicates: _d, ...record } = res.body;
    expect(got.body).toEqual(record);
  });

  it('validates input with field paths', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{}, ['name']],
      [{ name: '   ' }, ['name']],
      [{ name: 'A', requisites: { inn: '12345' } }, ['requisites.inn']],
      [{ name: 'A', requisites: { kpp: '77360100' } }, ['requisites.kpp']],
      [{ name: 'A', requisites: { swift: 'X' } }, ['requisites.swift']],
      [{ name: 'A', phones: [{ value: '+74955005550' }, { value: '12' }] }, ['phones[1].value']],
      [{ name: 'A', industryId: companyTypeId }, ['industryId']],
      [{ name: 'A', typeId: industryId }, ['typeId']],
      [{ name: 'x'.repeat(301) }, ['name']],
    ];
    for (const [body, expected] of cases) {
      const res = await s.admin.post('/companies', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(paths(res), JSON.stringify(body)).toEqual(expected);
    }
    const twelve = await s.admin.post('/companies', { name: 'ИП Иванов', requisites: { inn: '500100732259' } });
    expect(twelve.status).toBe(201);
  });

  it('matches duplicates by name, phone and e-mail', async () => {
    const first = await s.admin.post('/companies', { name: 'Альфа Трейд', emails: [{ value: 'sales@alfa.example.ru' }] });
    const contact = await s.admin.post('/contacts', { firstName: 'Контакт', phones: [{ value: '+79031234567' }] });
    const dup = await s.admin.post('/companies', { name: ' альфа трейд ', phones: [{ value: '8 903 123-45-67' }], emails: [{ value: 'SALES@alfa.example.ru' }] });
    expect(dup.body.duplicates).toEqual([
      { entity: 'contact', id: contact.body.id, matchedBy: 'phone' },
      { entity: 'company', id: first.body.id, matchedBy: 'email' },
    ]);
    const byManager = await manager.post('/companies', { name: 'Альфа Трейд' });
    expect(byManager.status).toBe(201);
    expect(byManager.body.duplicates).toEqual([]);
  });

  it('updates, refuses stale versions and keeps requisites minimal', async () => {
    const c = await s.admin.post('/companies', { name: 'Бета', requisites: { inn: '7707083893' } });
    const res = await s.admin.patch(`/companies/${c.body.id}`, { version: 1, name: 'Бета Плюс', website: '', requisites: { inn: '7707083893', kpp: '7736AB001' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Бета Плюс', website: null, requisites: { inn: '7707083893', kpp: '7736AB001' }, version: 2 });
    const stale = await s.admin.patch(`/companies/${c.body.id}`, { version: 1, name: 'Гамма' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.name).toBe('Бета Плюс');
    const timeline = await s.admin.get(`/companies/${c.body.id}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({ kind: 'updated', data: { changes: { name: { old: 'Бета', new: 'Бета Плюс' } } } });
    expect((await s.admin.get('/companies', { q: 'бета плюс' })).body.items.map((x: { id: number }) => x.id)).toEqual([c.body.id]);
  });

  it('lists with filters, name sort and permission scope', async () => {
    const ws = await s.newWorkspace('Компании');
    const a = ws.admin;
    for (const name of ['Яблоко', 'арбуз', 'Банан', 'Вишня']) {
      const res = await a.post('/companies', { name, industryId: undefined });
      expect(res.status).toBe(201);
    }
    const names = async (query: Record<string, any>) => (await a.get('/companies', query)).body.items.map((c: { name: string }) => c.name);
    expect(await names({ sort: 'name' })).toEqual(['арбуз', 'Банан', 'Вишня', 'Яблоко']);
    expect(await names({ sort: '-name', limit: 2 })).toEqual(['Яблоко', 'Вишня']);
    const page1 = await a.get('/companies', { sort: 'name', limit: 3, withTotal: true });
    expect(page1.body.total).toBe(4);
    const page2 = await a.get('/companies', { sort: 'name', limit: 3, cursor: page1.body.nextCursor });
    expect(page2.body.items.map((c: { name: string }) => c.name)).toEqual(['Яблоко']);
    expect(page2.body.nextCursor).toBeNull();
    expect((await a.get('/companies', { sort: 'website' })).status).toBe(400);
    expect((await a.get('/companies', { companyId: 1 })).status).toBe(400);

    const withIndustry = await s.admin.post('/companies', { name: 'Отраслевая', industryId });
    const byIndustry = (await s.admin.get('/companies', { industryId })).body.items;
    expect(byIndustry.map((c: { id: number }) => c.id)).toContain(withIndustry.body.id);
    expect(byIndustry.every((c: { industryId: number }) => c.industryId === industryId)).toBe(true);
    expect((await s.admin.get('/companies', { industryId: [industryId, industryId + 1], q: 'отраслевая' })).body.items).toHaveLength(1);
    // the manager sees only own companies (department level with no department = own)
    const mine = await manager.post('/companies', { name: 'Моя компания' });
    const seen = await manager.get('/companies', { withTotal: true });
    expect(seen.body.items.map((c: { id: number }) => c.id)).toContain(mine.body.id);
    expect(seen.body.items.every((c: { responsibleId: number }) => c.responsibleId === manager.id)).toBe(true);
    expect((await manager.get(`/companies/${withIndustry.body.id}`)).status).toBe(404);
    expect((await a.get(`/companies/${mine.body.id}`)).status).toBe(404);
  });

  it('deletes a company, leaving its contacts without the link', async () => {
    const company = await s.admin.post('/companies', { name: 'Удаляемая' });
    const contact = await s.admin.post('/contacts', { firstName: 'Остаётся', companyIds: [company.body.id] });
    expect((await manager.delete(`/companies/${company.body.id}`)).status).toBe(404);
    expect((await s.admin.delete(`/companies/${company.body.id}`)).status).toBe(204);
    expect((await s.admin.get(`/companies/${company.body.id}`)).status).toBe(404);
    const after = await s.admin.get(`/contacts/${contact.body.id}`);
    expect(after.body.companyIds).toEqual([]);
  });

  it('merges two companies with their contacts, deals and timelines', async () => {
    const survivor = await s.admin.post('/companies', { name: 'Гамма', phones: [{ value: '+74951110000' }], requisites: { inn: '7707083893' } });
    const source = await s.admin.post('/companies', {
      name: 'Гамма (дубль)',
      website: 'gamma.example.ru',
      phones: [{ value: '8 495 111-00-00' }, { value: '+74951110001' }],
      requisites: { inn: '500100732259', kpp: '773601001' },
    });
    const both = await s.admin.post('/contacts', { firstName: 'Общий', companyIds: [survivor.body.id, source.body.id] });
    const onlySource = await s.admin.post('/contacts', { firstName: 'Дублёвый', companyIds: [source.body.id] });
    const deal = await s.admin.post('/deals', { title: 'Сделка с дублем', companyId: source.body.id });
    expect(deal.status).toBe(201);
    await s.admin.post(`/companies/${source.body.id}/timeline`, { text: 'история дубля' });

    expect((await manager.post(`/companies/${survivor.body.id}/merge`, { sourceId: source.body.id })).status).toBe(404);
    const merged = await s.admin.post(`/companies/${survivor.body.id}/merge`, { sourceId: source.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      name: 'Гамма',
      website: 'gamma.example.ru',
      requisites: { inn: '7707083893', kpp: '773601001' },
      phones: [{ normalized: '+74951110000' }, { normalized: '+74951110001' }],
    });
    expect((await s.admin.get(`/companies/${source.body.id}`)).status).toBe(404);
    expect((await s.admin.get(`/contacts/${both.body.id}`)).body.companyIds).toEqual([survivor.body.id]);
    expect((await s.admin.get(`/contacts/${onlySource.body.id}`)).body.companyIds).toEqual([survivor.body.id]);
    const linked = await s.admin.get('/contacts', { companyId: survivor.body.id, sort: 'id' });
    expect(linked.body.items.map((c: { id: number }) => c.id)).toEqual([both.body.id, onlySource.body.id]);
    const dealRow = await s.testDb.db.kysely.selectFrom('deals').select('company_id').where('id', '=', deal.body.id).executeTakeFirstOrThrow();
    expect(dealRow.company_id).toBe(survivor.body.id);
    const timeline = await s.admin.get(`/companies/${survivor.body.id}/timeline`);
    expect(timeline.body.items[0]).toMatchObject({ kind: 'merged', data: { sourceId: source.body.id, sourceName: 'Гамма (дубль)' } });
    expect(timeline.body.items.some((e: any) => e.kind === 'comment' && e.data.text === 'история дубля')).toBe(true);
  });
});
