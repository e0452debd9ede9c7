import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

// A board column under a restricted read scope is read as a merge of one ordered walk per
// responsible plus the observed deals (src/modules/deals/board-column.ts). Whatever the page
// size, filter or cursor, each viewer must get exactly the administrator's column, in the same
// order, narrowed to the deals of the responsibles in scope and the deals the viewer observes.
//   Department D: head H, managers A and B, and N (own deals, but the whole department in the
//   default pipeline through a per-pipeline grant); department E: manager C.

const PASSWORD = 'board scope password';
type Who = 'A' | 'B' | 'C' | 'H' | 'N';
type Query = Record<string, string | number>;

describe.each(testDialects())('board columns under a restricted scope on %s', (dialect) => {
  let s: TestServer;
  let pipelineId: number;
  let stageId: number;
  let adminId: number;
  const clients = {} as Record<Who, ApiClient>;
  const ids = {} as Record<Who, number>;
  /** deal id → responsible and observers, as created */
  const deals = new Map<number, { responsible: number; observers: number[] }>();

  /** the responsibles each viewer's scope opens in the default pipeline */
  const scopeOf = (who: Who): number[] => (who === 'A' ? [ids.A] : [ids.A, ids.B, ids.H, ids.N]);

  async function wholeColumn(client: ApiClient, query: Query, limit: number): Promise<number[][]> {
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const res = await client.get(`/pipelines/${pipelineId}/board/${stageId}`, { limit, ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body.items.map((d: { id: number }) => d.id));
      cursor = res.body.nextCursor ?? undefined;
      expect(pages.length).toBeLessThan(100);
    } while (cursor);
    return pages;
  }

  /** the administrator's column (every deal), narrowed to what `who` may read */
  async function expectedColumn(who: Who, query: Query): Promise<number[]> {
    const all = (await wholeColumn(s.admin, query, 100)).flat();
    const scope = scopeOf(who);
    return all.filter((id) => {
      const d = deals.get(id);
      return d !== undefined && (scope.includes(d.responsible) || d.observers.includes(ids[who]));
    });
  }

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const pipeline = await s.ctx.services.pipelines.defaultPipeline(s.testDb.db.kysely, s.workspaceId);
    pipelineId = pipeline.id;
    stageId = pipeline.stages.filter((st) => st.semantic === 'in_progress')[1]!.id;
    adminId = (await s.admin.get('/auth/me')).body.user.id;

    const roles = (await s.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
    const narrowed = await s.admin.post('/roles', {
      name: 'Своё, а в основной воронке — отдел',
      permissions: [
        { entity: 'deal', action: 'read', level: 'own' },
        { entity: 'deal', action: 'read', level: 'department', pipelineId },
      ],
    });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(201);
    const dept = async (name: string) => (await s.admin.post('/departments', { name })).body.id as number;
    const d = await dept('Отдел D');
    const e = await dept('Отдел E');
    const layout: Record<Who, { dept: number; roleId: number }> = {
      A: { dept: d, roleId: roleId('manager') },
      B: { dept: d, roleId: roleId('manager') },
      H: { dept: d, roleId: roleId('head_of_sales') },
      N: { dept: d, roleId: narrowed.body.id },
      C: { dept: e, roleId: roleId('manager') },
    };
    for (const [who, l] of Object.entries(layout) as Array<[Who, { dept: number; roleId: number }]>) {
      const email = `${who.toLowerCase()}@board-scope.test`;
      const res = await s.admin.post('/users', { email, name: `Сотрудник ${who}`, password: PASSWORD, departmentId: l.dept, roleIds: [l.roleId] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[who] = res.body.id;
      clients[who] = await ApiClient.login(s.baseUrl, email, PASSWORD);
    }
    expect((await s.admin.patch(`/departments/${d}`, { headId: ids.H, version: 1 })).status).toBe(200);

    // 40 cards in one column, owners interleaved; new cards land on top, so the order mixes them
    const owners = [ids.A, ids.B, ids.C, ids.H, ids.N, adminId, ids.A, ids.C];
    for (let i = 0; i < 40; i++) {
      const responsible = owners[i % owners.length]!;
      // observed by others: a deal of C in the middle of the order (A and H watch it), one of B
      // (inside H's scope, outside A's), one of the administrator and one A owns and watches
      const observers = i === 18 ? [ids.A, ids.H] : i === 9 ? [ids.A] : i === 29 ? [ids.A, ids.N] : i === 6 ? [ids.A] : [];
      const title = `${i % 3 === 0 ? 'Искомое ' : ''}карточка ${i}`;
      const res = await s.admin.post('/deals', { title, stageId, responsibleId: responsible, observerIds: observers });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      deals.set(res.body.id, { responsible, observers });
      s.clock.advance(1000);
    }
    // a few moves, so the order is not just the order of creation
    const created = [...deals.keys()];
    for (const [id, afterId] of [
      [created[2]!, created[30]!],
      [created[18]!, created[25]!],
      [created[35]!, created[1]!],
    ] as const) {
      expect((await s.admin.post(`/deals/${id}/move`, { stageId, afterId })).status).toBe(200);
    }
  });
  afterAll(() => s?.close());

  const cases: Array<[Who, Query]> = (['A', 'H', 'N'] as Who[]).flatMap((who) => [
    [who, {}],
    [who, { q: 'искомое' }],
    // manager A, named by id: 'me' would mean someone else for the administrator
    [who, { responsibleId: 'A' }],
  ]);

  it.each(cases)('%s pages through the column exactly as the administrator sees it, filter %j', async (who, named) => {
    const query = named.responsibleId === 'A' ? { ...named, responsibleId: ids.A } : named;
    const expected = await expectedColumn(who, query);
    expect(expected.length).toBeGreaterThan(query.q || query.responsibleId ? 1 : 5);
    for (const limit of [1, 3, 7, 100]) {
      const pages = await wholeColumn(clients[who], query, limit);
      expect(pages.flat()).toEqual(expected);
      // full pages until the last one, and the first page is what the board shows
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
      const board = await clients[who].get(`/pipelines/${pipelineId}/board`, { limit, ...query });
      expect(board.status).toBe(200);
      const column = board.body.columns.find((c: { stage: { id: number } }) => c.stage.id === stageId);
      expect(column.items.map((d: { id: number }) => d.id)).toEqual(expected.slice(0, limit));
      expect(column.count).toBe(expected.length);
      expect(column.nextCursor === null).toBe(expected.length <= limit);
    }
  });

  it('puts the observed deal of someone outside the scope in its place in the order', async () => {
    const observedOutside = [...deals].filter(([, d]) => d.observers.includes(ids.A) && d.responsible !== ids.A).map(([id]) => id);
    const seen = (await wholeColumn(clients.A, {}, 4)).flat();
    for (const id of observedOutside) expect(seen).toContain(id);
    // the deal of C that A and H watch sits between A's own cards, not at either end
    const ofC = observedOutside.find((id) => deals.get(id)!.responsible === ids.C)!;
    const at = seen.indexOf(ofC);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(seen.length - 1);
    // C itself sees only its own cards: nobody gave C a look at the others
    const ofCOnly = (await wholeColumn(clients.C, {}, 5)).flat();
    expect(ofCOnly.every((id) => deals.get(id)!.responsible === ids.C)).toBe(true);
    expect(ofCOnly).toHaveLength([...deals.values()].filter((d) => d.responsible === ids.C).length);
  });
});
