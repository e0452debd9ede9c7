import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

type Client = ApiClient & { id: number };

const HOUR = 3_600_000;
const paths = (res: { body: any }) => (res.body.error?.fields ?? []).map((f: { path: string }) => f.path);
const ids = (res: { body: any }) => res.body.items.map((x: { id: number }) => x.id);

describe.each(testDialects())('activities on %s', (dialect) => {
  let s: TestServer;
  let managerA: Client;
  let managerB: Client;
  let head: Client;
  const db = () => s.testDb.db.kysely;

  /** A user with one built-in role, logged in; department optional. */
  async function addUser(role: 'manager' | 'head_of_sales', departmentId: number | null): Promise<Client> {
    const email = `u-${Date.now()}-${Math.random().toString(36).slice(2)}@test.local`;
    const now = new Date().toISOString();
    const user = await db()
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email, name: role, active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('correct horse battery'), department_id: departmentId, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const r = await db().selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', role).executeTakeFirstOrThrow();
    await db().insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: r.id }).execute();
    return Object.assign(await ApiClient.login(s.baseUrl, email, 'correct horse battery'), { id: user.id });
  }

  const at = (msFromNow: number) => new Date(s.clock.now().getTime() + msFromNow).toISOString();
  const newDeal = async (client: ApiClient = s.admin, title = 'Поставка') => {
    const res = await client.post('/deals', { title });
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };
  const dealTimeline = async (dealId: number) => (await s.admin.get(`/deals/${dealId}/timeline`)).body.items as Array<{ kind: string; authorId: number; data: any }>;
  const deal = async (dealId: number) => (await s.admin.get(`/deals/${dealId}`)).body;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const now = new Date().toISOString();
    const dept = await db()
      .insertInto('departments')
      .values({ workspace_id: s.workspaceId, name: 'Отдел продаж', parent_id: null, head_id: null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    managerA = await addUser('manager', dept.id);
    head = await addUser('head_of_sales', dept.id);
    managerB = await addUser('manager', null);
  });
  afterAll(() => s?.close());

  it('plans a call on a deal: the deal timeline and next step follow', async () => {
    const d = await newDeal();
    expect((await deal(d.id)).noNextStep).toBe(true);
    const deadlineAt = at(24 * HOUR);
    const res = await s.admin.post('/activities', { type: 'call', subject: 'Позвонить по КП', deadlineAt, direction: 'outgoing', entityType: 'deal', entityId: d.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'call',
      subject: 'Позвонить по КП',
      status: 'planned',
      deadlineAt,
      direction: 'outgoing',
      responsibleId: s.admin.user.id,
      createdById: s.admin.user.id,
      entityType: 'deal',
      entityId: d.id,
      overdue: false,
      completedAt: null,
      version: 1,
    });
    const created = (await dealTimeline(d.id)).find((e) => e.kind === 'activity_created');
    expect(created).toMatchObject({ authorId: s.admin.user.id, data: { activityId: res.body.id, type: 'call', subject: 'Позвонить по КП', deadlineAt } });
    expect(await deal(d.id)).toMatchObject({ nextActivity: { id: res.body.id, deadline: deadlineAt }, noNextStep: false, overdue: false });
    expect(ids(await s.admin.get(`/deals/${d.id}/activities`))).toEqual([res.body.id]);
  });

  it('completes with a result: activity_done on the timeline, the deal has no next step', async () => {
    const d = await newDeal();
    const a = (await s.admin.post('/activities', { type: 'meeting', subject: 'Встреча', deadlineAt: at(HOUR), entityType: 'deal', entityId: d.id })).body;
    s.clock.advance(10 * 60_000);
    const done = await s.admin.post(`/activities/${a.id}/complete`, { result: 'Договорились о поставке', version: 1 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', result: 'Договорились о поставке', completedAt: s.clock.now().toISOString(), completedById: s.admin.user.id, overdue: false, version: 2 });
    const event = (await dealTimeline(d.id)).find((e) => e.kind === 'activity_done');
    expect(event).toMatchObject({ authorId: s.admin.user.id, data: { activityId: a.id, result: 'Договорились о поставке', status: 'done' } });
    expect(await deal(d.id)).toMatchObject({ nextActivity: null, noNextStep: true });

    const again = await s.admin.post(`/activities/${a.id}/complete`, {});
    expect(again.status).toBe(422);
    expect((await s.admin.post(`/activities/${a.id}/cancel`, {})).status).toBe(422);
  });

  it('ranks the next step: earliest deadline first, undated planned ones after dated ones', async () => {
    const d = await newDeal();
    const plan = async (subject: string, deadlineAt: string | null) =>
      (await s.admin.post('/activities', { type: 'task', subject, deadlineAt, entityType: 'deal', entityId: d.id })).body as { id: number; version: number };
    const undated = await plan('Когда-нибудь', null);
    expect((await deal(d.id)).nextActivity).toEqual({ id: undated.id, deadline: null });
    expect((await deal(d.id)).noNextStep).toBe(false);
    const later = await plan('Потом', at(48 * HOUR));
    const sooner = await plan('Скоро', at(2 * HOUR));
    expect((await deal(d.id)).nextActivity.id).toBe(sooner.id);

    expect((await s.admin.post(`/activities/${sooner.id}/cancel`, {})).body.status).toBe('cancelled');
    expect((await dealTimeline(d.id)).some((e) => e.kind === 'activity_cancelled' && e.data.activityId === sooner.id)).toBe(true);
    expect((await deal(d.id)).nextActivity.id).toBe(later.id);

    expect((await s.admin.delete(`/activities/${later.id}`)).status).toBe(204);
    expect((await s.admin.get(`/activities/${later.id}`)).status).toBe(404);
    expect((await dealTimeline(d.id)).some((e) => e.kind === 'activity_deleted' && e.data.activityId === later.id)).toBe(true);
    expect((await deal(d.id)).nextActivity.id).toBe(undated.id);

    // a deadline set by PATCH moves it ahead of nothing but itself; the change is on the timeline
    const deadlineAt = at(5 * HOUR);
    const patched = await s.admin.patch(`/activities/${undated.id}`, { deadlineAt, version: undated.version });
    expect(patched.status).toBe(200);
    expect((await deal(d.id)).nextActivity).toEqual({ id: undated.id, deadline: deadlineAt });
    const updated = (await dealTimeline(d.id)).find((e) => e.kind === 'activity_updated');
    expect(updated?.data.changes).toEqual({ deadlineAt: { old: null, new: deadlineAt } });
  });

  it('moves an activity to another deal and refreshes both', async () => {
    const d1 = await newDeal();
    const d2 = await newDeal();
    const a = (await s.admin.post('/activities', { type: 'task', subject: 'Счёт', deadlineAt: at(HOUR), entityType: 'deal', entityId: d1.id })).body;
    const moved = await s.admin.patch(`/activities/${a.id}`, { entityId: d2.id, version: 1 });
    expect(moved.body).toMatchObject({ entityType: 'deal', entityId: d2.id, version: 2 });
    expect((await deal(d1.id)).nextActivity).toBeNull();
    expect((await deal(d2.id)).nextActivity.id).toBe(a.id);
    for (const id of [d1.id, d2.id]) {
      expect((await dealTimeline(id)).find((e) => e.kind === 'activity_updated')?.data.changes.entityId).toEqual({ old: d1.id, new: d2.id });
    }
    const stale = await s.admin.patch(`/activities/${a.id}`, { subject: 'x', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ id: a.id, version: 2 });

    // merges move every activity of a record through the contract method
    await s.ctx.services.activities.relinkOwner(s.ctx.db.kysely, s.workspaceId, 'deal', d2.id, d1.id);
    expect((await s.admin.get(`/activities/${a.id}`)).body.entityId).toBe(d1.id);
    expect((await deal(d1.id)).nextActivity.id).toBe(a.id);
    expect((await deal(d2.id)).nextActivity).toBeNull();
  });

  it('computes overdue from the clock, in answers and in the list filter', async () => {
    const ws = await s.newWorkspace('Просрочки');
    const a = (await ws.admin.post('/activities', { type: 'call', subject: 'Перезвонить', deadlineAt: at(HOUR) })).body;
    const b = (await ws.admin.post('/activities', { type: 'task', subject: 'Без срока' })).body;
    expect(a.overdue).toBe(false);
    expect(ids(await ws.admin.get('/activities', { overdue: 'true' }))).toEqual([]);

    s.clock.advance(2 * HOUR);
    expect((await ws.admin.get(`/activities/${a.id}`)).body.overdue).toBe(true);
    expect(ids(await ws.admin.get('/activities', { overdue: 'true' }))).toEqual([a.id]);
    expect(ids(await ws.admin.get('/activities', { overdue: 'false' }))).toEqual([b.id]);

    const done = await ws.admin.post(`/activities/${a.id}/complete`, {});
    expect(done.body).toMatchObject({ overdue: false, result: null });
    expect(ids(await ws.admin.get('/activities', { overdue: 'true' }))).toEqual([]);
  });

  it("filters today's deadlines in the user's own time zone", async () => {
    const ws = await s.newWorkspace('Мой день');
    s.clock.set('2026-12-01T20:30:00.000Z'); // 23:30 in Moscow, the admin's zone
    const plan = async (subject: string, deadlineAt: string) => (await ws.admin.post('/activities', { type: 'task', subject, deadlineAt })).body.id as number;
    const morning = await plan('Утро по Москве', '2026-12-01T06:00:00.000Z');
    await plan('Уже завтра по Москве', '2026-12-01T21:30:00.000Z');
    await plan('Вчера по Москве', '2026-11-30T20:59:00.000Z');
    expect(ids(await ws.admin.get('/activities', { today: 'true' }))).toEqual([morning]);
    expect((await ws.admin.get('/activities', { today: 'false' })).status).toBe(400);
    expect(ids(await ws.admin.get('/activities', { deadlineFrom: '2026-12-01', deadlineTo: '2026-12-01' }))).toHaveLength(2);
    expect(ids(await ws.admin.get('/activities', { deadlineTo: '2026-11-30T20:59:00.000Z' }))).toHaveLength(1);

    const summary = await s.ctx.services.activities.summaryForUsers(s.ctx.db.kysely, ws.workspaceId, [ws.admin.user.id], s.clock.now());
    expect(summary).toEqual([{ userId: ws.admin.user.id, planned: 3, overdue: 2, doneToday: 0 }]);
  });

  it('hides other managers\u2019 activities; the admin and the head of the department see them', async () => {
    const mine = await managerA.post('/activities', { type: 'task', subject: 'Задача менеджера A' });
    expect(mine.status).toBe(201);
    expect(mine.body.responsibleId).toBe(managerA.id);
    expect((await managerB.get(`/activities/${mine.body.id}`)).status).toBe(404);
    expect((await managerB.patch(`/activities/${mine.body.id}`, { subject: 'x', version: 1 })).status).toBe(404);
    expect((await managerB.post(`/activities/${mine.body.id}/complete`, {})).status).toBe(404);
    expect((await managerB.delete(`/activities/${mine.body.id}`)).status).toBe(404);
    expect(ids(await managerB.get('/activities'))).not.toContain(mine.body.id);
    expect((await s.admin.get(`/activities/${mine.body.id}`)).status).toBe(200);
    expect((await head.get(`/activities/${mine.body.id}`)).status).toBe(200);
    expect(ids(await head.get('/activities', { responsibleId: managerA.id }))).toContain(mine.body.id);
    expect((await head.get('/activities', { responsibleId: managerB.id })).body.items).toEqual([]);

    // a manager plans only for himself, and only on records he can see
    const forOther = await managerB.post('/activities', { type: 'task', subject: 'x', responsibleId: managerA.id });
    expect(forOther.status).toBe(403);
    const adminsDeal = await newDeal();
    const onHidden = await managerB.post('/activities', { type: 'task', subject: 'x', entityType: 'deal', entityId: adminsDeal.id });
    expect(onHidden.status).toBe(400);
    expect(paths(onHidden)).toEqual(['entityId']);
    expect((await managerB.get(`/deals/${adminsDeal.id}/activities`)).status).toBe(404);
    expect((await managerB.get('/deals/999999/activities')).status).toBe(404);

    // the admin's activity on a deal the manager cannot see stays out of his lists too
    const own = await managerB.post('/activities', { type: 'task', subject: 'Моя задача', responsibleId: managerB.id });
    expect(ids(await managerB.get('/activities', { responsibleId: 'me' }))).toEqual([own.body.id]);
  });

  it('lists activities of contacts, companies and leads', async () => {
    const contact = await s.admin.post('/contacts', { firstName: 'Иван', lastName: 'Петров' });
    expect(contact.status).toBe(201);
    const company = await s.admin.post('/companies', { name: 'ООО «Ромашка»' });
    expect(company.status).toBe(201);
    const lead = await s.admin.post('/leads', { title: 'Заявка с сайта' });
    expect(lead.status).toBe(201);
    for (const [entityType, segment, id] of [
      ['contact', 'contacts', contact.body.id],
      ['company', 'companies', company.body.id],
      ['lead', 'leads', lead.body.id],
    ] as const) {
      const a = await s.admin.post('/activities', { type: 'email', subject: `Письмо ${segment}`, direction: 'incoming', entityType, entityId: id });
      expect(a.status).toBe(201);
      expect(ids(await s.admin.get(`/${segment}/${id}/activities`))).toEqual([a.body.id]);
      const timeline = (await s.admin.get(`/${segment}/${id}/timeline`)).body.items;
      expect(timeline.some((e: any) => e.kind === 'activity_created' && e.data.activityId === a.body.id)).toBe(true);
      expect(ids(await s.admin.get('/activities', { entityType, entityId: id }))).toEqual([a.body.id]);
    }
  });

  it('rejects bad input with field paths, never a 500', async () => {
    const bad = await s.admin.post('/activities', { type: 'visit', subject: '', deadlineAt: 'tomorrow', entityType: 'order', entityId: -1, responsibleId: 'me', extra: 1 });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toEqual(expect.arrayContaining(['type', 'subject', 'deadlineAt', 'entityType', 'entityId', 'responsibleId', 'extra']));

    const direction = await s.admin.post('/activities', { type: 'task', subject: 'x', direction: 'incoming' });
    expect(paths(direction)).toEqual(['direction']);
    const order = await s.admin.post('/activities', { type: 'meeting', subject: 'x', startAt: at(2 * HOUR), deadlineAt: at(HOUR) });
    expect(paths(order)).toEqual(['deadlineAt']);
    const half = await s.admin.post('/activities', { type: 'task', subject: 'x', entityType: 'deal' });
    expect(paths(half)).toEqual(['entityId']);
    const noUser = await s.admin.post('/activities', { type: 'task', subject: 'x', responsibleId: 999_999 });
    expect(paths(noUser)).toEqual(['responsibleId']);
    const noDeal = await s.admin.post('/activities', { type: 'task', subject: 'x', entityType: 'deal', entityId: 999_999 });
    expect(paths(noDeal)).toEqual(['entityId']);
    const long = await s.admin.post('/activities', { type: 'task', subject: 'x'.repeat(501) });
    expect(paths(long)).toEqual(['subject']);

    const a = (await s.admin.post('/activities', { type: 'call', subject: 'x', direction: 'outgoing' })).body;
    expect(paths(await s.admin.patch(`/activities/${a.id}`, { subject: 'y' }))).toEqual(['version']);
    expect(paths(await s.admin.patch(`/activities/${a.id}`, { type: 'task', direction: 'outgoing', version: 1 }))).toEqual(['direction']);
    // turning the call into a task drops its direction
    expect((await s.admin.patch(`/activities/${a.id}`, { type: 'task', version: 1 })).body).toMatchObject({ type: 'task', direction: null, version: 2 });
    expect(paths(await s.admin.post(`/activities/${a.id}/complete`, { result: 5 }))).toEqual(['result']);

    expect(paths(await s.admin.get('/activities', { colour: 'red' }))).toEqual(['colour']);
    expect(paths(await s.admin.get('/activities', { entityType: 'deal' }))).toEqual(['entityId']);
    expect(paths(await s.admin.get('/activities', { status: 'lost' }))).toEqual(['status[0]']);
    expect((await s.admin.get('/activities', { sort: 'subject' })).status).toBe(400);
    expect((await s.admin.get('/activities/abc')).status).toBe(400);
  });

  it('keeps workspaces apart', async () => {
    const d = await newDeal();
    const a = (await s.admin.post('/activities', { type: 'task', subject: 'Своё', entityType: 'deal', entityId: d.id })).body;
    const other = await s.newWorkspace('Чужая');
    expect((await other.admin.get(`/activities/${a.id}`)).status).toBe(404);
    expect((await other.admin.post(`/activities/${a.id}/complete`, {})).status).toBe(404);
    expect((await other.admin.delete(`/activities/${a.id}`)).status).toBe(404);
    expect((await other.admin.get(`/deals/${d.id}/activities`)).status).toBe(404);
    expect((await other.admin.get('/activities', { entityType: 'deal', entityId: d.id })).body.items).toEqual([]);
    const link = await other.admin.post('/activities', { type: 'task', subject: 'x', entityType: 'deal', entityId: d.id });
    expect(paths(link)).toEqual(['entityId']);
    const hand = await other.admin.post('/activities', { type: 'task', subject: 'x', responsibleId: s.admin.user.id });
    expect(paths(hand)).toEqual(['responsibleId']);
    expect((await s.admin.get(`/activities/${a.id}`)).body.status).toBe('planned');
  });

  it('cancels planned activities and keeps done ones (unlinked) when the owner record is deleted', async () => {
    const d = await newDeal();
    const planned = (await s.admin.post('/activities', { type: 'call', subject: 'Перезвонить', deadlineAt: at(HOUR), entityType: 'deal', entityId: d.id })).body;
    const done = (await s.admin.post('/activities', { type: 'call', subject: 'Первый звонок', entityType: 'deal', entityId: d.id })).body;
    expect((await s.admin.post(`/activities/${done.id}/complete`, { result: 'Договорились' })).status).toBe(200);
    expect((await s.admin.delete(`/deals/${d.id}`)).status).toBe(204);
    const p = (await s.admin.get(`/activities/${planned.id}`)).body;
    const k = (await s.admin.get(`/activities/${done.id}`)).body;
    expect([p.status, p.entityType, p.entityId]).toEqual(['cancelled', null, null]);
    expect([k.status, k.result, k.entityId]).toEqual(['done', 'Договорились', null]);
  });

  it('pages by deadline with undated activities last, both directions', async () => {
    const ws = await s.newWorkspace('Страницы');
    const created: Array<{ id: number; deadlineAt: string | null }> = [];
    for (const offset of [3, null, 1, null, 2, 1]) {
      const res = await ws.admin.post('/activities', { type: 'task', subject: `t${offset}`, deadlineAt: offset === null ? null : at(offset * HOUR) });
      created.push(res.body);
    }
    const walk = async (sort: string) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await ws.admin.get('/activities', { sort, limit: 2, withTotal: 'true', ...(cursor ? { cursor } : {}) });
        expect(page.status).toBe(200);
        expect(page.body.total).toBe(6);
        seen.push(...ids(page));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const [h3, n1, h1a, n2, h2, h1b] = created.map((c) => c.id);
    expect(await walk('deadlineAt')).toEqual([h1a, h1b, h2, h3, n1, n2]);
    expect(await walk('-deadlineAt')).toEqual([n2, n1, h3, h2, h1b, h1a]);
    expect(await walk('-id')).toEqual([h1b, h2, n2, h1a, n1, h3]);
  });
});
