import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

describe.each(testDialects())('deals on %s', (dialect) => {
  let s: TestServer;
  let pipeline: { id: number; stages: Array<{ id: number; semantic: string; requiresLossReason: boolean }> };
  let stageIds: { first: number; second: number; won: number; lost: number };
  let lossReasonId: number;
  let sourceId: number;
  let manager: ApiClient;
  let managerId: number;

  const db = () => s.testDb.db.kysely;

  async function addManager(email: string): Promise<{ client: ApiClient; id: number }> {
    const now = new Date().toISOString();
    const role = await db().selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
    const user = await db()
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password 1'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
    return { client: await ApiClient.login(s.baseUrl, email, 'manager password 1'), id: user.id };
  }

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const p = await s.ctx.services.pipelines.defaultPipeline(db(), s.workspaceId);
    pipeline = p;
    const inProgress = p.stages.filter((st) => st.semantic === 'in_progress');
    stageIds = {
      first: inProgress[0]!.id,
      second: inProgress[1]!.id,
      won: p.stages.find((st) => st.semantic === 'success')!.id,
      lost: p.stages.find((st) => st.semantic === 'failure')!.id,
    };
    const ref = (kind: string) =>
      db().selectFrom('reference_items').select('id').where('workspace_id', '=', s.workspaceId).where('kind', '=', kind).orderBy('sort').executeTakeFirstOrThrow();
    lossReasonId = (await ref('loss-reasons')).id;
    sourceId = (await ref('sources')).id;
    const m = await addManager(`manager-${dialect}@test.local`);
    manager = m.client;
    managerId = m.id;
  });
  afterAll(() => s?.close());

  it('creates a deal in the default pipeline with defaults, history and a created event', async () => {
    const res = await s.admin.post('/deals', { title: 'Поставка станков', amount: 150_000_00, tags: ['vip', 'vip', 'опт'], sourceId });
    expect(res.status).toBe(201);
    const d = res.body;
    expect(d).toMatchObject({
      title: 'Поставка станков',
      pipelineId: pipeline.id,
      stageId: stageIds.first,
      amount: 150_000_00,
      currency: 'RUB',
      responsibleId: s.admin.user.id,
      tags: ['vip', 'опт'],
      closed: false,
      nextActivity: null,
      overdue: false,
      noNextStep: true,
      version: 1,
    });
    const history = await s.admin.get(`/deals/${d.id}/stage-history`);
    expect(history.body.items).toEqual([expect.objectContaining({ stageId: stageIds.first, exitedAt: null, enteredById: s.admin.user.id })]);
    const timeline = await s.admin.get(`/deals/${d.id}/timeline`);
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('rejects bad input with field paths, never a 500', async () => {
    const bad = await s.admin.post('/deals', { title: '', amount: -1, currency: 'rub', probability: 101, tags: ['x'.repeat(51)], extra: 1 });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'amount', 'currency', 'probability', 'tags[0]', 'extra']));
    const stage = await s.admin.post('/deals', { title: 'x', stageId: 999_999 });
    expect(stage.status).toBe(400);
    expect(stage.body.error.fields[0].path).toBe('stageId');
    const contact = await s.admin.post('/deals', { title: 'x', contactIds: [999_999] });
    expect(contact.status).toBe(400);
    expect(contact.body.error.fields[0].path).toBe('contactIds[0]');
    const list = await s.admin.get('/deals', { nonsense: 1 });
    expect(list.status).toBe(400);
    const sort = await s.admin.get('/deals', { sort: 'title' });
    expect(sort.status).toBe(400);
  });

  it('creating right in a failure stage needs a loss reason and closes the deal', async () => {
    const missing = await s.admin.post('/deals', { title: 'Сразу проиграна', stageId: stageIds.lost });
    expect(missing.status).toBe(422);
    expect(missing.body.error.fields[0].path).toBe('lossReasonId');
    const ok = await s.admin.post('/deals', { title: 'Сразу проиграна', stageId: stageIds.lost, lossReasonId });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ closed: true, lossReasonId, stageSemantic: 'failure', noNextStep: false });
    expect(ok.body.closedAt).toBeTruthy();
  });

  it('answers a create with the deal exactly as it is read back (the create does not re-read its row and links)', async () => {
    const contacts = [];
    for (const firstName of ['Анна', 'Борис', 'Вера']) contacts.push((await s.admin.post('/contacts', { firstName })).body.id as number);
    const observers = [managerId, s.admin.user.id].sort((a, b) => b - a); // given in descending order, stored and read in ascending
    const created = await s.admin.post('/deals', {
      title: 'Как записано',
      contactIds: contacts,
      primaryContactId: contacts[2],
      observerIds: [...observers, observers[0]],
      tags: ['read-back-2', 'read-back-1', 'read-back-2'],
      custom: {},
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ contactIds: [contacts[2], contacts[0], contacts[1]], contactId: contacts[2], observerIds: [...observers].reverse(), tags: ['read-back-2', 'read-back-1'] });
    const read = await s.admin.get(`/deals/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(created.body).toEqual(read.body);
  });

  it('links contacts (first is primary) and a company, and patches with diffs in the timeline', async () => {
    const c1 = await s.admin.post('/contacts', { firstName: 'Иван', lastName: 'Петров' });
    const c2 = await s.admin.post('/contacts', { firstName: 'Мария', lastName: 'Сидорова' });
    const co = await s.admin.post('/companies', { name: 'ООО Ромашка' });
    expect([c1.status, c2.status, co.status]).toEqual([201, 201, 201]);
    const created = await s.admin.post('/deals', { title: 'Контакты', contactIds: [c1.body.id, c2.body.id], companyId: co.body.id, observerIds: [managerId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ contactIds: [c1.body.id, c2.body.id], contactId: c1.body.id, companyId: co.body.id, observerIds: [managerId] });

    const patched = await s.admin.patch(`/deals/${created.body.id}`, { version: 1, primaryContactId: c2.body.id, title: 'Контакты 2', probability: 40 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ contactIds: [c2.body.id, c1.body.id], contactId: c2.body.id, title: 'Контакты 2', probability: 40, version: 2 });
    const tl = await s.admin.get(`/deals/${created.body.id}/timeline`);
    const updated = tl.body.items.find((e: { kind: string }) => e.kind === 'updated');
    expect(updated.data.changes).toMatchObject({ title: { old: 'Контакты', new: 'Контакты 2' }, probability: { old: null, new: 40 } });

    const search = await s.admin.get('/deals', { q: 'РОМАШ' });
    expect(search.body.items.map((d: { id: number }) => d.id)).toContain(created.body.id);
    const byContact = await s.admin.get('/deals', { contactId: c1.body.id });
    expect(byContact.body.items.map((d: { id: number }) => d.id)).toEqual([created.body.id]);

    // the manager observes the deal: may read it, may not change it
    expect((await manager.get(`/deals/${created.body.id}`)).status).toBe(200);
    expect((await manager.patch(`/deals/${created.body.id}`, { version: 2, title: 'нет' })).status).toBe(403);
  });

  it('PATCH needs a version, refuses a stale one with 409 and the current record, and cannot change the stage', async () => {
    const d = (await s.admin.post('/deals', { title: 'Версии' })).body;
    expect((await s.admin.patch(`/deals/${d.id}`, { title: 'a' })).status).toBe(400);
    expect((await s.admin.patch(`/deals/${d.id}`, { version: 1, stageId: stageIds.second })).status).toBe(400);
    expect((await s.admin.patch(`/deals/${d.id}`, { version: 1, title: 'b' })).status).toBe(200);
    const stale = await s.admin.patch(`/deals/${d.id}`, { version: 1, title: 'c' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.current).toMatchObject({ id: d.id, title: 'b', version: 2 });
    const ifMatch = await s.admin.request('PATCH', `/deals/${d.id}`, { title: 'd' }, { 'if-match': '"2"' });
    expect(ifMatch.status).toBe(200);
  });

  it('changing the responsible writes responsible_changed', async () => {
    const d = (await s.admin.post('/deals', { title: 'Передача' })).body;
    const res = await s.admin.patch(`/deals/${d.id}`, { version: 1, responsibleId: managerId });
    expect(res.status).toBe(200);
    const tl = await s.admin.get(`/deals/${d.id}/timeline`);
    expect(tl.body.items[0]).toMatchObject({ kind: 'responsible_changed', data: { old: s.admin.user.id, new: managerId } });
    expect((await s.admin.patch(`/deals/${d.id}`, { version: 2, responsibleId: 999_999 })).status).toBe(400);
  });

  it('moves through stages: history rows close and open, closing and reopening, loss reason rule', async () => {
    const d = (await s.admin.post('/deals', { title: 'Движение' })).body;
    const m1 = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.second });
    expect(m1.status).toBe(200);
    expect(m1.body).toMatchObject({ stageId: stageIds.second, version: 2, closed: false });
    const noReason = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.lost });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error).toMatchObject({ code: 'rule_violation', rule: 'loss_reason_required', params: { stage: expect.any(String) }, fields: [{ path: 'lossReasonId' }] });
    const badReason = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.lost, lossReasonId: sourceId });
    expect(badReason.status).toBe(400);
    const lost = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.lost, lossReasonId });
    expect(lost.body).toMatchObject({ closed: true, lossReasonId, stageSemantic: 'failure' });
    s.clock.advance(60_000);
    const reopened = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.first, version: lost.body.version });
    expect(reopened.body).toMatchObject({ closed: false, closedAt: null, lossReasonId: null });
    const won = await s.admin.post(`/deals/${d.id}/move`, { stageId: stageIds.won });
    expect(won.body.closed).toBe(true);

    const history = (await s.admin.get(`/deals/${d.id}/stage-history`)).body.items;
    expect(history.map((h: { stageId: number }) => h.stageId)).toEqual([stageIds.first, stageIds.second, stageIds.lost, stageIds.first, stageIds.won]);
    expect(history.slice(0, -1).every((h: { exitedAt: string | null; exitedById: number }) => h.exitedAt !== null && h.exitedById === s.admin.user.id)).toBe(true);
    expect(history.at(-1).exitedAt).toBeNull();
    const moves = (await s.admin.get(`/deals/${d.id}/timeline`)).body.items.filter((e: { kind: string }) => e.kind === 'stage_moved');
    expect(moves).toHaveLength(4);
    expect(moves[0].data).toMatchObject({ from: { stageId: stageIds.first }, to: { stageId: stageIds.won, semantic: 'success' }, pipelineChanged: false });

    const closedList = await s.admin.get('/deals', { closed: 'true', stageId: stageIds.won });
    expect(closedList.body.items.map((x: { id: number }) => x.id)).toContain(d.id);
  });

  it('moves a deal into another pipeline, keeping history across the change', async () => {
    const now = new Date().toISOString();
    const other = await db()
      .insertInto('pipelines')
      .values({ workspace_id: s.workspaceId, name: 'Тендеры', sort: 20, is_default: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stage = await db()
      .insertInto('stages')
      .values({ workspace_id: s.workspaceId, pipeline_id: other.id, name: 'Заявка', color: '#000000', semantic: 'in_progress', sort: 10, requires_loss_reason: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const d = (await s.admin.post('/deals', { title: 'Смена воронки' })).body;
    const moved = await s.admin.post(`/deals/${d.id}/move`, { stageId: stage.id });
    expect(moved.body).toMatchObject({ pipelineId: other.id, stageId: stage.id });
    const history = (await s.admin.get(`/deals/${d.id}/stage-history`)).body.items;
    expect(history.map((h: { pipelineId: number }) => h.pipelineId)).toEqual([pipeline.id, other.id]);
    const tl = (await s.admin.get(`/deals/${d.id}/timeline`)).body.items;
    expect(tl[0]).toMatchObject({ kind: 'stage_moved', data: { pipelineChanged: true, to: { pipelineId: other.id } } });
    // deals cannot be created with a stage of another pipeline than the one named
    expect((await s.admin.post('/deals', { title: 'x', pipelineId: pipeline.id, stageId: stage.id })).status).toBe(400);
  });

  it('product rows: exact totals, the amount follows the rows, PATCH of the amount is refused', async () => {
    const d = (await s.admin.post('/deals', { title: 'Товары', amount: 500 })).body;
    const put = await s.admin.put(`/deals/${d.id}/products`, {
      version: 1,
      rows: [
        { name: 'Станок', price: 100_000, quantity: '3', vatRate: '22', vatIncluded: false },
        { name: 'Доставка', price: 122_000, quantity: '1', vatRate: '22', vatIncluded: true, discount: { type: 'percent', value: '10' } },
        { name: 'Услуги', price: 333, quantity: '1.5', vatRate: 'none', vatIncluded: true, discount: { type: 'amount', value: '100' } },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.rows[0]).toMatchObject({ net: 300_000, vatAmount: 66_000, total: 366_000 });
    // 1 220,00 − 10 % = 1 098,00; VAT inside = round(109 800 × 22 / 122) = 19 800
    expect(put.body.rows[1]).toMatchObject({ total: 109_800, vatAmount: 19_800, net: 90_000 });
    // 3,33 × 1.5 = 4,995 → 5,00 (half-up); − 1,00 = 4,00
    expect(put.body.rows[2]).toMatchObject({ total: 400, vatAmount: 0 });
    expect(put.body.totals).toMatchObject({ total: 366_000 + 109_800 + 400, vatAmount: 85_800 });
    const deal = (await s.admin.get(`/deals/${d.id}`)).body;
    expect(deal).toMatchObject({ amount: 366_000 + 109_800 + 400, version: 2 });
    const refused = await s.admin.patch(`/deals/${d.id}`, { version: 2, amount: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields[0].path).toBe('amount');
    const got = await s.admin.get(`/deals/${d.id}/products`);
    expect(got.body.rows.map((r: { name: string }) => r.name)).toEqual(['Станок', 'Доставка', 'Услуги']);

    const bad = await s.admin.put(`/deals/${d.id}/products`, { rows: [{ name: 'x', price: 100, quantity: '0', vatRate: '18', vatIncluded: true }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['rows[0].quantity', 'rows[0].vatRate']));
    const tooMuch = await s.admin.put(`/deals/${d.id}/products`, { rows: [{ name: 'x', price: 100, quantity: '1', vatRate: '0', vatIncluded: true, discount: { type: 'amount', value: '101' } }] });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.fields[0].path).toBe('rows[0]');

    const cleared = await s.admin.put(`/deals/${d.id}/products`, { rows: [] });
    expect(cleared.status).toBe(200);
    expect((await s.admin.patch(`/deals/${d.id}`, { version: 3, amount: 777 })).body.amount).toBe(777);
  });

  it('hides deals outside the read scope (404) everywhere, and lets a manager work their own', async () => {
    const adminDeal = (await s.admin.post('/deals', { title: 'Чужая сделка', amount: 1000 })).body;
    expect((await manager.get(`/deals/${adminDeal.id}`)).status).toBe(404);
    expect((await manager.get(`/deals/${adminDeal.id}/products`)).status).toBe(404);
    expect((await manager.get(`/deals/${adminDeal.id}/timeline`)).status).toBe(404);
    expect((await manager.post(`/deals/${adminDeal.id}/move`, { stageId: stageIds.second })).status).toBe(404);
    expect((await manager.delete(`/deals/${adminDeal.id}`)).status).toBe(404);
    const list = await manager.get('/deals', { withTotal: 'true', limit: 500 });
    expect(list.body.items.every((d: { responsibleId: number; observerIds: number[] }) => d.responsibleId === managerId || d.observerIds.includes(managerId))).toBe(true);
    expect(list.body.total).toBe(list.body.items.length);

    const own = await manager.post('/deals', { title: 'Моя сделка', amount: 2000 });
    expect(own.status).toBe(201);
    expect(own.body.responsibleId).toBe(managerId);
    expect((await manager.post('/deals', { title: 'За админа', responsibleId: s.admin.user.id })).status).toBe(403);
    expect((await manager.patch(`/deals/${own.body.id}`, { version: 1, amount: 2500 })).status).toBe(200);
    // managers may not delete deals (built-in role)
    expect((await manager.delete(`/deals/${own.body.id}`)).status).toBe(403);

    const board = await manager.get(`/pipelines/${pipeline.id}/board`);
    const cards = board.body.columns.flatMap((c: { items: Array<{ id: number }> }) => c.items.map((i) => i.id));
    expect(cards).toContain(own.body.id);
    expect(cards).not.toContain(adminDeal.id);
  });

  it('deletes a deal: 204, gone, the timeline keeps a deleted event', async () => {
    const d = (await s.admin.post('/deals', { title: 'Удалить' })).body;
    expect((await s.admin.post(`/deals/${d.id}/timeline`, { text: 'Комментарий' })).status).toBe(201);
    expect((await s.admin.delete(`/deals/${d.id}`)).status).toBe(204);
    expect((await s.admin.get(`/deals/${d.id}`)).status).toBe(404);
    const kinds = await db().selectFrom('timeline_entries').select('kind').where('entity_type', '=', 'deal').where('entity_id', '=', d.id).orderBy('id').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['created', 'comment', 'deleted']);
  });

  it('keeps workspaces apart', async () => {
    const other = await s.newWorkspace('Другая');
    const d = (await s.admin.post('/deals', { title: 'Секрет' })).body;
    expect((await other.admin.get(`/deals/${d.id}`)).status).toBe(404);
    expect((await other.admin.get('/deals', { q: 'секрет' })).body.items).toEqual([]);
    expect((await other.admin.get(`/pipelines/${pipeline.id}/board`)).status).toBe(404);
    expect((await other.admin.post('/deals', { title: 'x', stageId: stageIds.first })).status).toBe(400);
  });

  it('filters: overdue and no next step from the next activity, amount and date ranges, tags, source', async () => {
    const a = (await s.admin.post('/deals', { title: 'Фильтр A', amount: 10_000, tags: ['фильтр'], closeDate: '2026-12-01' })).body;
    const b = (await s.admin.post('/deals', { title: 'Фильтр B', amount: 20_000, tags: ['фильтр', 'b'], sourceId, closeDate: '2026-12-20' })).body;
    const past = new Date(s.clock.now().getTime() - 3600_000).toISOString();
    const future = new Date(s.clock.now().getTime() + 86_400_000).toISOString();
    await db().updateTable('deals').set({ next_activity_id: 1, next_activity_deadline: past }).where('id', '=', a.id).execute();
    await db().updateTable('deals').set({ next_activity_id: 2, next_activity_deadline: future }).where('id', '=', b.id).execute();
    const ids = async (q: Record<string, string | number | Array<string | number>>) =>
      (await s.admin.get('/deals', { tag: 'фильтр', ...q })).body.items.map((d: { id: number }) => d.id).sort((x: number, y: number) => x - y);
    expect(await ids({})).toEqual([a.id, b.id]);
    expect(await ids({ overdue: 'true' })).toEqual([a.id]);
    expect(await ids({ overdue: 'false' })).toEqual([b.id]);
    expect(await ids({ noNextStep: 'true' })).toEqual([]);
    expect(await ids({ amountFrom: 15_000 })).toEqual([b.id]);
    expect(await ids({ amountTo: 15_000 })).toEqual([a.id]);
    expect(await ids({ closeDateFrom: '2026-12-10', closeDateTo: '2026-12-31' })).toEqual([b.id]);
    expect(await ids({ sourceId })).toEqual([b.id]);
    expect(await ids({ tag: 'b' })).toEqual([b.id]);
    expect(await ids({ responsibleId: 'me' })).toEqual([a.id, b.id]);
    expect(await ids({ responsibleId: managerId })).toEqual([]);
    const today = s.clock.now().toISOString().slice(0, 10);
    expect(await ids({ createdFrom: today, createdTo: today })).toEqual([a.id, b.id]);
    expect(await ids({ createdTo: s.clock.now().toISOString() })).toEqual([]);
    const got = (await s.admin.get(`/deals/${a.id}`)).body;
    expect(got).toMatchObject({ overdue: true, noNextStep: false, nextActivity: { id: 1, deadline: past } });
  });

  it('moveAllFromStage moves every deal to the bottom of the target in order, with history and events', async () => {
    const now = new Date().toISOString();
    const tmp = await db()
      .insertInto('stages')
      .values({ workspace_id: s.workspaceId, pipeline_id: pipeline.id, name: 'Временная', color: '#111111', semantic: 'in_progress', sort: 25, requires_loss_reason: 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created: number[] = [];
    for (let i = 0; i < 5; i++) created.push((await s.admin.post('/deals', { title: `Перенос ${i}`, stageId: tmp.id })).body.id);
    const column = async (stageId: number) => {
      const items: number[] = [];
      let cursor: string | undefined;
      do {
        const res = await s.admin.get(`/pipelines/${pipeline.id}/board/${stageId}`, { limit: 100, ...(cursor ? { cursor } : {}) });
        items.push(...res.body.items.map((d: { id: number }) => d.id));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      return items;
    };
    const before = await column(tmp.id);
    const targetBefore = await column(stageIds.second);
    const actor = (await s.ctx.services.users.loadActor(s.workspaceId, s.admin.user.id))!;
    expect(await s.ctx.services.deals.countInStage(db(), s.workspaceId, tmp.id)).toBe(5);
    expect(await s.ctx.services.deals.moveAllFromStage(db(), actor, tmp.id, stageIds.second)).toBe(5);
    expect(await s.ctx.services.deals.countInStage(db(), s.workspaceId, tmp.id)).toBe(0);
    expect(await column(stageIds.second)).toEqual([...targetBefore, ...before]);
    const history = (await s.admin.get(`/deals/${created[0]}/stage-history`)).body.items;
    expect(history.map((h: { stageId: number }) => h.stageId)).toEqual([tmp.id, stageIds.second]);
    expect(history[0].exitedAt).not.toBeNull();
    const tl = (await s.admin.get(`/deals/${created[0]}/timeline`)).body.items;
    expect(tl[0]).toMatchObject({ kind: 'stage_moved', data: { to: { stageId: stageIds.second } } });
  });

  it('relinks merged contacts and companies', async () => {
    const c1 = (await s.admin.post('/contacts', { firstName: 'Дубль', lastName: 'Один' })).body;
    const c2 = (await s.admin.post('/contacts', { firstName: 'Дубль', lastName: 'Два' })).body;
    const co1 = (await s.admin.post('/companies', { name: 'Дубль 1' })).body;
    const co2 = (await s.admin.post('/companies', { name: 'Дубль 2' })).body;
    const both = (await s.admin.post('/deals', { title: 'Оба', contactIds: [c1.id, c2.id], companyId: co1.id })).body;
    const one = (await s.admin.post('/deals', { title: 'Один', contactIds: [c1.id] })).body;
    await s.ctx.services.deals.relinkContact(db(), s.workspaceId, c1.id, c2.id);
    await s.ctx.services.deals.relinkCompany(db(), s.workspaceId, co1.id, co2.id);
    expect((await s.admin.get(`/deals/${both.id}`)).body).toMatchObject({ contactIds: [c2.id], contactId: c2.id, companyId: co2.id });
    expect((await s.admin.get(`/deals/${one.id}`)).body).toMatchObject({ contactIds: [c2.id], contactId: c2.id });
  });
});
