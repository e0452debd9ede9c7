import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(testDialects())('deals board, positions and pagination on %s', (dialect) => {
  let s: TestServer;
  let pipelineId: number;
  let stages: Array<{ id: number; semantic: string }>;
  /** an in-progress stage for position tests, kept apart from the counting tests */
  let posStage: number;

  const db = () => s.testDb.db.kysely;

  async function createDeals(n: number, body: (i: number) => Record<string, unknown>): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await s.admin.post('/deals', body(i));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      s.clock.advance(1000);
    }
    return ids;
  }

  async function column(stageId: number, query: Record<string, string | number> = {}): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await s.admin.get(`/pipelines/${pipelineId}/board/${stageId}`, { limit: 7, ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((d: { id: number }) => d.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  }

  const positionsOf = async (ids: number[]) =>
    new Map((await db().selectFrom('deals').select(['id', 'position']).where('id', 'in', ids).execute()).map((r) => [r.id, r.position]));

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const p = await s.ctx.services.pipelines.defaultPipeline(db(), s.workspaceId);
    pipelineId = p.id;
    stages = p.stages;
    posStage = p.stages.filter((st) => st.semantic === 'in_progress')[2]!.id;
  });
  afterAll(() => s?.close());

  it('returns every stage with count, sums per currency and the first cards, respecting filters', async () => {
    const first = stages[0]!.id;
    const second = stages[1]!.id;
    await createDeals(25, (i) => ({ title: `Доска ${i}`, stageId: first, amount: 1000 + i, currency: i % 5 === 0 ? 'USD' : 'RUB', tags: i % 2 ? ['чёт'] : [] }));
    await createDeals(3, (i) => ({ title: `Вторая ${i}`, stageId: second, amount: 10 }));

    const res = await s.admin.get(`/pipelines/${pipelineId}/board`, { limit: 10 });
    expect(res.status).toBe(200);
    expect(res.body.pipeline).toMatchObject({ id: pipelineId });
    expect(res.body.columns.map((c: { stage: { id: number } }) => c.stage.id)).toEqual(stages.map((st) => st.id));
    const col1 = res.body.columns[0];
    expect(col1.count).toBe(25);
    const usd = [0, 5, 10, 15, 20].reduce((a, i) => a + 1000 + i, 0);
    const all = Array.from({ length: 25 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0);
    expect(col1.sums).toEqual([
      { currency: 'RUB', amount: all - usd },
      { currency: 'USD', amount: usd },
    ]);
    expect(col1.items).toHaveLength(10);
    expect(col1.nextCursor).toEqual(expect.any(String));
    expect(col1.items[0]).toMatchObject({ stageId: first, title: expect.any(String), version: 1, tags: expect.any(Array) });
    expect(res.body.columns[1]).toMatchObject({ count: 3, sums: [{ currency: 'RUB', amount: 30 }], nextCursor: null });

    // new deals land on top: the column reads newest first
    const ids = await column(first);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const filtered = await s.admin.get(`/pipelines/${pipelineId}/board`, { tag: 'чёт', currency: 'RUB' });
    expect(filtered.body.columns[0].count).toBe(10);
    expect(filtered.body.columns[1].count).toBe(0);
    expect(await column(first, { tag: 'чёт' })).toHaveLength(12);

    expect((await s.admin.get(`/pipelines/${pipelineId}/board`, { limit: 101 })).status).toBe(400);
    expect((await s.admin.get(`/pipelines/999999/board`)).status).toBe(404);
    expect((await s.admin.get(`/pipelines/${pipelineId}/board/999999`)).status).toBe(404);
    expect((await s.admin.get(`/pipelines/${pipelineId}/board/${first}`, { cursor: 'garbage' })).status).toBe(400);
  });

  it('moves cards to the top, the bottom and between two cards', async () => {
    const ids = await createDeals(5, (i) => ({ title: `Позиция ${i}`, stageId: posStage }));
    const [a, b, c, d, e] = ids as [number, number, number, number, number];
    expect(await column(posStage)).toEqual([e, d, c, b, a]);

    const move = (id: number, body: Record<string, unknown>) => s.admin.post(`/deals/${id}/move`, { stageId: posStage, ...body });
    expect((await move(e, { afterId: a })).status).toBe(200); // bottom
    expect(await column(posStage)).toEqual([d, c, b, a, e]);
    expect((await move(a, {})).status).toBe(200); // top
    expect(await column(posStage)).toEqual([a, d, c, b, e]);
    expect((await move(b, { afterId: a })).status).toBe(200); // between a and d
    expect(await column(posStage)).toEqual([a, b, d, c, e]);
    expect((await move(e, { beforeId: d })).status).toBe(200); // between b and d
    expect(await column(posStage)).toEqual([a, b, e, d, c]);
    expect((await move(c, { afterId: null })).status).toBe(200);
    expect(await column(posStage)).toEqual([c, a, b, e, d]);

    const bad = await move(a, { afterId: a });
    expect(bad.status).toBe(400);
    const otherStage = (await s.admin.post('/deals', { title: 'В другой колонке', stageId: stages[0]!.id })).body.id;
    expect((await move(a, { afterId: otherStage })).body.error.fields[0].path).toBe('afterId');
  });

  it('50 moves to the same spot keep the order and never rewrite another card', async () => {
    const ids = await createDeals(52, (i) => ({ title: `Плотно ${i}`, stageId: stages[1]!.id }));
    // move every card, one by one, between the same two fixed cards: lo and hi
    const lo = ids[0]!;
    const hi = ids[1]!;
    await s.admin.post(`/deals/${lo}/move`, { stageId: posStage });
    await s.admin.post(`/deals/${hi}/move`, { stageId: posStage, afterId: lo });
    const movers = ids.slice(2);
    for (const id of movers) {
      const before = await positionsOf([lo, hi, ...movers]);
      const res = await s.admin.post(`/deals/${id}/move`, { stageId: posStage, afterId: lo });
      expect(res.status).toBe(200);
      const after = await positionsOf([lo, hi, ...movers]);
      for (const [other, pos] of before) if (other !== id) expect(after.get(other)).toBe(pos);
    }
    const col = await column(posStage);
    const i = col.indexOf(lo);
    // each mover landed right below lo, so they read in reverse order of moving, then hi
    expect(col.slice(i, i + movers.length + 2)).toEqual([lo, ...[...movers].reverse(), hi]);
    const keys = [...(await positionsOf(col)).values()];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keyset pagination returns every deal exactly once for several sorts, with an optional total', async () => {
    // equal amounts and equal creation times make ties that only the id breaks
    await createDeals(12, (i) => ({ title: `Страницы ${i}`, amount: (i % 3) * 100, tags: ['страницы'] }));
    await db().updateTable('deals').set({ created_at: '2026-01-01T00:00:00.000Z' }).where('title', 'like', 'Страницы%').where('id', '>', 0).execute();
    const expected = (await s.admin.get('/deals', { tag: 'страницы', limit: 500, withTotal: 'true' })).body;
    expect(expected.total).toBe(12);
    for (const sort of ['id', '-id', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'amount', '-amount']) {
      const seen: Array<{ id: number; amount: number }> = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await s.admin.get('/deals', { tag: 'страницы', sort, limit: 5, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen.map((d) => d.id).sort((a, b) => a - b)).toEqual(expected.items.map((d: { id: number }) => d.id).sort((a: number, b: number) => a - b));
      if (sort === 'amount') expect(seen.map((d) => d.amount)).toEqual([...seen.map((d) => d.amount)].sort((a, b) => a - b));
      if (sort === '-amount') expect(seen.map((d) => d.amount)).toEqual([...seen.map((d) => d.amount)].sort((a, b) => b - a));
    }
  });
});
