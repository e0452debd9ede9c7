import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

// Timelines show an activity's entries (activity_created, activity_done, …) only to those who may
// read that activity: manager B observes manager A's deal and reads the department's contacts,
// but managers read only their own activities.

const PASSWORD = 'timeline password 1';

describe.each(testDialects())('activity entries in timelines follow the activity read scope on %s', (dialect) => {
  let s: TestServer;
  let A: ApiClient;
  let B: ApiClient;
  let dealId: number;
  let contactId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const roles = (await s.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const manager = roles.find((r) => r.code === 'manager')!.id;
    const departmentId = (await s.admin.post('/departments', { name: 'Продажи' })).body.id;
    const ids: number[] = [];
    for (const who of ['a', 'b']) {
      const res = await s.admin.post('/users', { email: `${who}@timeline.test`, name: who, password: PASSWORD, departmentId, roleIds: [manager] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    A = await ApiClient.login(s.baseUrl, 'a@timeline.test', PASSWORD);
    B = await ApiClient.login(s.baseUrl, 'b@timeline.test', PASSWORD);
    contactId = (await A.post('/contacts', { firstName: 'Клиент', lastName: 'Общий' })).body.id;
    const deal = await A.post('/deals', { title: 'Сделка с наблюдателем', observerIds: [ids[1]], contactIds: [contactId] });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    dealId = deal.body.id;
    for (const [entityType, entityId] of [['deal', dealId], ['contact', contactId]] as const) {
      const act = await A.post('/activities', { type: 'call', subject: `Секретный звонок ${entityType}`, entityType, entityId });
      expect(act.status, JSON.stringify(act.body)).toBe(201);
      expect((await A.post(`/activities/${act.body.id}/complete`, { result: 'секретный итог', version: act.body.version })).status).toBe(200);
    }
  });
  afterAll(() => s?.close());

  const kinds = async (c: ApiClient, path: string) => {
    const res = await c.get(path);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<{ kind: string; data: Record<string, unknown> }>;
  };

  for (const [label, path] of [['deal', () => `/deals/${dealId}/timeline`], ['contact', () => `/contacts/${contactId}/timeline`]] as const) {
    it(`${label}: the reader without the activity's read scope sees the record's history but none of its activity entries`, async () => {
      const own = await kinds(A, path());
      expect(own.map((e) => e.kind)).toEqual(expect.arrayContaining(['activity_created', 'activity_done']));
      const admin = await kinds(s.admin, path());
      expect(admin.filter((e) => e.kind.startsWith('activity_'))).toHaveLength(2);
      const other = await kinds(B, path());
      expect(other.length).toBeGreaterThan(0); // B may read the record
      expect(other.filter((e) => e.kind.startsWith('activity_'))).toEqual([]);
      expect(JSON.stringify(other)).not.toContain('Секретный');
      expect(JSON.stringify(other)).not.toContain('секретный итог');
    });
  }

  it('pages stay full and the cursor continues past hidden entries', async () => {
    for (let i = 0; i < 3; i++) await A.post(`/deals/${dealId}/timeline`, { text: `комментарий ${i}` });
    const first = await B.get(`/deals/${dealId}/timeline`, { limit: 2 });
    expect(first.body.items).toHaveLength(2);
    const all = (await kinds(B, `/deals/${dealId}/timeline`)).map((e) => e.kind);
    let seen = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await B.get(`/deals/${dealId}/timeline`, { limit: 2, cursor });
      seen = [...seen, ...next.body.items];
      cursor = next.body.nextCursor;
    }
    expect(seen.map((e: { kind: string }) => e.kind)).toEqual(all);
  });

  it("a deal's next activity is named only to those who may read it: get, list, board, column, update, move and the 409 answer", async () => {
    const me = (await A.get('/auth/me')).body.user;
    const own = await A.post('/deals', { title: 'Сделка со звонком руководителя' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const yesterday = new Date(s.clock.now().getTime() - 86_400_000).toISOString();
    // the administrator plans a call of their own on A's deal: A may change the deal but not read the call
    const call = await s.admin.post('/activities', { type: 'call', subject: 'Звонок руководителя', deadlineAt: yesterday, entityType: 'deal', entityId: own.body.id });
    expect(call.status, JSON.stringify(call.body)).toBe(201);
    expect((await A.get(`/activities/${call.body.id}`)).status).toBe(404);

    const asAdmin = (await s.admin.get(`/deals/${own.body.id}`)).body;
    expect(asAdmin.nextActivity).toEqual({ id: call.body.id, deadline: yesterday });
    const hidden = (d: { id: number; nextActivity: unknown; overdue: boolean; noNextStep: boolean }) => {
      expect(d.id).toBe(own.body.id);
      expect(d.nextActivity).toBeNull();
      expect(d.overdue).toBe(true); // a fact of the deal, which A reads
      expect(d.noNextStep).toBe(false);
    };
    hidden((await A.get(`/deals/${own.body.id}`)).body);
    hidden((await A.get('/deals', { limit: 100 })).body.items.find((d: { id: number }) => d.id === own.body.id));
    const board = (await A.get(`/pipelines/${own.body.pipelineId}/board`)).body;
    const column = board.columns.find((c: { stage: { id: number } }) => c.stage.id === own.body.stageId);
    hidden(column.items.find((d: { id: number }) => d.id === own.body.id));
    const columnPage = (await A.get(`/pipelines/${own.body.pipelineId}/board/${own.body.stageId}`)).body;
    hidden(columnPage.items.find((d: { id: number }) => d.id === own.body.id));
    const updated = await A.patch(`/deals/${own.body.id}`, { title: 'Сделка со звонком (переименована)', version: asAdmin.version });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    hidden(updated.body);
    const stages = (await A.get(`/pipelines/${own.body.pipelineId}`)).body.stages as Array<{ id: number; semantic: string }>;
    const next = stages.filter((st) => st.semantic === 'in_progress').find((st) => st.id !== own.body.stageId)!;
    const moved = await A.post(`/deals/${own.body.id}/move`, { stageId: next.id, version: updated.body.version });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    hidden(moved.body);
    const stale = await A.patch(`/deals/${own.body.id}`, { title: 'устаревшая версия', version: asAdmin.version });
    expect(stale.status).toBe(409);
    hidden(stale.body.error.current);
    expect(JSON.stringify([stale.body, moved.body, updated.body, board])).not.toContain(String(yesterday));
    expect(me.id).toBe(own.body.responsibleId);
  });
});
