// The board and list reads as plain SQL through the driver (no HTTP, no Kysely, no JSON):
// the floor the API is compared against. better-sqlite3 statements are prepared once;
// pg runs unnamed statements over one connection, as a pool client would.
import { listParams, type Fixture } from './fixture.js';
import type { RawConn } from './sql-conn.js';
import { msSince, Rng, summarize, type Summary } from './stats.js';

export interface SqlResults {
  board: Summary;
  list: Summary;
  boardManager: Summary;
  listManager: Summary;
  /** board counts and sums counted live over deals (administrator), whether or not the board uses totals */
  liveSums: Summary;
  /** the key lookup every create and every move to the top of a column makes (src/modules/deals/positions.ts) */
  topOfColumn: Summary;
  /** EXPLAIN output of each query shape, for the report */
  plans: Array<{ name: string; sql: string; plan: string }>;
}

export interface SqlOptions {
  iterations: number;
  warmup: number;
}

/** `responsible_id = me`, or a deal the user observes: what a manager with "own" deal access reads. */
const MANAGER_SCOPE = '(responsible_id = ? or id in (select deal_id from deal_observers where workspace_id = ? and user_id = ?))';

function boardSql(stageCount: number, scoped: boolean) {
  const scope = scoped ? ` and ${MANAGER_SCOPE}` : '';
  const stages = new Array(stageCount).fill('?').join(', ');
  return {
    /** counting every deal of the pipeline (what the board does without deal_stage_totals) */
    liveSums: `select stage_id, currency, count(*) as n, sum(amount) as total from deals
           where workspace_id = ? and stage_id in (${stages})${scope}
           group by stage_id, currency`,
    /** from the pre-aggregated totals (migration 008), as src/modules/deals/board-totals.ts reads them */
    totals: `select stage_id, currency, sum(deals) as n, sum(amount) as total from deal_stage_totals
           where workspace_id = ? and stage_id in (${stages})${scoped ? ' and responsible_id = ?' : ''}
           group by stage_id, currency`,
    /** a manager's observed deals of other responsibles, added to the totals */
    observed: `select d.stage_id, d.currency, count(*) as n, sum(d.amount) as total from deal_observers o
           join deals d on d.workspace_id = o.workspace_id and d.id = o.deal_id
           where o.workspace_id = ? and o.user_id = ? and d.stage_id in (${stages}) and not (d.responsible_id = ?)
           group by d.stage_id, d.currency`,
    /** administrator: one ordered walk of (workspace, pipeline, stage, position, id) */
    cards: `select * from deals where workspace_id = ? and pipeline_id = ? and stage_id = ?${scope}
            order by position, id limit 21`,
    /**
     * manager: as src/modules/deals/board-column.ts reads a small scope, a merge of an ordered walk
     * per responsible of (workspace, stage, responsible, position, id) (migration 009) and the
     * observed deals of other responsibles
     */
    scopedCards: `select * from (select * from deals where workspace_id = ? and stage_id = ? and responsible_id = ?
                    order by position, id limit 21) as own
                  union all
                  select * from (select d.* from deal_observers o cross join deals d
                    where o.workspace_id = ? and o.user_id = ? and d.id = o.deal_id and d.workspace_id = ?
                      and d.stage_id = ? and d.responsible_id <> ? order by d.position, d.id limit 21) as observed
                  order by position, id limit 21`,
  };
}

function listSql(scoped: boolean) {
  const scope = scoped ? ` and ${MANAGER_SCOPE}` : '';
  return `select * from deals
          where workspace_id = ? and responsible_id = ? and stage_id = ? and created_at >= ? and created_at < ?${scope}
          order by created_at desc, id desc limit 51`;
}

