import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

// Deleted deals, leads, contacts and companies go to the recycle bin: gone from every read
// (single read, list, board and its totals, search, duplicates, references), restorable with
// their links, activities and history by those allowed, purged after the workspace's period.

describe.each(testDialects())('recycle bin on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient;
  let managerId: number;
  let pipeline: { id: number; stages: Array<{ id: number; semantic: string; name: string }> };
  const db = () => s.testDb.db.kysely;

  const ok = <T extends { status: number; body: any }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const totals = async (stageId: number) =>
    db().selectFrom('deal_stage_totals').select(['deals', 'amount']).where('workspace_id', '=', s.workspaceId).where('stage_id', '=', stageId).execute();
  const column = async (stageId: number) => {
    const board = ok(await s.admin.get(`/pipelines/${pipeline.id}/board?limit=50`)).body;
    return board.columns.find((c: any) => c.stage.id === stageId);
  };
  const openRows = async (dealId: number) =>
    db().selectFrom('deal_stage_history').selectAll().where('deal_id', '=', dealId).where('exited_at', 'is', null).execute();

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const now = new Date().toISOString();
    const role = await db().selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
    const email = `bin-manager-${dialect}@test.local`;
    const user = await db()
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password 1'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
    manager = await ApiClient.login(s.baseUrl, email, 'manager password 1');
    managerId = user.id;
    const pipelines = ok(await s.admin.get('/pipelines')).body;
    pipeline = (Array.isArray(pipelines) ? pipelines : pipelines.items)[0];
  });
  afterAll(async () => s?.close());

  it('a deleted deal vanishes from reads, board, totals and search, and comes back with its links, rows, activities and history', async () => {
    const stage = pipeline.stages[0]!;
    const contact = ok(await s.admin.post('/contacts', { firstName: 'Пётр', lastName: 'Корзинкин', phones: [{ value: '+7 900 111-22-33' }] }), 201).body;
    const deal = ok(
      await s.admin.post('/deals', { title: 'Корзинная сделка', amount: 700000, contactIds: [contact.id], observerIds: [managerId], tags: ['бин'] }),
      201,
    ).body;
    ok(await s.admin.put(`/deals/${deal.id}/products`, { rows: [{ name: 'Стол', price: 350000, quantity: '2', vatRate: 'none', vatIncluded: true }] }));
    const activity = ok(await s.admin.post('/activities', { type: 'call', subject: 'Позвонить', deadlineAt: '2027-01-10T10:00:00.000Z', entityType: 'deal', entityId: deal.id }), 201).body;
    const before = await column(stage.id);
    const totalsBefore = await totals(stage.id);
    const current = ok(await s.admin.get(`/deals/${deal.id}`)).body;

    ok(await s.admin.delete(`/deals/${deal.id}?version=${current.version}`), 204);

    expect((await s.admin.get(`/deals/${deal.id}`)).status).toBe(404);
    expect((await manager.get(`/deals/${deal.id}`)).status).toBe(404); // the observer link went with it
    expect(ok(await s.admin.get('/deals?q=корзинная')).body.items).toEqual([]);
    expect(ok(await s.admin.get(`/deals?contactId=${contact.id}`)).body.items).toEqual([]);
    const after = await column(stage.id);
    expect(after.count).toBe(before.count - 1);
    expect(after.items.map((d: any) => d.id)).not.toContain(deal.id);
    expect((await totals(stage.id)).reduce((n, r) => n + Number(r.amount), 0)).toBe(totalsBefore.reduce((n, r) => n + Number(r.amount), 0) - 700000);
    // a reference to it is refused like a missing deal
    expect((await s.admin.post('/activities', { type: 'task', subject: 'x', entityType: 'deal', entityId: deal.id })).status).toBe(400);
    // stage history survives; the activity is detached and cancelled meanwhile
    expect(await openRows(deal.id)).toHaveLength(1);
    expect(ok(await s.admin.get(`/activities/${activity.id}`)).body).toMatchObject({ status: 'cancelled', entityId: null });

    const bin = ok(await s.admin.get('/recycle-bin?entityType=deal')).body.items;
    expect(bin[0]).toMatchObject({ entityType: 'deal', entityId: deal.id, title: 'Корзинная сделка', deletedById: s.admin.user.id });
    expect(Date.parse(bin[0].purgeAt) - Date.parse(bin[0].deletedAt)).toBe(30 * 86_400_000);

    ok(await s.admin.post(`/recycle-bin/deal/${deal.id}/restore`), 204);
    const restored = ok(await s.admin.get(`/deals/${deal.id}`)).body;
    expect(restored).toMatchObject({ id: deal.id, title: 'Корзинная сделка', amount: 700000, stageId: stage.id, contactIds: [contact.id], observerIds: [managerId], tags: ['бин'] });
    expect(restored.nextActivity).toMatchObject({ id: activity.id });
    expect(ok(await s.admin.get(`/deals/${deal.id}/products`)).body.rows ?? ok(await s.admin.get(`/deals/${deal.id}/products`)).body.items).toHaveLength(1);
    expect(ok(await s.admin.get(`/activities/${activity.id}`)).body).toMatchObject({ status: 'planned', entityType: 'deal', entityId: deal.id });
    expect((await column(stage.id)).count).toBe(before.count);
    expect(await totals(stage.id)).toEqual(totalsBefore);
    expect((await manager.get(`/deals/${deal.id}`)).status).toBe(200);
    expect(ok(await s.admin.get('/deals?q=корзинная')).body.items.map((d: any) => d.id)).toEqual([deal.id]);
    expect(await openRows(deal.id)).toHaveLength(1);
    const kinds = ok(await s.admin.get(`/deals/${deal.id}/timeline`)).body.items.map((e: any) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['restored', 'deleted']);
    expect(ok(await s.admin.get('/recycle-bin?entityType=deal')).body.items.map((i: any) => i.entityId)).not.toContain(deal.id);
    // once restored it is not in the bin: a second restore is a 404
    expect((await s.admin.post(`/recycle-bin/deal/${deal.id}/restore`)).status).toBe(404);
  });

  it('a deleted contact leaves duplicates, deal links and company links, and a restore gives them back', async () => {
    const company = ok(await s.admin.post('/companies', { name: 'ООО Корзина' }), 201).body;
    const contact = ok(await s.admin.post('/contacts', { firstName: 'Анна', lastName: 'Удалённая', phones: [{ value: '+7 901 555-00-11' }], companyIds: [company.id] }), 201).body;
    const deal = ok(await s.admin.post('/deals', { title: 'С контактом', contactIds: [contact.id], companyId: company.id }), 201).body;

    ok(await s.admin.delete(`/contacts/${contact.id}`), 204);
    expect((await s.admin.get(`/contacts/${contact.id}`)).status).toBe(404);
    expect(ok(await s.admin.get('/contacts?q=удалённая')).body.items).toEqual([]);
    const dup = ok(await s.admin.post('/contacts', { firstName: 'Другая', phones: [{ value: '+7 901 555-00-11' }] }), 201).body;
    expect(dup.duplicates).toEqual([]);
    expect(ok(await s.admin.get(`/deals/${deal.id}`)).body).toMatchObject({ contactIds: [], contactId: null });
    expect((await s.admin.post('/deals', { title: 'x', contactIds: [contact.id] })).status).toBe(400);

    ok(await s.admin.post(`/recycle-bin/contact/${contact.id}/restore`), 204);
    const back = ok(await s.admin.get(`/contacts/${contact.id}`)).body;
    expect(back).toMatchObject({ id: contact.id, lastName: 'Удалённая', companyIds: [company.id] });
    expect(back.phones.map((p: any) => p.value)).toEqual(contact.phones.map((p: any) => p.value));
    expect(ok(await s.admin.get(`/deals/${deal.id}`)).body).toMatchObject({ contactIds: [contact.id], contactId: contact.id });

    // a company: its deals lose the client and get it back
    ok(await s.admin.delete(`/companies/${company.id}`), 204);
    expect(ok(await s.admin.get(`/deals/${deal.id}`)).body.companyId).toBeNull();
    expect(ok(await s.admin.get(`/contacts/${contact.id}`)).body.companyIds).toEqual([]);
    ok(await s.admin.post(`/recycle-bin/company/${company.id}/restore`), 204);
    expect(ok(await s.admin.get(`/deals/${deal.id}`)).body.companyId).toBe(company.id);
    expect(ok(await s.admin.get(`/contacts/${contact.id}`)).body.companyIds).toEqual([company.id]);
  });

  it('a deleted lead comes back with its phones and status history', async () => {
    const lead = ok(await s.admin.post('/leads', { title: 'Лид в корзину', phones: [{ value: '+7 902 000-11-22' }] }), 201).body;
    ok(await s.admin.delete(`/leads/${lead.id}`), 204);
    expect((await s.admin.get(`/leads/${lead.id}`)).status).toBe(404);
    expect(ok(await s.admin.get('/leads?q=корзину')).body.items).toEqual([]);
    ok(await s.admin.post(`/recycle-bin/lead/${lead.id}/restore`), 204);
    const back = ok(await s.admin.get(`/leads/${lead.id}`)).body;
    expect(back).toMatchObject({ id: lead.id, title: 'Лид в корзину', statusId: lead.statusId });
    expect(back.phones).toHaveLength(1);
    expect(ok(await s.admin.get(`/leads/${lead.id}/status-history`)).body.items).toHaveLength(1);
  });

  it('only those allowed see and restore an item; only an administrator purges one', async () => {
    const deal = ok(await s.admin.post('/deals', { title: 'Чужая корзина' }), 201).body;
    ok(await s.admin.delete(`/deals/${deal.id}`), 204);
    // the built-in manager role may not delete deals, so the bin shows them nothing of it
    expect(ok(await manager.get('/recycle-bin')).body.items.map((i: any) => i.entityId)).not.toContain(deal.id);
    expect((await manager.post(`/recycle-bin/deal/${deal.id}/restore`)).status).toBe(404);
    expect((await manager.delete(`/recycle-bin/deal/${deal.id}`)).status).toBe(403);
    expect((await s.admin.post('/recycle-bin/invoice/1/restore')).status).toBe(400);
    expect((await s.admin.post(`/recycle-bin/deal/${2 ** 31 - 1}/restore`)).status).toBe(404);
    // another workspace's administrator cannot reach it either
    const other = await s.newWorkspace('Другая компания');
    expect((await other.admin.post(`/recycle-bin/deal/${deal.id}/restore`)).status).toBe(404);
    expect(ok(await other.admin.get('/recycle-bin')).body.items).toEqual([]);

    ok(await s.admin.delete(`/recycle-bin/deal/${deal.id}`), 204);
    expect((await s.admin.post(`/recycle-bin/deal/${deal.id}/restore`)).status).toBe(404);
    expect((await s.admin.get(`/deals/${deal.id}`)).status).toBe(404);
    // the history of the purged deal stays for reports
    expect(await openRows(deal.id)).toHaveLength(1);
  });

  it('purges items older than the workspace keeps them, by the clock', async () => {
    const ws = ok(await s.admin.get('/workspace')).body;
    expect(ws.recycleBinDays).toBe(30);
    expect((await s.admin.patch('/workspace', { version: ws.version, recycleBinDays: 0 })).status).toBe(400);
    ok(await s.admin.patch('/workspace', { version: ws.version, recycleBinDays: 2 }));
    const old = ok(await s.admin.post('/deals', { title: 'Старая' }), 201).body;
    ok(await s.admin.delete(`/deals/${old.id}`), 204);
    s.clock.advance(2 * 86_400_000 - 60_000);
    const fresh = ok(await s.admin.post('/leads', { title: 'Свежий' }), 201).body;
    ok(await s.admin.delete(`/leads/${fresh.id}`), 204);
    expect(await s.ctx.services.recycleBin.purgeExpired()).toBe(0);
    s.clock.advance(120_000);
    expect(await s.ctx.services.recycleBin.purgeExpired()).toBe(1);
    const left = ok(await s.admin.get('/recycle-bin')).body.items.map((i: any) => `${i.entityType}:${i.entityId}`);
    expect(left).toContain(`lead:${fresh.id}`);
    expect(left).not.toContain(`deal:${old.id}`);
    expect(ok(await s.admin.get(`/deals`)).body.items.map((d: any) => d.id)).not.toContain(old.id);
  });

  it('a deal whose stage was removed meanwhile is restored into the first stage, with a history row', async () => {
    const p = ok(await s.admin.post('/pipelines', { name: 'Корзинная воронка' }), 201).body;
    const [first, second] = p.stages;
    const deal = ok(await s.admin.post('/deals', { title: 'Во втором', stageId: second.id }), 201).body;
    ok(await s.admin.delete(`/deals/${deal.id}`), 204);
    ok(await s.admin.delete(`/pipelines/${p.id}/stages/${second.id}`), 204);
    // archived: gone from the pipeline and from pickers, still named in history
    expect(ok(await s.admin.get(`/pipelines/${p.id}`)).body.stages.map((x: any) => x.id)).not.toContain(second.id);
    ok(await s.admin.post(`/recycle-bin/deal/${deal.id}/restore`), 204);
    const back = ok(await s.admin.get(`/deals/${deal.id}`)).body;
    expect(back.stageId).toBe(first.id);
    const history = ok(await s.admin.get(`/deals/${deal.id}/stage-history`)).body.items;
    expect(history.map((h: any) => [h.stageId, h.stageName, h.exitedAt === null])).toEqual([
      [second.id, second.name, false],
      [first.id, first.name, true],
    ]);
    expect((await s.admin.post(`/deals/${deal.id}/move`, { stageId: second.id })).status).toBe(400);
  });

  it('a deleted pipeline is archived with its stages: gone from reads, still named in history, its binned deals restored to the default pipeline', async () => {
    const p = ok(await s.admin.post('/pipelines', { name: 'Удаляемая воронка' }), 201).body;
    const [first, second] = p.stages;
    const moved = ok(await s.admin.post('/deals', { title: 'Ушла в основную', pipelineId: p.id, stageId: second.id }), 201).body;
    ok(await s.admin.post(`/deals/${moved.id}/move`, { stageId: pipeline.stages[0]!.id }));
    const binned = ok(await s.admin.post('/deals', { title: 'В корзине из удаляемой', pipelineId: p.id, stageId: first.id }), 201).body;
    ok(await s.admin.delete(`/deals/${binned.id}`), 204);
    ok(await s.admin.delete(`/pipelines/${p.id}`), 204);

    expect((await s.admin.get(`/pipelines/${p.id}`)).status).toBe(404);
    expect((await s.admin.delete(`/pipelines/${p.id}`)).status).toBe(404);
    expect((await s.admin.patch(`/pipelines/${p.id}`, { name: 'воскрешённая', version: 1 })).status).toBe(404);
    const list = ok(await s.admin.get('/pipelines')).body;
    expect((Array.isArray(list) ? list : list.items).map((x: any) => x.id)).not.toContain(p.id);
    expect((await s.admin.post('/deals', { title: 'В архивную', stageId: first.id })).status).toBe(400);
    expect((await s.admin.get(`/pipelines/${p.id}/board`)).status).toBe(404);
    const kept = await db().selectFrom('stages').select(['id', 'archived_at']).where('pipeline_id', '=', p.id).execute();
    expect(kept).toHaveLength(p.stages.length);
    expect(kept.every((k) => k.archived_at !== null)).toBe(true);

    const history = ok(await s.admin.get(`/deals/${moved.id}/stage-history`)).body.items;
    expect(history.map((h: any) => [h.pipelineId, h.stageName])).toEqual([
      [p.id, second.name],
      [pipeline.id, pipeline.stages[0]!.name],
    ]);
    expect((await s.ctx.services.pipelines.pipelineNames(db(), s.workspaceId, [p.id])).get(p.id)).toBe('Удаляемая воронка');

    ok(await s.admin.post(`/recycle-bin/deal/${binned.id}/restore`), 204);
    const back = ok(await s.admin.get(`/deals/${binned.id}`)).body;
    const defaultPipeline = (Array.isArray(list) ? list : list.items).find((x: any) => x.isDefault);
    expect(back.pipelineId).toBe(defaultPipeline.id);
    expect(back.stageId).toBe(defaultPipeline.stages[0].id);
    // the name is free again
    ok(await s.admin.post('/pipelines', { name: 'Удаляемая воронка' }), 201);
  });
});
