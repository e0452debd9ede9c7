// Reads and writes through the real HTTP API with keep-alive clients.
import { listParams, type Fixture } from './fixture.js';
import { HttpClient, type HttpResponse } from './http-client.js';
import type { RawConn } from './sql-conn.js';
import { msSince, Rng, summarize, type Summary } from './stats.js';

export interface ReadOptions {
  iterations: number;
  warmup: number;
}

export interface Throughput {
  concurrency: number;
  seconds: number;
  ok: number;
  failed: number;
  rps: number;
  p50: number;
  p95: number;
  /** status → count, for the failures */
  statuses: Record<string, number>;
  sampleError?: string;
}

export interface ReadResults {
  board: Summary;
  list: Summary;
  /** GET /api/v1/auth/me: authentication and permission loading alone, the floor of every request */
  me: Summary;
  /** problems seen while checking answers against the database */
  warnings: string[];
}

const qs = (params: Record<string, string | number>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/** Board and list, one request at a time, as one user (the token's). */
export async function measureReads(
  http: HttpClient,
  conn: RawConn,
  f: Fixture,
  opts: ReadOptions & { responsibleIds: number[]; manager: boolean },
): Promise<ReadResults> {
  const warnings: string[] = [];
  const pipeline = f.pipelines.find((p) => p.id === f.boardPipelineId)!;
  const boardPath = `/api/v1/pipelines/${pipeline.id}/board?limit=20`;
  const check = (r: HttpResponse, what: string) => {
    if (r.status !== 200) throw new Error(`${what} → ${r.status}: ${JSON.stringify(r.body).slice(0, 400)}`);
  };

  // sanity: the board shows every column and (for an administrator) counts every deal
  const probe = await http.request('GET', boardPath);
  check(probe, 'board');
  const columns: Array<{ count?: number; items?: unknown[] }> = probe.body?.columns ?? [];
  if (columns.length !== pipeline.stages.length) warnings.push(`board: ${columns.length} columns, the pipeline has ${pipeline.stages.length} stages`);
  const counted = columns.reduce((a, c) => a + Number(c.count ?? 0), 0);
  if (!opts.manager && counted !== f.boardDeals) warnings.push(`board: columns count ${counted} deals, the database has ${f.boardDeals}`);
  if (columns.some((c) => (c.items?.length ?? 0) > 20)) warnings.push('board: a column returned more than 20 cards');

  const timeLoop = async (fn: (i: number) => Promise<void>): Promise<Summary> => {
    for (let i = 0; i < opts.warmup; i++) await fn(-1);
    const samples: number[] = [];
    for (let i = 0; i < opts.iterations; i++) {
      const t0 = process.hrtime.bigint();
      await fn(i);
      samples.push(msSince(t0));
    }
    return summarize(samples);
  };

  const board = await timeLoop(async () => check(await http.request('GET', boardPath), 'board'));

  const rng = new Rng(11);
  const list = await timeLoop(async (i) => {
    const p = listParams(f, rng, opts.responsibleIds);
    const path = `/api/v1/deals?${qs({ ...p, sort: '-createdAt', limit: 50 })}`;
    const r = await http.request('GET', path);
    check(r, 'list');
    if (i >= 0 && i < 5) {
      // the first page must be the one the database gives
      const want = await conn.query<{ id: number }>(
        `select id from deals where workspace_id = ? and responsible_id = ? and stage_id = ? and created_at >= ? and created_at < ?
         order by created_at desc, id desc limit 50`,
        [f.workspaceId, p.responsibleId, p.stageId, p.createdFrom, p.createdTo],
      );
      const got = ((r.body?.items ?? []) as Array<{ id: number }>).map((d) => d.id).join(',');
      if (got !== want.map((d) => Number(d.id)).join(',')) warnings.push(`list: page differs from SQL for ${path}`);
    }
  });
  const me = await timeLoop(async () => check(await http.request('GET', '/api/v1/auth/me'), 'auth/me'));
  return { board, list, me, warnings };
}

/** `concurrency` clients each send requests back to back for `seconds`. */
async function throughput(
  http: HttpClient,
  concurrency: number,
  seconds: number,
  next: () => { method: string; path: string; body?: unknown } | null,
): Promise<Throughput> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failed = 0;
  let sampleError: string | undefined;
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const req = next();
      if (!req) return;
      const r = await http.request(req.method, req.path, req.body);
      if (r.status >= 200 && r.status < 300) latencies.push(r.ms);
      else {
        failed++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        sampleError ??= `${req.method} ${req.path} → ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = msSince(started) / 1000;
  const s = summarize(latencies);
  return { concurrency, seconds: elapsed, ok: latencies.length, failed, rps: latencies.length / elapsed, p50: s.p50, p95: s.p95, statuses, sampleError };
}

export interface WriteOptions {
  seconds: number;
  concurrency: number[];
}

export async function measureCreates(http: HttpClient, f: Fixture, opts: WriteOptions): Promise<Throughput[]> {
  const pipeline = f.pipelines.find((p) => p.id === f.boardPipelineId)!;
  const stage = pipeline.stages.find((s) => s.semantic === 'in_progress') ?? pipeline.stages[0];
  const rng = new Rng(21);
  let n = 0;
  const next = () => ({
    method: 'POST',
    path: '/api/v1/deals',
    body: {
      title: `Бенчмарк: новая сделка ${++n}`,
      pipelineId: pipeline.id,
      stageId: stage.id,
      amount: rng.int(1_000, 1_000_000) * 100,
      currency: 'RUB',
      responsibleId: rng.pick(f.managerIds.length ? f.managerIds : [f.adminId]),
    },
  });
  await throughput(http, 4, 1, next); // warm-up
  const out: Throughput[] = [];
  for (const c of opts.concurrency) out.push(await throughput(http, c, opts.seconds, next));
  return out;
}

export async function measureMoves(http: HttpClient, conn: RawConn, f: Fixture, opts: WriteOptions): Promise<Throughput[]> {
  // random open deals (each moved once per pass) and a different open stage of the same pipeline
  const rng = new Rng(31);
  const [range] = await conn.query<{ lo: number; hi: number }>('select min(id) as lo, max(id) as hi from deals where workspace_id = ?', [f.workspaceId]);
  const lo = Number(range.lo);
  const hi = Number(range.hi);
  const openStages = new Map(f.pipelines.map((p) => [p.id, p.stages.filter((s) => s.semantic === 'in_progress' && !s.requiresLossReason).map((s) => s.id)]));
  const candidates: Array<{ id: number; pipelineId: number; stageId: number }> = [];
  const wanted = Math.min(60_000, f.deals);
  for (let tries = 0; candidates.length < wanted && tries < 200; tries++) {
    const ids = Array.from({ length: 500 }, () => rng.int(lo, hi));
    const rows = await conn.query<{ id: number; pipeline_id: number; stage_id: number }>(
      `select id, pipeline_id, stage_id from deals where workspace_id = ? and stage_semantic = 'in_progress' and id in (${ids.map(() => '?').join(',')})`,
      [f.workspaceId, ...ids],
    );
    for (const r of rows) candidates.push({ id: Number(r.id), pipelineId: Number(r.pipeline_id), stageId: Number(r.stage_id) });
  }
  const seen = new Set<number>();
  const deals = candidates.filter((d) => !seen.has(d.id) && seen.add(d.id));
  let i = 0;
  const next = () => {
    const deal = deals[i++ % deals.length];
    const targets = (openStages.get(deal.pipelineId) ?? []).filter((s) => s !== deal.stageId);
    if (!targets.length) return null;
    deal.stageId = rng.pick(targets);
    return { method: 'POST', path: `/api/v1/deals/${deal.id}/move`, body: { stageId: deal.stageId, afterId: null } };
  };
  await throughput(http, 4, 1, next); // warm-up
  const out: Throughput[] = [];
  for (const c of opts.concurrency) out.push(await throughput(http, c, opts.seconds, next));
  return out;
}