export async function measureSql(conn: RawConn, f: Fixture, opts: SqlOptions): Promise<SqlResults> {
  const pipeline = f.pipelines.find((p) => p.id === f.boardPipelineId)!;
  const stageIds = pipeline.stages.map((s) => s.id);
  const ws = f.workspaceId;
  const rng = new Rng(7);

  const board = async (manager: number | null) => {
    const q = boardSql(stageIds.length, manager !== null);
    const scope = manager !== null ? [manager, ws, manager] : [];
    let sums: unknown[];
    if (!f.hasStageTotals) sums = await conn.query(q.liveSums, [ws, ...stageIds, ...scope]);
    else {
      sums = await conn.query(q.totals, [ws, ...stageIds, ...(manager !== null ? [manager] : [])]);
      if (manager !== null) sums.push(...(await conn.query(q.observed, [ws, manager, ...stageIds, manager])));
    }
    const columns = [];
    for (const stageId of stageIds) {
      columns.push(
        manager === null
          ? await conn.query(q.cards, [ws, pipeline.id, stageId])
          : await conn.query(q.scopedCards, [ws, stageId, manager, ws, manager, ws, stageId, manager]),
      );
    }
    return { sums, columns };
  };
  const list = async (manager: number | null) => {
    const p = listParams(f, rng, manager !== null ? [manager] : f.managerIds);
    const scope = manager !== null ? [manager, ws, manager] : [];
    return conn.query(listSql(manager !== null), [ws, p.responsibleId, p.stageId, p.createdFrom, p.createdTo, ...scope]);
  };
  const time = async (fn: () => Promise<unknown>, iterations = opts.iterations, warmup = opts.warmup): Promise<Summary> => {
    for (let i = 0; i < warmup; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint();
      await fn();
      samples.push(msSince(t0));
    }
    return summarize(samples);
  };

  const manager = f.managerIds[0] ?? f.adminId;
  const results: SqlResults = {
    board: await time(() => board(null)),
    list: await time(() => list(null)),
    boardManager: await time(() => board(manager)),
    listManager: await time(() => list(manager)),
    topOfColumn: { n: 0, p50: NaN, p95: NaN, p99: NaN, mean: NaN, max: NaN },
    liveSums: { n: 0, p50: NaN, p95: NaN, p99: NaN, mean: NaN, max: NaN },
    plans: [],
  };

  // plans of each shape, with the biggest column of the board pipeline
  const biggest = await conn.query<{ stage_id: number }>(
    'select stage_id from deals where workspace_id = ? and pipeline_id = ? group by stage_id order by count(*) desc limit 1',
    [ws, pipeline.id],
  );
  const bigStage = Number(biggest[0].stage_id);
  // positions.ts: the first card of a column, found by (workspace_id, stage_id) without pipeline_id
  const topSql = 'select id, position from deals where workspace_id = ? and stage_id = ? order by position, id limit 1';
  const firstOpen = pipeline.stages.find((s) => s.semantic === 'in_progress')?.id ?? bigStage;
  const live = boardSql(stageIds.length, false).liveSums;
  results.liveSums = await time(() => conn.query(live, [ws, ...stageIds]).then(() => undefined), Math.min(opts.iterations, 20), 2);
  results.topOfColumn = await time(() => conn.query(topSql, [ws, firstOpen]).then(() => undefined), Math.min(opts.iterations, 50), 3);
  const lp = listParams(f, new Rng(1));
  const admin = boardSql(stageIds.length, false);
  const scoped = boardSql(stageIds.length, true);
  const mScope = [manager, ws, manager];
  const shapes: Array<[string, string, unknown[]]> = [
    ['board sums counted live (all deals)', admin.liveSums, [ws, ...stageIds]],
    ...(f.hasStageTotals ? ([['board sums from deal_stage_totals (all deals)', admin.totals, [ws, ...stageIds]]] as Array<[string, string, unknown[]]>) : []),
    ['board cards (all deals)', admin.cards, [ws, pipeline.id, bigStage]],
    ['board sums counted live (manager scope)', scoped.liveSums, [ws, ...stageIds, ...mScope]],
    ['board cards (manager scope, single query)', scoped.cards, [ws, pipeline.id, bigStage, ...mScope]],
    ['board cards (manager scope, merge of per-responsible walks as the server reads them)', scoped.scopedCards, [ws, bigStage, manager, ws, manager, ws, bigStage, manager]],
    ['list', listSql(false), [ws, lp.responsibleId, lp.stageId, lp.createdFrom, lp.createdTo]],
    ['list (manager scope)', listSql(true), [ws, manager, lp.stageId, lp.createdFrom, lp.createdTo, ...mScope]],
    ['top of a column (each create / move to the top)', topSql, [ws, firstOpen]],
  ];
  for (const [name, text, params] of shapes) results.plans.push({ name, sql: text.replace(/\s+/g, ' '), plan: await explain(conn, text, params) });
  return results;
}

export async function explain(conn: RawConn, text: string, params: unknown[]): Promise<string> {
  if (conn.dialect === 'sqlite') {
    const rows = await conn.query<{ id: number; parent: number; detail: string }>(`explain query plan ${text}`, params);
    const depth = new Map<number, number>([[0, 0]]);
    return rows
      .map((r) => {
        const d = (depth.get(r.parent) ?? 0) + 1;
        depth.set(r.id, d);
        return `${'  '.repeat(d - 1)}${r.detail}`;
      })
      .join('\n');
  }
  const rows = await conn.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${text}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
