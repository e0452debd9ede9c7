import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { up as upTotals } from '../../src/db/migrations/008_deal_stage_totals.js';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

// deal_stage_totals is kept by triggers: after any mix of writes it must equal a GROUP BY over
// deals, and the board's counts and sums (read from it) must equal a count computed here from
// the deals themselves, for the administrator and for managers who see their own and observed deals.

type Sums = Array<{ currency: string; amount: number }>;
interface Column {
  stage: { id: number };
  count: number;
  sums: Sums;
}
interface Stage {
  id: number;
  semantic: string;
  pipelineId: number;
}

const CURRENCIES = ['RUB', 'USD', 'EUR'] as const;

describe.each(testDialects())('deal stage totals on %s', (dialect) => {
  let s: TestServer;
  let users: Array<{ client: ApiClient; id: number }>;
  let managerA: { client: ApiClient; id: number };
  let managerB: { client: ApiClient; id: number };
  let pipelines: Array<{ id: number; stages: Stage[] }>;
  let lossReasonId: number;
  let spareStage = 0;

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

  const ok = <T extends { status: number; body: unknown }>(res: T, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };

  const allStages = () => pipelines.flatMap((p) => p.stages);
  const lossFor = (stage: Stage) => (stage.semantic === 'failure' ? { lossReasonId } : {});

  async function dealIds(): Promise<number[]> {
    const rows = await db().selectFrom('deals').select('id').where('workspace_id', '=', s.workspaceId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }
  const versionOf = async (id: number) => (await db().selectFrom('deals').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  /** The board's count and sums per stage, computed here from the deals the actor may read. */
  async function expectedBoard(pipelineId: number, viewer: number | null, filter: { currency?: string; responsibleId?: number; closed?: boolean } = {}) {
    const deals = await db()
      .selectFrom('deals')
      .select(['id', 'stage_id', 'currency', 'amount', 'responsible_id', 'closed'])
      .where('workspace_id', '=', s.workspaceId)
      .where('pipeline_id', '=', pipelineId)
      .execute();
    const observed = new Set(
      viewer === null
        ? []
        : (await db().selectFrom('deal_observers').select('deal_id').where('workspace_id', '=', s.workspaceId).where('user_id', '=', viewer).execute()).map((r) => r.deal_id),
    );
    const out = new Map<number, { count: number; sums: Map<string, number> }>();
    for (const d of deals) {
      if (viewer !== null && d.responsible_id !== viewer && !observed.has(d.id)) continue;
      if (filter.currency && d.currency !== filter.currency) continue;
      if (filter.responsibleId && d.responsible_id !== filter.responsibleId) continue;
      if (filter.closed !== undefined && Boolean(d.closed) !== filter.closed) continue;
      const col = out.get(d.stage_id) ?? { count: 0, sums: new Map<string, number>() };
      col.count++;
      col.sums.set(d.currency, (col.sums.get(d.currency) ?? 0) + Number(d.amount));
      out.set(d.stage_id, col);
    }
    return out;
  }

  async function checkBoard(client: ApiClient, viewer: number | null, pipelineId: number, filter: { currency?: string; responsibleId?: number; closed?: boolean } = {}) {
    const res = ok(await client.get(`/pipelines/${pipelineId}/board`, { limit: 1, ...filter }));
    const expected = await expectedBoard(pipelineId, viewer, filter);
    for (const col of res.body.columns as Column[]) {
      const want = expected.get(col.stage.id);
      const wantSums: Sums = [...(want?.sums ?? new Map<string, number>())].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => a.currency.localeCompare(b.currency));
      expect({ stage: col.stage.id, filter, viewer, count: col.count, sums: col.sums }).toEqual({ stage: col.stage.id, filter, viewer, count: want?.count ?? 0, sums: wantSums });
    }
  }

  /** how many checks ran while manager A observed deals of someone else: the case the live add-on covers */
  let checksWithObservedOutside = 0;

  async function checkInvariants() {
    const observedOutside = await db()
      .selectFrom('deal_observers as o')
      .innerJoin('deals as d', 'd.id', 'o.deal_id')
      .select('d.id')
      .where('o.user_id', '=', managerA.id)
      .where('d.responsible_id', '<>', managerA.id)
      .execute();
    if (observedOutside.length > 0) checksWithObservedOutside++;

    // the whole table, every workspace: it must be exactly the GROUP BY, with no zero rows left
    const totals = await db()
      .selectFrom('deal_stage_totals')
      .select(['workspace_id', 'pipeline_id', 'stage_id', 'responsible_id', 'currency', 'deals', 'amount'])
      .orderBy('workspace_id')
      .orderBy('stage_id')
      .orderBy('responsible_id')
      .orderBy('currency')
      .execute();
    const grouped = await db()
      .selectFrom('deals')
      .select((eb) => ['workspace_id', 'pipeline_id', 'stage_id', 'responsible_id', 'currency', eb.fn.countAll<number>().as('deals'), eb.fn.sum<number>('amount').as('amount')])
      .groupBy(['workspace_id', 'pipeline_id', 'stage_id', 'responsible_id', 'currency'])
      .orderBy('workspace_id')
      .orderBy('stage_id')
      .orderBy('responsible_id')
      .orderBy('currency')
      .execute();
    const norm = (rows: typeof totals) => rows.map((r) => ({ ...r, deals: Number(r.deals), amount: Number(r.amount) }));
    expect(norm(totals)).toEqual(norm(grouped));

    for (const p of pipelines) {
      await checkBoard(s.admin, null, p.id);
      await checkBoard(managerA.client, managerA.id, p.id);
      await checkBoard(managerB.client, managerB.id, p.id);
    }
    const main = pipelines[0]!.id;
    // filters the totals can answer, and one (closed) that falls back to the live query
    await checkBoard(s.admin, null, main, { currency: 'USD' });
    await checkBoard(s.admin, null, main, { responsibleId: managerB.id });
    await checkBoard(managerA.client, managerA.id, main, { currency: 'RUB' });
    await checkBoard(managerA.client, managerA.id, main, { closed: false });
  }

  beforeAll(async () => {
    s = await startTestServer(dialect);
    managerA = await addManager(`totals-a-${dialect}@test.local`);
    managerB = await addManager(`totals-b-${dialect}@test.local`);
    const adminId = s.admin.user.id as number;
    users = [{ client: s.admin, id: adminId }, managerA, managerB];
    const first = await s.ctx.services.pipelines.defaultPipeline(db(), s.workspaceId);
    const second = ok(await s.admin.post('/pipelines', { name: 'Вторая воронка' }), 201).body;
    pipelines = [first, second].map((p: { id: number; stages: Array<{ id: number; semantic: string }> }) => ({
      id: p.id,
      stages: p.stages.map((st) => ({ id: st.id, semantic: st.semantic, pipelineId: p.id })),
    }));
    lossReasonId = (
      await db().selectFrom('reference_items').select('id').where('workspace_id', '=', s.workspaceId).where('kind', '=', 'loss-reasons').orderBy('sort').executeTakeFirstOrThrow()
    ).id;
    // another workspace's deals must stay out of this one's totals
    const other = await s.newWorkspace('Чужая');
    ok(await other.admin.post('/deals', { title: 'Чужая сделка', amount: 777, currency: 'USD' }), 201);
  });
  afterAll(() => s?.close());


  // weighted so that deals accumulate: creates outnumber deletes
  const create = fc.record({
    kind: fc.constant('create' as const),
    stage: fc.nat(),
    user: fc.nat(2),
    currency: fc.constantFrom(...CURRENCIES),
    amount: fc.nat(1_000_000),
    observeA: fc.boolean(),
  });
  const patch = fc.record({
    kind: fc.constant('patch' as const),
    deal: fc.nat(),
    amount: fc.option(fc.nat(1_000_000), { nil: undefined }),
    currency: fc.option(fc.constantFrom(...CURRENCIES), { nil: undefined }),
    user: fc.option(fc.nat(2), { nil: undefined }),
    observeA: fc.option(fc.boolean(), { nil: undefined }),
  });
  const move = fc.record({ kind: fc.constant('move' as const), deal: fc.nat(), stage: fc.nat() });
  const products = fc.record({ kind: fc.constant('products' as const), deal: fc.nat(), prices: fc.array(fc.nat(100_000), { maxLength: 3 }) });
  const remove = fc.record({ kind: fc.constant('delete' as const), deal: fc.nat() });
  const dropStage = fc.record({ kind: fc.constant('dropStage' as const), deals: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), target: fc.nat() });
  const op = fc.oneof(
    { weight: 4, arbitrary: create },
    { weight: 3, arbitrary: patch },
    { weight: 3, arbitrary: move },
    { weight: 2, arbitrary: products },
    { weight: 1, arbitrary: remove },
    { weight: 1, arbitrary: dropStage },
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

  async function apply(o: Op): Promise<void> {
    const ids = await dealIds();
    const pick = (n: number) => ids[n % ids.length]!;
    if (o.kind !== 'create' && ids.length === 0) return;
    switch (o.kind) {
      case 'create': {
        const stage = allStages()[o.stage % allStages().length]!;
        const body = { title: 'Сделка', stageId: stage.id, responsibleId: users[o.user]!.id, currency: o.currency, amount: o.amount, observerIds: o.observeA ? [managerA.id] : [] };
        ok(await s.admin.post('/deals', { ...body, ...lossFor(stage) }), 201);
        return;
      }
      case 'patch': {
        const id = pick(o.deal);
        const body: Record<string, unknown> = { version: await versionOf(id) };
        // a deal with product rows takes its amount from them (a PATCH of it is refused)
        const hasRows = await db().selectFrom('deal_products').select('id').where('deal_id', '=', id).executeTakeFirst();
        if (o.amount !== undefined && !hasRows) body.amount = o.amount;
        if (o.currency !== undefined) body.currency = o.currency;
        if (o.user !== undefined) body.responsibleId = users[o.user]!.id;
        if (o.observeA !== undefined) body.observerIds = o.observeA ? [managerA.id] : [];
        ok(await s.admin.patch(`/deals/${id}`, body));
        return;
      }
      case 'move': {
        const stage = allStages()[o.stage % allStages().length]!;
        ok(await s.admin.post(`/deals/${pick(o.deal)}/move`, { stageId: stage.id, ...lossFor(stage) }));
        return;
      }
      case 'products': {
        const id = pick(o.deal);
        const rows = o.prices.map((price, i) => ({ name: `Позиция ${i}`, price, quantity: '2', vatRate: 'none', vatIncluded: true }));
        ok(await s.admin.put(`/deals/${id}/products`, { rows }));
        return;
      }
      case 'delete':
        ok(await s.admin.delete(`/deals/${pick(o.deal)}`), 204);
        return;
      case 'dropStage': {
        // a fresh open stage in the first pipeline collects a few deals, then is deleted: its
        // deals move set-based (moveAllFromStage) to another stage of the pipeline
        const p = pipelines[0]!;
        const stage = ok(await s.admin.post(`/pipelines/${p.id}/stages`, { name: `Временная ${++spareStage}`, color: '#AABBCC', semantic: 'in_progress', position: 0 }), 201).body;
        for (const n of o.deals) ok(await s.admin.post(`/deals/${pick(n)}/move`, { stageId: stage.id }));
        const targets = p.stages.filter((st) => st.semantic !== 'failure');
        const target = targets[o.target % targets.length]!;
        ok(await s.admin.delete(`/pipelines/${p.id}/stages/${stage.id}?moveTo=${target.id}`), 204);
        return;
      }
    }
  }

  it('after random creates, edits, moves, product rows, deletes and stage deletions, totals and boards stay exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 20 }), async (ops) => {
        for (const o of ops) await apply(o);
        await checkInvariants();
      }),
      { numRuns: 10, endOnFailure: true },
    );
    // the checks did meet a manager observing deals outside their own scope
    expect(checksWithObservedOutside).toBeGreaterThan(0);
  }, 120_000);

  it('a deal observed by a manager counts once on their board, whoever is responsible', async () => {
    const p = pipelines[1]!;
    const stage = p.stages[0]!;
    const before = await expectedBoard(p.id, managerA.id);
    const created = ok(await s.admin.post('/deals', { title: 'Наблюдаемая', stageId: stage.id, responsibleId: managerB.id, amount: 500, currency: 'EUR', observerIds: [managerA.id] }), 201).body;
    const own = ok(await s.admin.post('/deals', { title: 'Своя и наблюдаемая', stageId: stage.id, responsibleId: managerA.id, amount: 300, currency: 'EUR', observerIds: [managerA.id] }), 201).body;
    const board = ok(await managerA.client.get(`/pipelines/${p.id}/board`)).body as { columns: Column[] };
    const col = board.columns.find((c) => c.stage.id === stage.id)!;
    expect(col.count).toBe((before.get(stage.id)?.count ?? 0) + 2);
    expect(col.sums.find((x) => x.currency === 'EUR')!.amount).toBe((before.get(stage.id)?.sums.get('EUR') ?? 0) + 800);
    // manager B sees the first one (responsible), not the second
    await checkBoard(managerB.client, managerB.id, p.id);
    ok(await s.admin.delete(`/deals/${created.id}`), 204);
    ok(await s.admin.delete(`/deals/${own.id}`), 204);
    await checkInvariants();
  });

  it('reads counts from the totals table when the filters allow it, and counts live otherwise', async () => {
    // skew one totals row on purpose: only a board that reads the table shows the skew
    const p = pipelines[0]!;
    const stage = p.stages[0]!;
    ok(await s.admin.post('/deals', { title: 'Метка', stageId: stage.id, responsibleId: managerB.id, amount: 10, currency: 'RUB' }), 201);
    const skew = (delta: number) =>
      db()
        .updateTable('deal_stage_totals')
        .set({ deals: sql<number>`deals + ${delta}` })
        .where('workspace_id', '=', s.workspaceId)
        .where('stage_id', '=', stage.id)
        .where('responsible_id', '=', managerB.id)
        .where('currency', '=', 'RUB')
        .execute();
    const countOf = async (query: Record<string, string | number>) => {
      const board = ok(await s.admin.get(`/pipelines/${p.id}/board`, { limit: 1, ...query })).body as { columns: Column[] };
      return board.columns.find((c) => c.stage.id === stage.id)!.count;
    };
    const [fromTotals, live] = [await countOf({ responsibleId: managerB.id }), await countOf({ responsibleId: managerB.id, amountFrom: 0 })];
    expect(fromTotals).toBe(live);
    await skew(1000);
    try {
      expect(await countOf({ responsibleId: managerB.id })).toBe(live + 1000);
      expect(await countOf({ responsibleId: managerB.id, amountFrom: 0 })).toBe(live);
    } finally {
      await skew(-1000);
    }
    await checkInvariants();
  });

  it('the migration backfills the totals from the deals already there', async () => {
    // take the table and its triggers away, write while nothing keeps totals, then run the migration again
    const on = dialect === 'postgres' ? sql` on deals` : sql``;
    for (const t of ['insert', 'delete', 'update']) await sql`drop trigger ${sql.raw(`deal_stage_totals_${t}`)}${on}`.execute(db());
    await sql`drop table deal_stage_totals`.execute(db());
    if (dialect === 'postgres') {
      await sql`drop function deal_stage_totals_on_deal()`.execute(db());
      await sql`drop function deal_stage_totals_apply(integer, integer, integer, integer, text, integer, bigint)`.execute(db());
    }
    ok(await s.admin.post('/deals', { title: 'До миграции', stageId: pipelines[1]!.stages[1]!.id, responsibleId: managerB.id, amount: 4242, currency: 'USD' }), 201);
    await upTotals(db(), { dialect });
    expect(Number((await db().selectFrom('deal_stage_totals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(3);
    await checkInvariants();
    // and the triggers are back
    ok(await s.admin.post('/deals', { title: 'После миграции', stageId: pipelines[1]!.stages[1]!.id, responsibleId: managerB.id, amount: 1, currency: 'USD' }), 201);
    await checkInvariants();
  });
});
