import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { hashPassword } from '../../src/shared/passwords.js';

// Every path that puts a deal into a stage leaves exactly one open stage-history row carrying
// the facts at that moment (pipeline, stage, responsible, amount, currency); the database refuses
// a second open row. Lead statuses have the same kind of history.

describe.each(testDialects())('stage history on %s', (dialect) => {
  let s: TestServer;
  let otherUserId: number;
  const db = () => s.testDb.db.kysely;
  const ok = <T extends { status: number; body: any }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  const rows = (dealId: number) =>
    db().selectFrom('deal_stage_history').selectAll().where('deal_id', '=', dealId).orderBy('id').execute();
  /** Exactly one open row, and it is the last one, with these facts. */
  async function expectOpen(dealId: number, facts: Record<string, unknown>) {
    const all = await rows(dealId);
    const open = all.filter((r) => r.exited_at === null);
    expect(open).toHaveLength(1);
    expect(open[0]!.id).toBe(all[all.length - 1]!.id);
    expect({ ...open[0]!, amount: Number(open[0]!.amount) }).toMatchObject(facts);
    return all;
  }

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const now = new Date().toISOString();
    const user = await db()
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email: `sh-${dialect}@test.local`, name: 'Второй', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('password 123456'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    otherUserId = user.id;
  });
  afterAll(async () => s?.close());

  it('create, move (also to another pipeline) and the bulk move of a removed stage each leave one open row with the facts of the moment', async () => {
    const p1 = ok(await s.admin.post('/pipelines', { name: 'История 1' }), 201).body;
    const p2 = ok(await s.admin.post('/pipelines', { name: 'История 2' }), 201).body;
    const deal = ok(await s.admin.post('/deals', { pipelineId: p1.id, title: 'История', amount: 1000, currency: 'USD' }), 201).body;
    await expectOpen(deal.id, { pipeline_id: p1.id, stage_id: p1.stages[0].id, responsible_id: s.admin.user.id, amount: 1000, currency: 'USD', entered_by_id: s.admin.user.id });

    // later changes of amount and responsible show in the next row, not in the open one
    let d = ok(await s.admin.patch(`/deals/${deal.id}`, { version: deal.version, amount: 2500, responsibleId: otherUserId })).body;
    await expectOpen(deal.id, { stage_id: p1.stages[0].id, amount: 1000, responsible_id: s.admin.user.id });
    d = ok(await s.admin.post(`/deals/${deal.id}/move`, { stageId: p1.stages[1].id, version: d.version })).body;
    await expectOpen(deal.id, { pipeline_id: p1.id, stage_id: p1.stages[1].id, amount: 2500, responsible_id: otherUserId, currency: 'USD' });
    d = ok(await s.admin.post(`/deals/${deal.id}/move`, { stageId: p2.stages[0].id, version: d.version })).body;
    await expectOpen(deal.id, { pipeline_id: p2.id, stage_id: p2.stages[0].id, amount: 2500 });
    // a move within the column (same stage) writes no row
    const before = (await rows(deal.id)).length;
    ok(await s.admin.post(`/deals/${deal.id}/move`, { stageId: p2.stages[0].id, version: d.version }));
    expect(await rows(deal.id)).toHaveLength(before);

    // the stage is removed with its deals moved to another: one more row each, one open
    const others = [];
    for (let i = 0; i < 3; i++) others.push(ok(await s.admin.post('/deals', { pipelineId: p2.id, title: `Соседняя ${i}`, amount: 100 * i }), 201).body);
    ok(await s.admin.delete(`/pipelines/${p2.id}/stages/${p2.stages[0].id}?moveTo=${p2.stages[1].id}`), 204);
    await expectOpen(deal.id, { stage_id: p2.stages[1].id, amount: 2500, responsible_id: otherUserId });
    for (const [i, o] of others.entries()) {
      const all = await expectOpen(o.id, { stage_id: p2.stages[1].id, amount: 100 * i, pipeline_id: p2.id });
      expect(all).toHaveLength(2);
    }
    const api = ok(await s.admin.get(`/deals/${deal.id}/stage-history`)).body.items;
    expect(api.map((h: any) => h.stageName)).toEqual([p1.stages[0].name, p1.stages[1].name, p2.stages[0].name, p2.stages[1].name]);
    expect(api[1]).toMatchObject({ responsibleId: otherUserId, amount: 2500, currency: 'USD', pipelineId: p1.id });
  });

  it('a deal created by lead conversion starts its history with one open row', async () => {
    const lead = ok(await s.admin.post('/leads', { title: 'В сделку', amount: 4200 }), 201).body;
    const res = ok(await s.admin.post(`/leads/${lead.id}/convert`, { deal: {}, contact: { create: { firstName: "Иван" } } }));
    const dealId = res.body.deal.id;
    await expectOpen(dealId, { deal_id: dealId, stage_id: res.body.deal.stageId, amount: res.body.deal.amount, responsible_id: res.body.deal.responsibleId });
    expect(await rows(dealId)).toHaveLength(1);
  });

  it('the database refuses a second open row for a deal', async () => {
    const deal = ok(await s.admin.post('/deals', { title: 'Один открытый' }), 201).body;
    const [row] = await rows(deal.id);
    await expect(
      db()
        .insertInto('deal_stage_history')
        .values({ workspace_id: s.workspaceId, deal_id: deal.id, pipeline_id: row!.pipeline_id, stage_id: row!.stage_id, stage_semantic: 'in_progress', entered_at: new Date().toISOString(), amount: 0, currency: 'RUB' })
        .execute(),
    ).rejects.toThrow(/unique/i);
    // closed rows may repeat
    await db()
      .insertInto('deal_stage_history')
      .values({ workspace_id: s.workspaceId, deal_id: deal.id, pipeline_id: row!.pipeline_id, stage_id: row!.stage_id, stage_semantic: 'in_progress', entered_at: row!.entered_at, exited_at: row!.entered_at, amount: 0, currency: 'RUB' })
      .execute();
    expect((await rows(deal.id)).filter((r) => r.exited_at === null)).toHaveLength(1);
    void sql;
  });

  it('lead status changes are history rows with one open row and status_changed events; conversion closes it in converted', async () => {
    const statuses = ok(await s.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number; semantic: string }>;
    const inProgress = statuses.filter((x) => x.semantic === 'in_progress');
    const junk = statuses.find((x) => x.semantic === 'junk')!;
    const lead = ok(await s.admin.post('/leads', { title: 'Статусы' }), 201).body;
    let h = ok(await s.admin.get(`/leads/${lead.id}/status-history`)).body.items;
    expect(h).toMatchObject([{ statusId: lead.statusId, exitedAt: null, responsibleId: s.admin.user.id }]);
    const next = inProgress.find((x) => x.id !== lead.statusId) ?? junk;
    const changed = ok(await s.admin.patch(`/leads/${lead.id}`, { version: lead.version, statusId: next.id })).body;
    h = ok(await s.admin.get(`/leads/${lead.id}/status-history`)).body.items;
    expect(h.map((x: any) => [x.statusId, x.exitedAt === null])).toEqual([
      [lead.statusId, false],
      [next.id, true],
    ]);
    const tl = ok(await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(tl.find((e: any) => e.kind === 'status_changed').data).toMatchObject({ from: { statusId: lead.statusId }, to: { statusId: next.id } });
    // a PATCH that leaves the status alone writes no row
    const same = ok(await s.admin.patch(`/leads/${lead.id}`, { version: changed.version, comment: 'без статуса' })).body;
    expect(ok(await s.admin.get(`/leads/${lead.id}/status-history`)).body.items).toHaveLength(2);
    if (next.semantic !== 'junk') {
      ok(await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: { firstName: "Иван" } } }));
      h = ok(await s.admin.get(`/leads/${lead.id}/status-history`)).body.items;
      expect(h).toHaveLength(3);
      expect(h[2]).toMatchObject({ statusSemantic: 'converted', exitedAt: null });
      expect(h.filter((x: any) => x.exitedAt === null)).toHaveLength(1);
    }
    void same;
    await expect(
      db()
        .insertInto('lead_status_history')
        .values({ workspace_id: s.workspaceId, lead_id: lead.id, status_id: next.id, status_semantic: 'in_progress', entered_at: new Date().toISOString() })
        .execute(),
    ).rejects.toThrow(/unique/i);
  });
});
