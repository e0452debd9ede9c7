import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

const PASSWORD = 'custom fields password';
const choices = [
  { id: 'hot', label: 'Горячий' },
  { id: 'cold', label: 'Холодный' },
  { id: 'vip', label: 'VIP' },
];

describe.each(testDialects())('custom fields on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient;
  let managerId: number;
  const fields: Record<string, any> = {};

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const roles = (await s.admin.get('/roles')).body.items;
    const managerRole = roles.find((r: any) => r.code === 'manager').id;
    managerId = (await s.admin.post('/users', { email: 'cf-manager@test.local', name: 'Менеджер', password: PASSWORD, roleIds: [managerRole] })).body.id;
    manager = await ApiClient.login(s.baseUrl, 'cf-manager@test.local', PASSWORD);
  });
  afterAll(() => s?.close());

  it('creates typed fields (admin only) and lists them per entity', async () => {
    const defs = [
      { entity: 'contact', code: 'inn_note', name: 'Заметка', type: 'string', options: { maxLength: 20 } },
      { entity: 'contact', code: 'budget', name: 'Бюджет', type: 'number' },
      { entity: 'contact', code: 'deposit', name: 'Залог', type: 'money' },
      { entity: 'contact', code: 'met_on', name: 'Дата встречи', type: 'date' },
      { entity: 'contact', code: 'call_at', name: 'Звонок', type: 'datetime' },
      { entity: 'contact', code: 'is_partner', name: 'Партнёр', type: 'boolean' },
      { entity: 'contact', code: 'temperature', name: 'Температура', type: 'list', options: { choices } },
      { entity: 'contact', code: 'tags2', name: 'Метки', type: 'multilist', options: { choices } },
      { entity: 'contact', code: 'curator', name: 'Куратор', type: 'user' },
      { entity: 'contact', code: 'main_deal', name: 'Сделка', type: 'record', options: { recordEntity: 'deal' } },
      { entity: 'deal', code: 'budget', name: 'Бюджет сделки', type: 'number', required: true },
    ];
    for (const d of defs) {
      const res = await s.admin.post('/custom-fields', d);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ entity: d.entity, code: d.code, type: d.type, required: d.required ?? false, version: 1 });
      fields[`${d.entity}.${d.code}`] = res.body;
    }
    const contactFields = await manager.get('/custom-fields', { entity: 'contact' });
    expect(contactFields.status).toBe(200);
    expect(contactFields.body.items).toHaveLength(10);
    expect((await manager.get('/custom-fields')).body.items).toHaveLength(11);
    expect((await manager.post('/custom-fields', { entity: 'deal', code: 'x', name: 'X', type: 'string' })).status).toBe(403);
  });

  it('refuses bad definitions: duplicate code 409, bad code/options 400, type change 422', async () => {
    const dup = await s.admin.post('/custom-fields', { entity: 'contact', code: 'budget', name: 'Again', type: 'string' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].path).toBe('code');
    expect((await s.admin.post('/custom-fields', { entity: 'company', code: 'budget', name: 'Same code, other entity', type: 'string' })).status).toBe(201);

    const badCode = await s.admin.post('/custom-fields', { entity: 'contact', code: 'Bad-Code', name: 'X', type: 'task' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['code', 'type']));
    const noChoices = await s.admin.post('/custom-fields', { entity: 'contact', code: 'l1', name: 'X', type: 'list' });
    expect(noChoices.body.error.fields[0].path).toBe('options.choices');
    const dupChoice = await s.admin.post('/custom-fields', { entity: 'contact', code: 'l1', name: 'X', type: 'list', options: { choices: [choices[0], choices[0]] } });
    expect(dupChoice.body.error.fields[0].path).toBe('options.choices[1].id');
    const noEntity = await s.admin.post('/custom-fields', { entity: 'contact', code: 'r1', name: 'X', type: 'record' });
    expect(noEntity.body.error.fields[0].path).toBe('options.recordEntity');
    const longString = await s.admin.post('/custom-fields', { entity: 'contact', code: 's1', name: 'X', type: 'string', options: { maxLength: 1000 } });
    expect(longString.body.error.fields[0].path).toBe('options.maxLength');

    const f = fields['contact.budget'];
    const typeChange = await s.admin.patch(`/custom-fields/${f.id}`, { type: 'string', version: f.version });
    expect(typeChange.status).toBe(422);
    const renamed = await s.admin.patch(`/custom-fields/${f.id}`, { name: 'Бюджет, ₽', type: 'number', version: f.version });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Бюджет, ₽', version: 2 });
    expect((await s.admin.patch(`/custom-fields/${f.id}`, { name: 'Stale', version: 1 })).status).toBe(409);
    expect((await manager.patch(`/custom-fields/${f.id}`, { name: 'Mine', version: 2 })).status).toBe(403);
    expect((await s.admin.patch(`/custom-fields/${f.id}`, { code: 'other', version: 2 })).status).toBe(400);
  });

  it('validates values with PATCH semantics through the service', async () => {
    const cf = s.ctx.services.customFields;
    const db = s.ctx.db.kysely;
    const actor = (await s.ctx.services.users.loadActor(s.workspaceId, s.admin.user.id))!;
    const mainDeal = (await s.admin.post('/deals', { title: 'Главная сделка', custom: { budget: 1 } })).body.id as number;
    const stored = await cf.validate(db, actor, 'contact', {
      budget: 1500.5,
      deposit: { amount: 100000, currency: 'RUB' },
      call_at: '2026-11-28T12:00:00+03:00',
      tags2: ['hot', 'vip'],
      curator: managerId,
      main_deal: mainDeal,
    });
    expect(stored).toEqual({
      budget: '1500.5',
      deposit: { amount: 100000, currency: 'RUB' },
      call_at: '2026-11-28T09:00:00.000Z',
      tags2: ['hot', 'vip'],
      curator: managerId,
      main_deal: mainDeal,
    });
    const merged = await cf.validate(db, actor, 'contact', { budget: null, is_partner: true }, JSON.stringify(stored));
    expect(merged).not.toHaveProperty('budget');
    expect(merged).toMatchObject({ is_partner: true, curator: managerId });

    const fail = await cf.validate(db, actor, 'contact', { nope: 1, curator: 999999, inn_note: 'x'.repeat(21), temperature: 'warm', main_deal: 999999 }).catch((e) => e);
    expect(fail.code).toBe('validation_failed');
    expect(fail.fields.map((f: any) => f.path).sort()).toEqual(['custom.curator', 'custom.inn_note', 'custom.main_deal', 'custom.nope', 'custom.temperature']);

    const required = await cf.validate(db, actor, 'deal', {}).catch((e) => e);
    expect(required.fields).toEqual([{ path: 'custom.budget', message: 'is required' }]);

    const other = await s.newWorkspace('Чужая');
    const otherActor = (await s.ctx.services.users.loadActor(other.workspaceId, other.admin.user.id))!;
    const foreign = await cf.validate(db, otherActor, 'contact', { budget: 1 }).catch((e) => e);
    expect(foreign.fields[0].path).toBe('custom.budget');
  });

  it('builds filter conditions that work on the real database', async () => {
    const cf = s.ctx.services.customFields;
    const db = s.ctx.db.kysely;
    await sql`create table cf_probe (id integer primary key, custom text not null)`.execute(db);
    const rows: Array<[number, object]> = [
      [1, { budget: '1500.5', is_partner: true, temperature: 'hot', tags2: ['hot', 'vip'], curator: managerId, met_on: '2026-11-28', call_at: '2026-11-28T09:00:00.000Z', deposit: { amount: 100000, currency: 'RUB' }, inn_note: 'a,b' }],
      [2, { budget: '20', is_partner: false, temperature: 'cold', tags2: ['cold'], deposit: { amount: 100000, currency: 'USD' } }],
      [3, {}],
    ];
    for (const [id, custom] of rows) await sql`insert into cf_probe (id, custom) values (${id}, ${JSON.stringify(custom)})`.execute(db);
    const match = async (code: string, raw: string | string[]) => {
      const cond = await cf.filterCondition(s.workspaceId, 'contact', code, raw, 'cf_probe.custom');
      return (await sql<{ id: number }>`select id from cf_probe where ${cond} order by id`.execute(db)).rows.map((r) => Number(r.id));
    };
    expect(await match('budget', '1500.50')).toEqual([1]);
    expect(await match('budget', ['20', '1500.5'])).toEqual([1, 2]);
    expect(await match('is_partner', 'true')).toEqual([1]);
    expect(await match('is_partner', 'false')).toEqual([2, 3]);
    expect(await match('temperature', 'cold')).toEqual([2]);
    expect(await match('temperature', 'hot,cold')).toEqual([1, 2]);
    expect(await match('tags2', 'vip')).toEqual([1]);
    expect(await match('tags2', 'hot')).toEqual([1]);
    expect(await match('tags2', 'cold,vip')).toEqual([1, 2]);
    expect(await match('curator', String(managerId))).toEqual([1]);
    expect(await match('met_on', '2026-11-28')).toEqual([1]);
    expect(await match('call_at', '2026-11-28')).toEqual([1]);
    expect(await match('call_at', '2026-11-28T12:00:00+03:00')).toEqual([1]);
    expect(await match('deposit', '100000')).toEqual([1, 2]);
    expect(await match('deposit', '100000:USD')).toEqual([2]);
    expect(await match('inn_note', 'a,b')).toEqual([1]);

    for (const [code, raw] of [['nope', '1'], ['is_partner', 'yes'], ['temperature', 'warm'], ['budget', 'abc'], ['curator', 'me'], ['met_on', '28.11.2026']]) {
      const err = await cf.filterCondition(s.workspaceId, 'contact', code!, raw!, 'cf_probe.custom').catch((e) => e);
      expect(err.status, `${code}=${raw}`).toBe(400);
      expect(err.fields[0].path).toBe(`custom.${code}`);
    }
  });

  it('stores, returns and filters custom values through the contacts API', async () => {
    const a = await s.admin.post('/contacts', { lastName: 'Иванов', custom: { temperature: 'hot', tags2: ['vip'], is_partner: true, budget: '100' } });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.custom).toEqual({ temperature: 'hot', tags2: ['vip'], is_partner: true, budget: '100' });
    const b = await s.admin.post('/contacts', { lastName: 'Петров', custom: { temperature: 'cold' } });
    expect(b.status).toBe(201);
    const bad = await s.admin.post('/contacts', { lastName: 'Сидоров', custom: { temperature: 'warm', unknown_code: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.path).sort()).toEqual(['custom.temperature', 'custom.unknown_code']);

    const hot = await s.admin.get('/contacts', { 'custom.temperature': 'hot' });
    expect(hot.status, JSON.stringify(hot.body)).toBe(200);
    expect(hot.body.items.map((c: any) => c.id)).toEqual([a.body.id]);
    const vip = await s.admin.get('/contacts', { 'custom.tags2': 'vip' });
    expect(vip.body.items.map((c: any) => c.id)).toEqual([a.body.id]);
    const notPartner = await s.admin.get('/contacts', { 'custom.is_partner': 'false' });
    expect(notPartner.body.items.map((c: any) => c.id)).toEqual([b.body.id]);
    const unknown = await s.admin.get('/contacts', { 'custom.nope': 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('custom.nope');
  });

  it('deletes a field (admin only); its code is then unknown', async () => {
    const f = fields['contact.inn_note'];
    expect((await manager.delete(`/custom-fields/${f.id}`)).status).toBe(403);
    expect((await s.admin.delete(`/custom-fields/${f.id}`)).status).toBe(204);
    expect((await s.admin.get(`/custom-fields/${f.id}`)).status).toBe(404);
    expect((await s.admin.delete(`/custom-fields/${f.id}`)).status).toBe(404);
    const err = await s.ctx.services.customFields.validate(s.ctx.db.kysely, (await s.ctx.services.users.loadActor(s.workspaceId, s.admin.user.id))!, 'contact', { inn_note: 'x' }).catch((e) => e);
    expect(err.fields[0].path).toBe('custom.inn_note');
    const other = await s.newWorkspace('Другая 2');
    expect((await other.admin.get(`/custom-fields/${fields['contact.budget'].id}`)).status).toBe(404);
    expect((await other.admin.get('/custom-fields')).body.items).toEqual([]);
  });
});
