import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

/** A user with one built-in role, logged in. */
async function addUser(s: TestServer, role: 'manager' | 'head_of_sales' | 'admin', name: string): Promise<ApiClient & { id: number }> {
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
  const client = await ApiClient.login(s.baseUrl, email, 'correct horse battery');
  return Object.assign(client, { id: user.id });
}

const paths = (res: { body: any }) => (res.body.error?.fields ?? []).map((f: { path: string }) => f.path);

describe.each(testDialects())('contacts on %s', (dialect) => {
  let s: TestServer;
  let m1: ApiClient & { id: number };
  let m2: ApiClient & { id: number };
  let contactTypeId: number;
  let sourceId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    m1 = await addUser(s, 'manager', 'Менеджер Один');
    m2 = await addUser(s, 'manager', 'Менеджер Два');
    const db = s.testDb.db.kysely;
    const item = (kind: string) => db.selectFrom('reference_items').select('id').where('workspace_id', '=', s.workspaceId).where('kind', '=', kind).orderBy('sort').executeTakeFirstOrThrow();
    contactTypeId = (await item('contact-types')).id;
    sourceId = (await item('sources')).id;
  });
  afterAll(() => s?.close());

  it('creates a contact with normalised phones and e-mails and reads it back', async () => {
    const company = await s.admin.post('/companies', { name: 'ООО Ромашка' });
    expect(company.status).toBe(201);
    const res = await s.admin.post('/contacts', {
      firstName: 'Иван',
      lastName: 'Петров',
      middleName: 'Сергеевич',
      position: 'Директор',
      birthday: '1980-05-17',
      typeId: contactTypeId,
      sourceId,
      phones: [{ value: '8 (916) 123-45-67', type: 'mobile' }, { value: '+7 495 123-45-67' }],
      emails: [{ value: ' Ivan.Petrov@Example.RU ', type: 'work' }],
      companyIds: [company.body.id],
      comment: 'важный клиент',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fullName: 'Петров Иван Сергеевич',
      responsibleId: s.admin.user.id,
      createdById: s.admin.user.id,
      birthday: '1980-05-17',
      phones: [
        { value: '8 (916) 123-45-67', type: 'mobile', normalized: '+79161234567' },
        { value: '+7 495 123-45-67', type: 'work', normalized: '+74951234567' },
      ],
      emails: [{ value: 'Ivan.Petrov@Example.RU', type: 'work', normalized: 'ivan.petrov@example.ru' }],
      companyIds: [company.body.id],
      custom: {},
      version: 1,
      duplicates: [],
    });
    const got = await s.admin.get(`/contacts/${res.body.id}`);
    expect(got.status).toBe(200);
    const { duplicates: _d, ...record } = res.body;
    expect(got.body).toEqual(record);
  });

  it('answers bad input with 400 and field paths', async () => {
    const badPhone = await s.admin.post('/contacts', { firstName: 'А', phones: [{ value: 'не телефон' }] });
    expect(badPhone.status).toBe(400);
    expect(paths(badPhone)).toContain('phones[0].value');
    const badEmail = await s.admin.post('/contacts', { firstName: 'А', emails: [{ value: 'a@b.ru' }, { value: 'nope@' }] });
    expect(paths(badEmail)).toEqual(['emails[1].value']);
    const badType = await s.admin.post('/contacts', { firstName: 'А', phones: [{ value: '+79161112233', type: 'pager' }] });
    expect(paths(badType)).toContain('phones[0].type');
    const empty = await s.admin.post('/contacts', { position: 'Никто' });
    expect(empty.status).toBe(400);
    expect(paths(empty)).toContain('phones');
    const unknown = await s.admin.post('/contacts', { firstName: 'А', nickname: 'x' });
    expect(paths(unknown)).toContain('nickname');
    const refs = await s.admin.post('/contacts', { firstName: 'А', typeId: sourceId });
    expect(paths(refs)).toEqual(['typeId']);
    const user = await s.admin.post('/contacts', { firstName: 'А', responsibleId: 999999 });
    expect(paths(user)).toEqual(['responsibleId']);
    const company = await s.admin.post('/contacts', { firstName: 'А', companyIds: [999999] });
    expect(paths(company)).toEqual(['companyIds[0]']);
    const date = await s.admin.post('/contacts', { firstName: 'А', birthday: '1980-13-40' });
    expect(paths(date)).toEqual(['birthday']);
    const long = await s.admin.post('/contacts', { firstName: 'x'.repeat(201) });
    expect(paths(long)).toEqual(['firstName']);
  });

  it('reports likely duplicates by phone, e-mail and name, only among readable records', async () => {
    const first = await m1.post('/contacts', { firstName: 'Семён', lastName: 'Дубль', phones: [{ value: '+7 903 555-00-11' }], emails: [{ value: 'dup@example.ru' }] });
    expect(first.status).toBe(201);
    const company = await s.admin.post('/companies', { name: 'Дубль и Ко', phones: [{ value: '8 903 555 00 11' }] });
    expect(company.body.duplicates).toEqual([{ entity: 'contact', id: first.body.id, matchedBy: 'phone' }]);

    const byAdmin = await s.admin.post('/contacts', { lastName: 'дубль', firstName: 'СЕМЕН', emails: [{ value: 'DUP@example.ru' }], phones: [{ value: '89035550011' }] });
    expect(byAdmin.body.duplicates).toEqual([
      { entity: 'company', id: company.body.id, matchedBy: 'phone' },
      { entity: 'contact', id: first.body.id, matchedBy: 'phone' },
    ]);
    const byName = await s.admin.post('/contacts', { firstName: 'Семен', lastName: 'ДУБЛЬ' });
    const lead = await s.ctx.services.communications.findDuplicates(s.ctx.db.kysely, (await s.ctx.services.users.loadActor(s.workspaceId, s.admin.user.id))!, { name: 'Семён Дубль' });
    expect(lead.map((d) => d.id)).toEqual(expect.arrayContaining([first.body.id, byAdmin.body.id, byName.body.id]));
    expect(byName.body.duplicates).toEqual(
      expect.arrayContaining([
        { entity: 'contact', id: first.body.id, matchedBy: 'name' },
        { entity: 'contact', id: byAdmin.body.id, matchedBy: 'name' },
      ]),
    );
    // m2 may not read m1's contact nor the admin's records: nothing is revealed.
    const byOther = await m2.post('/contacts', { firstName: 'Семён', lastName: 'Дубль', phones: [{ value: '+79035550011' }] });
    expect(byOther.status).toBe(201);
    expect(byOther.body.duplicates).toEqual([]);
  });

  it('updates with optimistic versions and writes the timeline', async () => {
    const c = await s.admin.post('/contacts', { firstName: 'Олег', phones: [{ value: '+79161110001' }] });
    const noVersion = await s.admin.patch(`/contacts/${c.body.id}`, { position: 'Инженер' });
    expect(noVersion.status).toBe(400);
    expect(paths(noVersion)).toEqual(['version']);
    const ok = await s.admin.patch(`/contacts/${c.body.id}`, { version: 1, position: 'Инженер', lastName: 'Сидоров', responsibleId: m1.id, emails: [{ value: 'oleg@example.ru' }] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, position: 'Инженер', fullName: 'Сидоров Олег', responsibleId: m1.id, phones: [{ normalized: '+79161110001' }], emails: [{ normalized: 'oleg@example.ru' }] });
    const stale = await s.admin.patch(`/contacts/${c.body.id}`, { version: 1, position: 'Другое' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ id: c.body.id, version: 2, position: 'Инженер' });
    const viaHeader = await s.admin.request('PATCH', `/contacts/${c.body.id}`, { comment: 'через If-Match' }, { 'if-match': '"2"' });
    expect(viaHeader.status).toBe(200);
    const cleared = await s.admin.patch(`/contacts/${c.body.id}`, { version: 3, firstName: null, lastName: null, phones: [], emails: [] });
    expect(cleared.status).toBe(400);

    const timeline = await s.admin.get(`/contacts/${c.body.id}/timeline`);
    expect(timeline.status).toBe(200);
    const kinds = timeline.body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['updated', 'updated', 'responsible_changed', 'created']);
    const change = timeline.body.items.find((e: any) => e.data.changes?.position).data.changes;
    expect(change.position).toEqual({ old: null, new: 'Инженер' });
    expect(change.emails.new).toEqual([{ value: 'oleg@example.ru', type: 'work', normalized: 'oleg@example.ru' }]);

    const comment = await s.admin.post(`/contacts/${c.body.id}/timeline`, { text: 'Перезвонить в понедельник' });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ kind: 'comment', authorId: s.admin.user.id, data: { text: 'Перезвонить в понедельник' } });
    expect((await s.admin.post(`/contacts/${c.body.id}/timeline`, { text: '' })).status).toBe(400);
  });

  it('filters by permission level on every read path', async () => {
    const own = await m1.post('/contacts', { firstName: 'Свой', lastName: 'Клиентский', phones: [{ value: '+79167770001' }] });
    expect(own.status).toBe(201);
    expect((await m2.get(`/contacts/${own.body.id}`)).status).toBe(404);
    expect((await m2.get(`/contacts/${own.body.id}/timeline`)).status).toBe(404);
    expect((await m2.patch(`/contacts/${own.body.id}`, { version: 1, position: 'x' })).status).toBe(404);
    const list = await m2.get('/contacts', { q: 'клиентский', withTotal: true });
    expect(list.body).toMatchObject({ items: [], total: 0 });
    const mine = await m1.get('/contacts', { q: 'клиентский', withTotal: true });
    expect(mine.body.items.map((c: { id: number }) => c.id)).toEqual([own.body.id]);
    expect(mine.body.total).toBe(1);
    // managers create only for themselves and delete nothing
    const forOther = await m1.post('/contacts', { firstName: 'Чужой', responsibleId: m2.id });
    expect(forOther.status).toBe(403);
    expect((await m1.delete(`/contacts/${own.body.id}`)).status).toBe(403);
    // a record of the admin is readable by nobody else at the manager level
    const adminOwned = await s.admin.post('/contacts', { firstName: 'Админский' });
    expect((await m1.get(`/contacts/${adminOwned.body.id}`)).status).toBe(404);
    // linking a company the manager cannot read is refused at its path
    const hidden = await s.admin.post('/companies', { name: 'Скрытая' });
    const link = await m1.post('/contacts', { firstName: 'Связь', companyIds: [hidden.body.id] });
    expect(link.status).toBe(400);
    expect(paths(link)).toEqual(['companyIds[0]']);
  });

  it('keeps workspaces apart', async () => {
    const other = await s.newWorkspace('Другая');
    const c = await s.admin.post('/contacts', { firstName: 'Изолированный', phones: [{ value: '+79160000042' }] });
    expect((await other.admin.get(`/contacts/${c.body.id}`)).status).toBe(404);
    expect((await other.admin.get('/contacts', { q: 'изолированный' })).body.items).toEqual([]);
    const dup = await other.admin.post('/contacts', { firstName: 'Изолированный', phones: [{ value: '+79160000042' }] });
    expect(dup.body.duplicates).toEqual([]);
    expect((await other.admin.delete(`/contacts/${c.body.id}`)).status).toBe(404);
  });

  it('lists with search, filters, sorting and cursor pages', async () => {
    const ws = await s.newWorkspace('Списки');
    const a = ws.admin;
    const company = await a.post('/companies', { name: 'Фильтр' });
    const names = ['Яковлев', 'Абрамов', 'Мельников', 'Борисов', 'Ёлкин', 'Жуков', 'Зайцев'];
    const ids: number[] = [];
    for (const [i, lastName] of names.entries()) {
      s.clock.advance(60_000);
      const res = await a.post('/contacts', {
        lastName,
        phones: [{ value: `+7916555${String(i).padStart(4, '0')}` }],
        emails: [{ value: `${i}@LIST.example.ru` }],
        companyIds: i % 2 === 0 ? [company.body.id] : [],
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const q = async (query: Record<string, any>) => {
      const res = await a.get('/contacts', query);
      expect(res.status).toBe(200);
      return res.body.items.map((c: { lastName: string }) => c.lastName);
    };
    expect(await q({ q: 'МЕЛЬН' })).toEqual(['Мельников']);
    expect(await q({ q: '8 916 555-00-03' })).toEqual(['Борисов']);
    expect(await q({ q: '79165550004' })).toEqual(['Ёлкин']);
    expect(await q({ q: '5@list.example' })).toEqual(['Жуков']);
    expect(await q({ q: '100%_' })).toEqual([]);
    expect(await q({ companyId: company.body.id, sort: 'id' })).toEqual(['Яковлев', 'Мельников', 'Ёлкин', 'Зайцев']);
    expect(await q({ responsibleId: 'me', limit: 2 })).toHaveLength(2);
    expect(await q({ responsibleId: 999 })).toEqual([]);

    // sorted by last name (ё as е), walked in pages of 3
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await a.get('/contacts', { sort: 'lastName', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c: { lastName: string }) => c.lastName));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Абрамов', 'Борисов', 'Ёлкин', 'Жуков', 'Зайцев', 'Мельников', 'Яковлев']);

    const created = await a.get(`/contacts/${ids[3]}`);
    const from = await q({ createdFrom: created.body.createdAt, sort: 'createdAt' });
    expect(from).toEqual(['Борисов', 'Ёлкин', 'Жуков', 'Зайцев']);
    expect(await q({ createdTo: created.body.createdAt, sort: '-createdAt' })).toEqual(['Борисов', 'Мельников', 'Абрамов', 'Яковлев']);
    const day = created.body.createdAt.slice(0, 10);
    expect(await q({ createdFrom: day, createdTo: day })).toHaveLength(7);
    const total = await a.get('/contacts', { withTotal: 'true', limit: 1 });
    expect(total.body.total).toBe(7);
    expect(total.body.nextCursor).toEqual(expect.any(String));

    const badQueries: Array<Record<string, string | number>> = [{ sort: 'position' }, { limit: 501 }, { cursor: 'garbage' }, { nickname: 'x' }, { typeId: 'abc' }, { createdFrom: 'yesterday' }];
    for (const bad of badQueries) {
      const res = await a.get('/contacts', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('validates and filters custom fields', async () => {
    const field = await s.admin.post('/custom-fields', { entity: 'contact', code: 'budget', name: 'Бюджет', type: 'number' });
    expect(field.status).toBe(201);
    const bad = await s.admin.post('/contacts', { firstName: 'Кастом', custom: { budget: 'много' } });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(['custom.budget']);
    const ok = await s.admin.post('/contacts', { firstName: 'Кастом', custom: { budget: 500 } });
    expect(ok.status).toBe(201);
    expect(ok.body.custom).toEqual({ budget: '500' });
    const list = await s.admin.get('/contacts', { 'custom.budget': '500' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual([ok.body.id]);
    expect((await s.admin.get('/contacts', { 'custom.nosuch': '1' })).status).toBe(400);
    const patched = await s.admin.patch(`/contacts/${ok.body.id}`, { version: 1, custom: { budget: 'x' } });
    expect(paths(patched)).toEqual(['custom.budget']);
  });

  it('deletes hard, with the phones, links and a deleted event', async () => {
    const company = await s.admin.post('/companies', { name: 'Удаляемая связь' });
    const c = await s.admin.post('/contacts', { firstName: 'Удаляемый', phones: [{ value: '+79169990000' }], companyIds: [company.body.id] });
    expect((await s.admin.delete(`/contacts/${c.body.id}`)).status).toBe(204);
    expect((await s.admin.get(`/contacts/${c.body.id}`)).status).toBe(404);
    expect((await s.admin.delete(`/contacts/${c.body.id}`)).status).toBe(404);
    const db = s.testDb.db.kysely;
    expect(await db.selectFrom('communications').selectAll().where('entity_type', '=', 'contact').where('entity_id', '=', c.body.id).execute()).toEqual([]);
    expect(await db.selectFrom('contact_companies').selectAll().where('contact_id', '=', c.body.id).execute()).toEqual([]);
    const events = await db.selectFrom('timeline_entries').select('kind').where('entity_type', '=', 'contact').where('entity_id', '=', c.body.id).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['created', 'deleted']);
    expect((await s.admin.post('/contacts', { firstName: 'Новый', phones: [{ value: '+79169990000' }] })).body.duplicates).toEqual([]);
  });

  it('merges two contacts into the one in the URL', async () => {
    const c1 = await s.admin.post('/companies', { name: 'Слияние 1' });
    const c2 = await s.admin.post('/companies', { name: 'Слияние 2' });
    const survivor = await s.admin.post('/contacts', { firstName: 'Пётр', position: 'Главный', phones: [{ value: '+79161230001', type: 'mobile' }], companyIds: [c1.body.id] });
    const source = await s.admin.post('/contacts', {
      firstName: 'Петя',
      lastName: 'Смирнов',
      position: 'Другой',
      birthday: '1990-01-02',
      phones: [{ value: '8 916 123-00-01', type: 'work' }, { value: '+79161230002' }],
      emails: [{ value: 'petr@example.ru' }],
      companyIds: [c1.body.id, c2.body.id],
    });
    await s.admin.post(`/contacts/${source.body.id}/timeline`, { text: 'заметка на дубле' });
    const deal = await s.admin.post('/deals', { title: 'Сделка дубля', contactIds: [source.body.id] });
    expect(deal.status).toBe(201);
    const db = s.testDb.db.kysely;
    const now = new Date().toISOString();
    const activity = await db
      .insertInto('activities')
      .values({ workspace_id: s.workspaceId, type: 'call', subject: 'Звонок дублю', responsible_id: s.admin.user.id, created_by_id: s.admin.user.id, entity_type: 'contact', entity_id: source.body.id, status: 'planned', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();

    expect((await s.admin.post(`/contacts/${survivor.body.id}/merge`, { sourceId: survivor.body.id })).status).toBe(400);
    expect((await s.admin.post(`/contacts/${survivor.body.id}/merge`, { sourceId: 999999 })).status).toBe(404);
    expect((await m1.post(`/contacts/${survivor.body.id}/merge`, { sourceId: source.body.id })).status).toBe(404);

    const merged = await s.admin.post(`/contacts/${survivor.body.id}/merge`, { sourceId: source.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      id: survivor.body.id,
      firstName: 'Пётр',
      lastName: 'Смирнов',
      position: 'Главный',
      birthday: '1990-01-02',
      phones: [
        { normalized: '+79161230001', type: 'mobile' },
        { normalized: '+79161230002', type: 'work' },
      ],
      emails: [{ normalized: 'petr@example.ru' }],
      companyIds: [c1.body.id, c2.body.id],
      version: 2,
    });
    expect((await s.admin.get(`/contacts/${source.body.id}`)).status).toBe(404);
    const timeline = await s.admin.get(`/contacts/${survivor.body.id}/timeline`);
    const mergedEvent = timeline.body.items[0];
    expect(mergedEvent).toMatchObject({ kind: 'merged', data: { sourceId: source.body.id, sourceName: 'Смирнов Петя' } });
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['comment', 'created']));
    expect(timeline.body.items.filter((e: { kind: string }) => e.kind === 'created')).toHaveLength(2);
    const dealLinks = await db.selectFrom('deal_contacts').select('contact_id').where('deal_id', '=', deal.body.id).execute();
    expect(dealLinks.map((l) => l.contact_id)).toEqual([survivor.body.id]);
    const moved = await db.selectFrom('activities').select(['entity_type', 'entity_id']).where('id', '=', activity.id).executeTakeFirstOrThrow();
    expect(moved).toEqual({ entity_type: 'contact', entity_id: survivor.body.id });
    const found = await s.admin.get('/contacts', { q: '79161230002' });
    expect(found.body.items.map((c: { id: number }) => c.id)).toEqual([survivor.body.id]);
  });

  it('a merge carries custom values that are valid now and leaves behind those of a field deleted since', async () => {
    const kept = await s.admin.post('/custom-fields', { entity: 'contact', code: 'merge_note', name: 'Заметка слияния', type: 'string' });
    const gone = await s.admin.post('/custom-fields', { entity: 'contact', code: 'merge_gone', name: 'Удалённое поле', type: 'string' });
    expect([kept.status, gone.status]).toEqual([201, 201]);
    const survivor = await s.admin.post('/contacts', { firstName: 'Остаётся' });
    const source = await s.admin.post('/contacts', { firstName: 'Уходит', custom: { merge_note: 'из дубля', merge_gone: 'старое значение' } });
    expect(source.body.custom).toMatchObject({ merge_note: 'из дубля', merge_gone: 'старое значение' });
    expect((await s.admin.delete(`/custom-fields/${gone.body.id}`)).status).toBe(204);

    const merged = await s.admin.post(`/contacts/${survivor.body.id}/merge`, { sourceId: source.body.id });
    expect(merged.status).toBe(200);
    expect(merged.body.custom).toMatchObject({ merge_note: 'из дубля' });
    expect(merged.body.custom).not.toHaveProperty('merge_gone');
  });

  it('lets a manager merge only what they may change and delete', async () => {
    const a = await m1.post('/contacts', { firstName: 'Мой1' });
    const b = await m1.post('/contacts', { firstName: 'Мой2' });
    // managers have no delete right on contacts
    expect((await m1.post(`/contacts/${a.body.id}/merge`, { sourceId: b.body.id })).status).toBe(403);
    expect((await m1.get(`/contacts/${b.body.id}`)).status).toBe(200);
  });
});
