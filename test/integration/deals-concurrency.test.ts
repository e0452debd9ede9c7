import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(testDialects())('concurrent deal writes on %s', (dialect) => {
  let s: TestServer;
  let stages: Array<{ id: number; semantic: string }>;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    stages = (await s.ctx.services.pipelines.defaultPipeline(s.testDb.db.kysely, s.workspaceId)).stages;
  });
  afterAll(() => s?.close());

  it('two PATCHes of one version: exactly one wins, the other gets 409 with the current record; no lost update', async () => {
    for (let round = 0; round < 5; round++) {
      const d = (await s.admin.post('/deals', { title: `Гонка ${round}`, amount: 100 })).body;
      const [r1, r2] = await Promise.all([
        s.admin.patch(`/deals/${d.id}`, { version: 1, title: 'Первый', amount: 111 }),
        s.admin.patch(`/deals/${d.id}`, { version: 1, title: 'Второй', probability: 50 }),
      ]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const winner = r1.status === 200 ? r1 : r2;
      const loser = r1.status === 200 ? r2 : r1;
      expect(loser.body.error.code).toBe('version_conflict');
      expect(loser.body.error.current).toMatchObject({ id: d.id, version: 2, title: winner.body.title });
      const final = (await s.admin.get(`/deals/${d.id}`)).body;
      expect(final).toEqual(winner.body);
      const updates = await s.testDb.db.kysely
        .selectFrom('timeline_entries')
        .select('kind')
        .where('entity_type', '=', 'deal')
        .where('entity_id', '=', d.id)
        .where('kind', '=', 'updated')
        .execute();
      expect(updates).toHaveLength(1);
    }
  });

  it('two moves of one version: one wins, one 409; the stage history has one open row', async () => {
    const inProgress = stages.filter((st) => st.semantic === 'in_progress');
    const won = stages.find((st) => st.semantic === 'success')!;
    for (let round = 0; round < 5; round++) {
      const d = (await s.admin.post('/deals', { title: `Перемещение ${round}` })).body;
      const [r1, r2] = await Promise.all([
        s.admin.post(`/deals/${d.id}/move`, { stageId: inProgress[1]!.id, version: 1 }),
        s.admin.post(`/deals/${d.id}/move`, { stageId: won.id, version: 1 }),
      ]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const winner = r1.status === 200 ? r1 : r2;
      const loser = r1.status === 200 ? r2 : r1;
      expect(loser.body.error).toMatchObject({ code: 'version_conflict', current: { stageId: winner.body.stageId, version: 2 } });
      const final = (await s.admin.get(`/deals/${d.id}`)).body;
      expect(final).toEqual(winner.body);
      const history = (await s.admin.get(`/deals/${d.id}/stage-history`)).body.items;
      expect(history.map((h: { stageId: number }) => h.stageId)).toEqual([inProgress[0]!.id, winner.body.stageId]);
      expect(history.filter((h: { exitedAt: string | null }) => h.exitedAt === null)).toHaveLength(1);
    }
  });

  it('a PATCH racing a product-rows PUT: one wins, the deal stays consistent with its rows', async () => {
    const d = (await s.admin.post('/deals', { title: 'Товары и правка' })).body;
    const [put, patch] = await Promise.all([
      s.admin.put(`/deals/${d.id}/products`, { version: 1, rows: [{ name: 'Товар', price: 5000, quantity: '2', vatRate: 'none', vatIncluded: true }] }),
      s.admin.patch(`/deals/${d.id}`, { version: 1, amount: 1 }),
    ]);
    expect([put.status, patch.status].sort()).toEqual([200, 409]);
    const final = (await s.admin.get(`/deals/${d.id}`)).body;
    expect(final.amount).toBe(put.status === 200 ? 10_000 : 1);
  });
});
