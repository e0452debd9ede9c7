import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';
import { MONEY_MAX } from '../../src/shared/money.js';

// Issue 7 §2: input that reached the prototype, the database's type checks or its integer limits
// is answered with a 400 naming the field, on both databases; references reveal nothing.

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const paths = (res: { body: any }) => (res.body?.error?.fields ?? []).map((f: any) => f.path);

describe.each(testDialects())('input integrity on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient;
  let pipelineId: number;
  let stageId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.testDb.db.kysely;
    const now = new Date().toISOString();
    const role = await db.selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email: `m-${dialect}@test.local`, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password 1'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
    manager = await ApiClient.login(s.baseUrl, `m-${dialect}@test.local`, 'manager password 1');
    const board = await s.admin.get('/pipelines/1/board');
    pipelineId = board.body.pipeline.id;
    stageId = board.body.columns[0].stage.id;
  });
  afterAll(() => s?.close());

  it('answers prototype keys as sort values with a 400 on sort, on every list that sorts', async () => {
    const doc = (await s.anon().get('/api/openapi.json')).body;
    const sorted = Object.entries(doc.paths as Record<string, any>)
      .filter(([p, ops]) => !p.includes('{') && ops.get?.parameters?.some((x: any) => x.name === 'sort'))
      .map(([p]) => p.replace('/api/v1', ''));
    expect(sorted).toEqual(expect.arrayContaining(['/deals', '/contacts', '/companies', '/leads', '/users', '/activities', '/products']));
    for (const list of sorted) {
      for (const key of PROTO_KEYS) {
        for (const sort of [key, `-${key}`]) {
          const res = await s.admin.get(list, { sort });
          expect(res.status, `${list}?sort=${sort}`).toBe(400);
          expect(paths(res), `${list}?sort=${sort}`).toEqual(['sort']);
        }
      }
    }
  });

  it('refuses prototype keys as parameter names and custom codes that are not fields', async () => {
    for (const list of ['/deals', '/contacts', '/companies', '/leads', `/pipelines/${pipelineId}/board`]) {
      for (const key of PROTO_KEYS) {
        const res = await s.admin.get(list, { [key]: '1' });
        // `__proto__` never becomes a key of the parsed query (the query parser drops it); the others are unknown parameters
        if (key === '__proto__') expect(res.status, `${list}?${key}`).toBeLessThan(500);
        else expect(res.status, `${list}?${key}`).toBe(400);
      }
      const res = await s.admin.get(list, { 'custom.constructor': '1' });
      expect(res.status, `${list}?custom.constructor`).toBe(400);
      expect(paths(res)).toEqual(['custom.constructor']);
    }
    expect((await s.admin.get('/reference-lists/constructor/items')).status).toBe(404);
    expect((await s.admin.get('/reference-lists/__proto__/items')).status).toBe(404);
    const body = await s.admin.request('POST', '/deals', '{"title":"x","custom":{"__proto__":{"a":1}}}', { 'content-type': 'application/json' });
    expect(body.status).toBe(400);
  });

  it('treats a custom field coded constructor as a field of its own (required check, merge fill)', async () => {
    const contactField = await s.admin.post('/custom-fields', { entity: 'contact', code: 'constructor', name: 'Конструктор', type: 'string' });
    expect(contactField.status).toBe(201);
    const a = (await s.admin.post('/contacts', { firstName: 'Анна' })).body;
    const b = (await s.admin.post('/contacts', { firstName: 'Анна', custom: { constructor: 'Лего' } })).body;
    const merged = await s.admin.post(`/contacts/${a.id}/merge`, { sourceId: b.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.custom).toEqual({ constructor: 'Лего' });

    const dealField = await s.admin.post('/custom-fields', { entity: 'deal', code: 'constructor', name: 'Обязательное', type: 'string', required: true });
    const refused = await s.admin.post('/deals', { title: 'Без поля' });
    expect(refused.status).toBe(400);
    expect(paths(refused)).toEqual(['custom.constructor']);
    expect((await s.admin.post('/deals', { title: 'С полем', custom: { constructor: 'да' } })).status).toBe(201);
    expect((await s.admin.delete(`/custom-fields/${dealField.body.id}`)).status).toBe(204);
  });

  it('refuses unpaired surrogates in values and keys, so the board and custom filters keep working', async () => {
    const note = await s.admin.post('/custom-fields', { entity: 'deal', code: 'note', name: 'Заметка', type: 'string' });
    expect(note.status).toBe(201);
    for (const [body, path] of [
      [{ title: 'a\ud800b' }, 'title'],
      [{ title: 'ok', custom: { note: '\udc00' } }, 'custom.note'],
      [{ title: 'ok', tags: ['x', 'y\ud83d'] }, 'tags[1]'],
    ] as const) {
      const res = await s.admin.post('/deals', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(paths(res)).toEqual([path]);
    }
    const key = await s.admin.post('/deals', { title: 'ok', custom: { ['n\ud800']: 'x' } });
    expect(key.status).toBe(400);
    expect((await s.admin.post('/contacts', { firstName: '\ud800' })).status).toBe(400);
    expect((await s.admin.patch('/workspace', { name: 'x\udfff' })).status).toBe(400);
    // a well-formed pair is text like any other
    expect((await s.admin.post('/deals', { title: 'emoji 😀', custom: { note: '😀' } })).status).toBe(201);
    const q = await s.admin.request('GET', '/deals?q=%ED%A0%80');
    expect(q.status).toBeLessThan(500);
    expect((await s.admin.get('/deals', { 'custom.note': '😀' })).body.items).toHaveLength(1);
    expect((await s.admin.get(`/pipelines/${pipelineId}/board`)).status).toBe(200);
  });

  it('refuses cursors whose values do not match the sort column, and still pages with real ones', async () => {
    for (let i = 0; i < 3; i++) expect((await s.admin.post('/deals', { title: `Курсор ${i}`, amount: i * 100 })).status).toBe(201);
    const tampered: Array<[string, Record<string, string>]> = [
      ['/deals', { sort: 'id', cursor: b64(['abc', 1]) }],
      ['/deals', { sort: 'amount', cursor: b64([1e300, 1]) }],
      ['/deals', { sort: 'amount', cursor: b64([1.5, 1]) }],
      ['/deals', { sort: 'createdAt', cursor: b64([5, 1]) }],
      ['/deals', { sort: 'createdAt', cursor: b64(['0000-01-01T00:00:00.000Z', 1]) }],
      ['/deals', { sort: 'id', cursor: b64([1, 2 ** 40]) }],
      ['/deals', { sort: 'id', cursor: b64([2 ** 31, 1]) }],
      ['/contacts', { sort: 'lastName', cursor: b64([5, 1]) }],
      ['/companies', { sort: 'createdAt', cursor: b64(['x', 1]) }],
      ['/leads', { sort: 'id', cursor: b64(['1', 1]) }],
      ['/users', { sort: 'name', cursor: b64([null, 1]) }],
      ['/products', { sort: 'name', cursor: b64([{}, 1]) }],
      ['/activities', { sort: 'createdAt', cursor: b64([null, 1]) }],
      [`/pipelines/${pipelineId}/board/${stageId}`, { cursor: b64(['a0', 2 ** 40]) }],
      [`/pipelines/${pipelineId}/board/${stageId}`, { cursor: b64([1, 1]) }],
      ['/deals/1/timeline', { cursor: b64([null, 2 ** 40]) }],
    ];
    for (const [path, query] of tampered) {
      const res = await s.admin.get(path, query);
      expect(res.status, `${path} ${JSON.stringify(query)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(paths(res)).toEqual(['cursor']);
    }
    for (const sort of ['id', '-createdAt', 'amount', '-updatedAt']) {
      const first = await s.admin.get('/deals', { sort, limit: 2 });
      expect(first.body.nextCursor, sort).toEqual(expect.any(String));
      const next = await s.admin.get('/deals', { sort, limit: 2, cursor: first.body.nextCursor });
      expect(next.status, sort).toBe(200);
      expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    }
    // activities sorted by a nullable deadline: a null in a real cursor is fine
    await s.admin.post('/activities', { type: 'task', subject: 'Без срока' });
    await s.admin.post('/activities', { type: 'task', subject: 'Без срока 2' });
    const acts = await s.admin.get('/activities', { sort: 'deadlineAt', limit: 1 });
    expect((await s.admin.get('/activities', { sort: 'deadlineAt', limit: 1, cursor: acts.body.nextCursor })).status).toBe(200);
  });

  it('limits every date and time to years 1900–9999, in filters and bodies', async () => {
    for (const [path, query, field] of [
      ['/deals', { createdFrom: '0000-01-01' }, 'createdFrom'],
      ['/deals', { closedTo: '1899-12-31T23:59:59Z' }, 'closedTo'],
      ['/deals', { closeDateFrom: '0001-01-01' }, 'closeDateFrom'],
      ['/contacts', { createdFrom: '0000-01-01' }, 'createdFrom'],
      ['/companies', { createdTo: '9999-12-31T23:00:00-05:00' }, 'createdTo'],
      ['/leads', { createdFrom: '1000-01-01' }, 'createdFrom'],
      ['/activities', { deadlineFrom: '0000-01-01' }, 'deadlineFrom'],
      [`/pipelines/${pipelineId}/board`, { updatedFrom: '0000-01-01' }, 'updatedFrom'],
    ] as const) {
      const res = await s.admin.get(path, query);
      expect(res.status, `${path} ${JSON.stringify(query)}`).toBe(400);
      expect(paths(res)).toEqual([field]);
    }
    // the last supported day takes in everything (SQLite compared it with "+010000-…" before)
    const all = (await s.admin.get('/deals', { withTotal: true })).body.total;
    expect((await s.admin.get('/deals', { createdTo: '9999-12-31', createdFrom: '1900-01-01', withTotal: true })).body.total).toBe(all);
    expect((await s.admin.get('/contacts', { createdTo: '9999-12-31' })).status).toBe(200);
    expect((await s.admin.get('/activities', { deadlineTo: '9999-12-31' })).status).toBe(200);

    const bodies: Array<[string, unknown, string]> = [
      ['/activities', { type: 'call', subject: 'x', deadlineAt: '0000-01-01T00:00:00Z' }, 'deadlineAt'],
      ['/activities', { type: 'call', subject: 'x', startAt: '9999-12-31T23:00:00-05:00' }, 'startAt'],
      ['/deals', { title: 'x', closeDate: '0000-01-01' }, 'closeDate'],
      ['/contacts', { firstName: 'x', birthday: '1899-12-31' }, 'birthday'],
    ];
    await s.admin.post('/custom-fields', { entity: 'lead', code: 'met_on', name: 'Дата', type: 'date' });
    await s.admin.post('/custom-fields', { entity: 'lead', code: 'call_at', name: 'Время', type: 'datetime' });
    bodies.push(['/leads', { title: 'x', custom: { met_on: '0000-01-01' } }, 'custom.met_on']);
    bodies.push(['/leads', { title: 'x', custom: { call_at: '0000-01-01T00:00:00Z' } }, 'custom.call_at']);
    for (const [path, body, field] of bodies) {
      const res = await s.admin.post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(paths(res)).toEqual([field]);
    }
    expect((await s.admin.get('/leads', { 'custom.met_on': '0000-01-01' })).status).toBe(400);
    expect((await s.admin.post('/activities', { type: 'call', subject: 'x', deadlineAt: '9999-12-31T23:59:59.999Z' })).status).toBe(201);
    expect((await s.admin.post('/leads', { title: 'x', custom: { met_on: '1900-01-01', call_at: '1900-01-01T00:00:00Z' } })).status).toBe(201);
  });

  it('caps every money input at MONEY_MAX and sums many deals at the cap exactly', async () => {
    const pipeline = (await s.admin.post('/pipelines', { name: 'Крупные' })).body;
    const stage = (await s.admin.get(`/pipelines/${pipeline.id}/board`)).body.columns[0].stage.id;
    expect((await s.admin.post('/deals', { title: 'cap+1', amount: MONEY_MAX + 1, stageId: stage }).then(paths))).toEqual(['amount']);
    expect(paths(await s.admin.post('/leads', { title: 'x', amount: MONEY_MAX + 1 }))).toEqual(['amount']);
    expect((await s.admin.post('/leads', { title: 'x', amount: MONEY_MAX })).status).toBe(201);
    expect(paths(await s.admin.post('/products', { name: 'x', price: MONEY_MAX + 1 }))).toEqual(['price']);
    expect((await s.admin.post('/products', { name: 'x', price: MONEY_MAX })).status).toBe(201);
    await s.admin.post('/custom-fields', { entity: 'company', code: 'budget', name: 'Бюджет', type: 'money' });
    expect(paths(await s.admin.post('/companies', { name: 'x', custom: { budget: { amount: MONEY_MAX + 1, currency: 'RUB' } } }))).toEqual(['custom.budget']);
    expect((await s.admin.post('/companies', { name: 'x', custom: { budget: { amount: -MONEY_MAX, currency: 'RUB' } } })).status).toBe(201);

    const N = 25;
    for (let i = 0; i < N; i++) expect((await s.admin.post('/deals', { title: `cap ${i}`, amount: MONEY_MAX, stageId: stage })).status).toBe(201);
    const deal = (await s.admin.post('/deals', { title: 'rows', stageId: stage })).body;
    const row = { name: 'Станок', price: MONEY_MAX, quantity: '1', vatRate: 'none', vatIncluded: true };
    expect((await s.admin.put(`/deals/${deal.id}/products`, { rows: [{ ...row, price: MONEY_MAX + 1 }] }).then(paths))).toEqual(['rows[0].price']);
    const twice = await s.admin.put(`/deals/${deal.id}/products`, { rows: [row, row] });
    expect(twice.status).toBe(400);
    expect(paths(twice)).toEqual(['rows']);
    expect((await s.admin.put(`/deals/${deal.id}/products`, { rows: [{ ...row, quantity: '1.001' }] }).then(paths))).toEqual(['rows[0]']);
    expect((await s.admin.put(`/deals/${deal.id}/products`, { rows: [row] })).status).toBe(200);

    const column = (await s.admin.get(`/pipelines/${pipeline.id}/board`)).body.columns[0];
    expect(column.count).toBe(N + 1);
    expect(column.sums).toEqual([{ currency: 'RUB', amount: (N + 1) * MONEY_MAX }]);
    const totals = await sql<{ amount: unknown }>`select amount from deal_stage_totals where stage_id = ${stage}`.execute(s.testDb.db.kysely);
    expect(totals.rows.map((r) => Number(r.amount))).toEqual([(N + 1) * MONEY_MAX]);
    if (dialect === 'sqlite') {
      const type = await sql<{ t: string }>`select typeof(amount) as t from deal_stage_totals where stage_id = ${stage}`.execute(s.testDb.db.kysely);
      expect(type.rows[0]!.t).toBe('integer');
    }
  });

  it('answers afterId/beforeId of a hidden deal as of a missing one, and takes no leadId from clients', async () => {
    const hidden = (await s.admin.post('/deals', { title: 'Чужая', stageId })).body;
    const mine = (await manager.post('/deals', { title: 'Моя', stageId })).body;
    expect((await manager.get(`/deals/${hidden.id}`)).status).toBe(404);
    for (const field of ['afterId', 'beforeId']) {
      const toHidden = await manager.post(`/deals/${mine.id}/move`, { stageId, [field]: hidden.id });
      const toMissing = await manager.post(`/deals/${mine.id}/move`, { stageId, [field]: 99_999 });
      expect(toHidden.status).toBe(400);
      expect(toHidden.body).toEqual(toMissing.body);
    }
    // the administrator sees both and may place next to either
    expect((await s.admin.post(`/deals/${mine.id}/move`, { stageId, afterId: hidden.id })).status).toBe(200);

    const other = await s.newWorkspace('Чужая фирма');
    const foreignLead = (await other.admin.post('/leads', { title: 'Чужой лид' })).body;
    const withLead = await s.admin.post('/deals', { title: 'x', leadId: foreignLead.id });
    expect(withLead.status).toBe(400);
    expect(paths(withLead)).toEqual(['leadId']);

    // a custom record link names a record the writer may read: hidden = missing
    await s.admin.post('/custom-fields', { entity: 'contact', code: 'main_deal', name: 'Сделка', type: 'record', options: { recordEntity: 'deal' } });
    const linkHidden = await manager.post('/contacts', { firstName: 'Л', custom: { main_deal: hidden.id } });
    const linkMissing = await manager.post('/contacts', { firstName: 'Л', custom: { main_deal: 99_999 } });
    expect(linkHidden.status).toBe(400);
    expect(linkHidden.body).toEqual(linkMissing.body);
    expect((await manager.post('/contacts', { firstName: 'Л', custom: { main_deal: mine.id } })).status).toBe(201);
  });

  it('takes bodiless POSTs where a POST needs no body', async () => {
    const activity = (await s.admin.post('/activities', { type: 'task', subject: 'Отменить' })).body;
    expect((await s.admin.request('POST', `/activities/${activity.id}/cancel`)).status).toBe(200);
    const required = await s.admin.request('POST', '/deals');
    expect(required.status).toBe(400);
    expect(paths(required)).toEqual(['title']);
    const other = await ApiClient.login(s.baseUrl, `m-${dialect}@test.local`, 'manager password 1');
    const empty = await other.request('POST', '/auth/logout', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(204);
    expect((await other.get('/auth/me')).status).toBe(401);
    const logout = await manager.request('POST', '/auth/logout');
    expect(logout.status).toBe(204);
    expect((await manager.get('/auth/me')).status).toBe(401);
  });
});
