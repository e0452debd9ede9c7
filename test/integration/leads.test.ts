import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

/** A user with the built-in manager role (own leads only), logged in. */
async function loginManager(s: TestServer, email: string): Promise<{ client: ApiClient; id: number }> {
  const db = s.ctx.db.kysely;
  const now = new Date().toISOString();
  const role = await db.selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password'), created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
  return { client: await ApiClient.login(s.baseUrl, email, 'manager password'), id: user.id };
}

const paths = (res: { body: { error: { fields: Array<{ path: string }> } } }) => res.body.error.fields.map((f) => f.path);

describe.each(testDialects())('leads on %s', (dialect) => {
  let s: TestServer;
  let statuses: Array<{ id: number; name: string; semantic: string }>;
  const status = (semantic: string, n = 0) => statuses.filter((x) => x.semantic === semantic)[n]!;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const rows = await s.ctx.db.kysely
      .selectFrom('reference_items')
      .select(['id', 'name', 'semantic'])
      .where('workspace_id', '=', s.workspaceId)
      .where('kind', '=', 'lead-statuses')
      .orderBy('sort')
      .execute();
    statuses = rows.map((r) => ({ id: r.id, name: r.name, semantic: r.semantic! }));
  });
  afterAll(() => s?.close());

  it('creates a lead with defaults, normalised phones and a created event', async () => {
    const res = await s.admin.post('/leads', {
      firstName: 'Иван',
      lastName: 'Петров',
      companyName: 'ООО Ромашка',
      phones: [{ value: '8 (916) 123-45-67', type: 'mobile' }],
      emails: [{ value: 'Ivan@Romashka.RU' }],
      amount: 1500000,
      utmSource: 'yandex',
      utmCampaign: 'spring',
      comment: 'Хочет КП',
    });
    expect(res.status).toBe(201);
    const lead = res.body;
    expect(lead).toMatchObject({
      title: 'Петров Иван, ООО Ромашка',
      statusId: status('in_progress').id,
      statusSemantic: 'in_progress',
      responsibleId: s.admin.user.id,
      createdById: s.admin.user.id,
      amount: 1500000,
      currency: 'RUB',
      utmSource: 'yandex',
      utmCampaign: 'spring',
      utmMedium: null,
      convertedAt: null,
      convertedDealId: null,
      custom: {},
      version: 1,
      duplicates: [],
    });
    expect(lead.phones).toEqual([{ value: '8 (916) 123-45-67', type: 'mobile', normalized: '+79161234567' }]);
    expect(lead.emails).toEqual([{ value: 'Ivan@Romashka.RU', type: 'work', normalized: 'ivan@romashka.ru' }]);

    const got = await s.admin.get(`/leads/${lead.id}`);
    expect(got.status).toBe(200);
    const { duplicates, ...stored } = lead;
    expect(duplicates).toEqual([]);
    expect(got.body).toEqual(stored);

    const timeline = await s.admin.get(`/leads/${lead.id}/timeline`);
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('titles a nameless lead by its phone and uses the workspace currency', async () => {
    const res = await s.admin.post('/leads', { phones: [{ value: '+7 495 000-00-01' }] });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('+7 495 000-00-01');
    expect(res.body.currency).toBe('RUB');
  });

  it('returns the likely duplicates among contacts and leads', async () => {
    const contact = await s.admin.post('/contacts', { firstName: 'Анна', lastName: 'Смирнова', phones: [{ value: '+7 916 555-44-33' }] });
    expect(contact.status).toBe(201);
    const first = await s.admin.post('/leads', { title: 'Заявка с сайта', emails: [{ value: 'buyer@shop.ru' }] });
    expect(first.body.duplicates).toEqual([]);
    const res = await s.admin.post('/leads', {
      firstName: 'Анна',
      lastName: 'Смирнова',
      phones: [{ value: '89165554433' }],
      emails: [{ value: 'BUYER@shop.ru' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.duplicates).toEqual(
      expect.arrayContaining([
        { entity: 'contact', id: contact.body.id, matchedBy: 'phone' },
        { entity: 'lead', id: first.body.id, matchedBy: 'email' },
      ]),
    );
    expect(res.body.duplicates.some((d: { entity: string; id: number }) => d.entity === 'lead' && d.id === res.body.id)).toBe(false);
  });

  it('answers bad input with 400 and field paths, never creating anything', async () => {
    const before = await s.admin.get('/leads', { withTotal: true });
    const bad = await s.admin.post('/leads', { title: 'x', phones: [{ value: 'позвоните мне' }], emails: [{ value: 'not-an-email' }], amount: -5, currency: 'rub', extra: 1 });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['phones[0].value', 'emails[0].value', 'amount', 'currency', 'extra']));

    const wrongStatus = await s.admin.post('/leads', { title: 'x', statusId: 999999 });
    expect(wrongStatus.status).toBe(400);
    expect(paths(wrongStatus)).toEqual(['statusId']);
    const wrongSource = await s.admin.post('/leads', { title: 'x', sourceId: status('junk').id });
    expect(wrongSource.status).toBe(400);
    expect(paths(wrongSource)).toEqual(['sourceId']);
    const wrongUser = await s.admin.post('/leads', { title: 'x', responsibleId: 999999 });
    expect(wrongUser.status).toBe(400);
    expect(paths(wrongUser)).toEqual(['responsibleId']);

    const converted = await s.admin.post('/leads', { title: 'x', statusId: status('converted').id });
    expect(converted.status).toBe(422);
    expect(converted.body.error.code).toBe('rule_violation');

    expect((await s.admin.post('/leads', { title: 'x'.repeat(256) })).status).toBe(400);
    expect((await s.admin.get('/leads', { withTotal: true })).body.total).toBe(before.body.total);
  });

  it('changes a lead with its version, copying the status semantic and recording the changes', async () => {
    const lead = (await s.admin.post('/leads', { title: 'Меняем', phones: [{ value: '+7 916 100-00-01' }] })).body;
    const res = await s.admin.patch(`/leads/${lead.id}`, {
      version: lead.version,
      statusId: status('junk').id,
      amount: 500,
      emails: [{ value: 'new@client.ru', type: 'home' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusId: status('junk').id, statusSemantic: 'junk', amount: 500, version: lead.version + 1 });
    expect(res.body.phones.map((p: { value: string }) => p.value)).toEqual(['+7 916 100-00-01']);
    expect(res.body.emails).toEqual([{ value: 'new@client.ru', type: 'home', normalized: 'new@client.ru' }]);

    const timeline = (await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(timeline[0].kind).toBe('updated');
    expect(timeline[0].data.changes).toMatchObject({
      statusId: { old: status('in_progress').id, new: status('junk').id },
      amount: { old: 0, new: 500 },
    });
    expect(Object.keys(timeline[0].data.changes).sort()).toEqual(['amount', 'emails', 'statusId']);

    const stale = await s.admin.patch(`/leads/${lead.id}`, { version: lead.version, title: 'Устарело' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ id: lead.id, version: lead.version + 1, title: 'Меняем' });

    const viaHeader = await s.admin.request('PATCH', `/leads/${lead.id}`, { title: 'Через If-Match' }, { 'if-match': `"${lead.version + 1}"` });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.title).toBe('Через If-Match');
    expect((await s.admin.patch(`/leads/${lead.id}`, { title: 'Без версии' })).status).toBe(400);
  });

  it('refuses to mark a lead converted by PATCH', async () => {
    const lead = (await s.admin.post('/leads', { title: 'Не так' })).body;
    const res = await s.admin.patch(`/leads/${lead.id}`, { version: lead.version, statusId: status('converted').id });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('rule_violation');
    expect((await s.admin.get(`/leads/${lead.id}`)).body).toMatchObject({ statusSemantic: 'in_progress', version: lead.version });
  });

  it('records a responsible change as its own event', async () => {
    const manager = await loginManager(s, `lead-resp-${dialect}@test.local`);
    const lead = (await s.admin.post('/leads', { title: 'Передаём' })).body;
    const res = await s.admin.patch(`/leads/${lead.id}`, { version: lead.version, responsibleId: manager.id });
    expect(res.status).toBe(200);
    const kinds = (await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(kinds[0]).toMatchObject({ kind: 'responsible_changed', data: { old: s.admin.user.id, new: manager.id } });
  });

  it('lists with filters, sort, keyset pages and totals', async () => {
    const other = await s.newWorkspace('Для списка');
    const mk = (body: Record<string, unknown>) => other.admin.post('/leads', body).then((r) => r.body);
    const a = await mk({ title: 'Альфа', phones: [{ value: '+7 903 111-22-33' }] });
    const b = await mk({ title: 'Бета', emails: [{ value: 'beta@list.ru' }] });
    const c = await mk({ title: 'Гамма' });
    const theirStatuses = (await other.admin.get('/leads/board')).body.columns.map((col: { status: { id: number; semantic: string } }) => col.status);
    const junk = theirStatuses.find((x: { semantic: string }) => x.semantic === 'junk');
    await other.admin.patch(`/leads/${c.id}`, { version: c.version, statusId: junk.id });

    const all = await other.admin.get('/leads', { withTotal: true });
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: { id: number }) => l.id)).toEqual([c.id, b.id, a.id]);
    expect(all.body.total).toBe(3);

    const ids = async (q: Record<string, string | number | Array<string | number>>) => (await other.admin.get('/leads', q)).body.items.map((l: { id: number }) => l.id);
    expect(await ids({ semantic: 'junk' })).toEqual([c.id]);
    expect(await ids({ semantic: ['in_progress', 'converted'], sort: 'id' })).toEqual([a.id, b.id]);
    expect(await ids({ statusId: junk.id })).toEqual([c.id]);
    expect(await ids({ responsibleId: 'me', sort: 'createdAt' })).toEqual([a.id, b.id, c.id]);
    expect(await ids({ q: 'бета' })).toEqual([b.id]);
    expect(await ids({ q: '8 903 111 22 33' })).toEqual([a.id]);
    expect(await ids({ q: 'beta@list' })).toEqual([b.id]);
    expect(await ids({ createdFrom: '2000-01-01', createdTo: '2000-01-02' })).toEqual([]);

    const page1 = await other.admin.get('/leads', { limit: 2, sort: '-updatedAt' });
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await other.admin.get('/leads', { limit: 2, sort: '-updatedAt', cursor: page1.body.nextCursor });
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const seen = [...page1.body.items, ...page2.body.items].map((l: { id: number }) => l.id).sort();
    expect(seen).toEqual([a.id, b.id, c.id].sort());

    const unknown = await other.admin.get('/leads', { color: 'red' });
    expect(unknown.status).toBe(400);
    expect((await other.admin.get('/leads', { sort: 'title' })).status).toBe(400);
    expect((await other.admin.get('/leads', { semantic: 'won' })).status).toBe(400);
    expect((await other.admin.get('/leads', { cursor: 'garbage' })).status).toBe(400);
    expect((await other.admin.get('/leads', { limit: 501 })).status).toBe(400);
  });

  it('stores validated custom fields and filters by custom.<code>', async () => {
    const other = await s.newWorkspace('Для полей');
    const field = await other.admin.post('/custom-fields', { entity: 'lead', code: 'budget_band', name: 'Бюджет', type: 'string' });
    expect(field.status).toBe(201);
    const a = await other.admin.post('/leads', { title: 'С полем', custom: { budget_band: 'large' } });
    expect(a.status).toBe(201);
    expect(a.body.custom).toEqual({ budget_band: 'large' });
    await other.admin.post('/leads', { title: 'Другое значение', custom: { budget_band: 'small' } });
    const unknown = await other.admin.post('/leads', { title: 'x', custom: { nope: 1 } });
    expect(unknown.status).toBe(400);
    expect(paths(unknown)).toEqual(['custom.nope']);
    const list = await other.admin.get('/leads', { 'custom.budget_band': 'large' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { id: number }) => l.id)).toEqual([a.body.id]);
    expect((await other.admin.get('/leads', { 'custom.no_such_field': 'x' })).status).toBe(400);
    const board = await other.admin.get('/leads/board', { 'custom.budget_band': 'large' });
    expect(board.body.columns[0].count).toBe(1);
  });

  it('shows the board: every status with counts, sums and newest cards, paging a column', async () => {
    const other = await s.newWorkspace('Для доски');
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await other.admin.post('/leads', { title: `Лид ${i}`, amount: 1000 * (i + 1) })).body);
    const board = await other.admin.get('/leads/board', { limit: 2 });
    expect(board.status).toBe(200);
    const cols = board.body.columns;
    expect(cols.map((c: { status: { semantic: string } }) => c.status.semantic)).toEqual(['in_progress', 'in_progress', 'converted', 'junk']);
    expect(cols[0]).toMatchObject({ count: 3, sums: [{ currency: 'RUB', amount: 6000 }] });
    expect(cols[0].items.map((l: { id: number }) => l.id)).toEqual([made[2].id, made[1].id]);
    expect(cols[1]).toMatchObject({ count: 0, sums: [], items: [], nextCursor: null });

    const rest = await other.admin.get(`/leads/board/${cols[0].status.id}`, { limit: 2, cursor: cols[0].nextCursor });
    expect(rest.status).toBe(200);
    expect(rest.body.items.map((l: { id: number }) => l.id)).toEqual([made[0].id]);
    expect(rest.body.nextCursor).toBeNull();

    const filtered = await other.admin.get('/leads/board', { q: 'лид 1' });
    expect(filtered.body.columns[0]).toMatchObject({ count: 1, sums: [{ currency: 'RUB', amount: 2000 }] });
    expect((await other.admin.get('/leads/board/999999')).status).toBe(404);
    expect((await other.admin.get('/leads/board', { sort: 'id' })).status).toBe(400);
  });

  it('comments on the timeline and deletes a lead', async () => {
    const lead = (await s.admin.post('/leads', { title: 'Удаляем', phones: [{ value: '+7 916 200-00-02' }] })).body;
    const comment = await s.admin.post(`/leads/${lead.id}/timeline`, { text: 'Перезвонить завтра' });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ kind: 'comment', entityType: 'lead', entityId: lead.id, authorId: s.admin.user.id, data: { text: 'Перезвонить завтра' } });
    expect((await s.admin.post(`/leads/${lead.id}/timeline`, { text: '' })).status).toBe(400);
    const timeline = await s.admin.get(`/leads/${lead.id}/timeline`);
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(['comment', 'created']);

    expect((await s.admin.delete(`/leads/${lead.id}`)).status).toBe(204);
    expect((await s.admin.get(`/leads/${lead.id}`)).status).toBe(404);
    expect((await s.admin.delete(`/leads/${lead.id}`)).status).toBe(404);
    const comms = await s.ctx.db.kysely.selectFrom('communications').select('id').where('entity_type', '=', 'lead').where('entity_id', '=', lead.id).execute();
    expect(comms).toEqual([]);
  });

  it('limits a manager to their own leads on every path', async () => {
    const manager = await loginManager(s, `lead-manager-${dialect}@test.local`);
    const adminsLead = (await s.admin.post('/leads', { title: 'Чужой лид для менеджера' })).body;
    const own = await manager.client.post('/leads', { title: 'Мой лид' });
    expect(own.status).toBe(201);
    expect(own.body.responsibleId).toBe(manager.id);

    expect((await manager.client.get(`/leads/${adminsLead.id}`)).status).toBe(404);
    expect((await manager.client.patch(`/leads/${adminsLead.id}`, { version: 1, title: 'x' })).status).toBe(404);
    expect((await manager.client.delete(`/leads/${adminsLead.id}`)).status).toBe(404);
    expect((await manager.client.get(`/leads/${adminsLead.id}/timeline`)).status).toBe(404);
    const list = await manager.client.get('/leads', { withTotal: true });
    expect(list.body.items.map((l: { id: number }) => l.id)).toEqual([own.body.id]);
    expect(list.body.total).toBe(1);
    const board = await manager.client.get('/leads/board');
    expect(board.body.columns.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(1);

    const forAdmin = await manager.client.post('/leads', { title: 'Для админа', responsibleId: s.admin.user.id });
    expect(forAdmin.status).toBe(403);
    // Managers may not delete leads (built-in role), even their own.
    expect((await manager.client.delete(`/leads/${own.body.id}`)).status).toBe(403);
  });

  it('keeps another workspace out: 404 on read, absent from its list', async () => {
    const mine = (await s.admin.post('/leads', { title: 'Только наш', phones: [{ value: '+7 916 300-00-03' }] })).body;
    const other = await s.newWorkspace('Чужая');
    expect((await other.admin.get(`/leads/${mine.id}`)).status).toBe(404);
    expect((await other.admin.patch(`/leads/${mine.id}`, { version: 1, title: 'x' })).status).toBe(404);
    expect((await other.admin.post(`/leads/${mine.id}/convert`, { contact: { create: {} } })).status).toBe(404);
    const list = await other.admin.get('/leads', { q: 'только наш' });
    expect(list.body.items).toEqual([]);
    const theirs = await other.admin.post('/leads', { title: 'Их лид', phones: [{ value: '+7 916 300-00-03' }] });
    expect(theirs.body.duplicates).toEqual([]);
    // A status of our workspace is not theirs.
    expect((await other.admin.post('/leads', { title: 'x', statusId: mine.statusId })).status).toBe(400);
  });
});
