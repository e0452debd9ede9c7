// Turns the figures into one markdown report, printed and saved under bench/results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GenerationInfo } from './generate.js';
import type { ReadResults, Throughput } from './measure-http.js';
import type { SqlResults } from './measure-sql.js';
import type { SearchCase } from './measure-search.js';
import { fmtDuration, fmtInt, fmtMs, type Summary } from './stats.js';
import { REPO_ROOT, type BenchDb } from './target.js';

export interface ReportInput {
  db: BenchDb;
  dbVersion: string;
  deals: number;
  boardPipeline: { id: number; deals: number; columns: number };
  generation: GenerationInfo | null;
  /** true when --keep reused data generated earlier */
  reused: boolean;
  sql: SqlResults | null;
  http: {
    admin: ReadResults;
    manager: ReadResults | null;
    /** board `q` cases, as the administrator and as a manager (own deals) */
    search: { admin: SearchCase[]; manager: SearchCase[] | null; warnings: string[] };
    creates: Throughput[];
    moves: Throughput[];
    memory: { rssMb: number; peakRssMb: number };
  } | null;
  notes: string[];
  /** 1-minute load average when the measurements started (other processes on the machine) */
  loadAvg: number;
}

const GOALS = { boardP95: 50, listP95: 30, createsPerSecSqlite: 1000, rssMb: 300 };
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? '✅' : '❌');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}×` : '–');
const ms = (v: number | undefined) => (v === undefined ? '–' : `${fmtMs(v)} ms`);

export function renderReport(r: ReportInput): string {
  const out: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  out.push(`# Voronka core benchmark — ${r.db}, ${fmtInt(r.deals)} deals`);
  out.push('');
  out.push(`${new Date().toISOString()} · ${os.cpus().length} × ${cpu} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM · Node ${process.version} · ${r.dbVersion} · load average ${r.loadAvg.toFixed(1)} at the start of the measurements`);
  out.push('');
  out.push(`Board: pipeline ${r.boardPipeline.id} with ${fmtInt(r.boardPipeline.deals)} deals in ${r.boardPipeline.columns} columns, 20 cards per column.`);
  out.push('List: `responsibleId` + `stageId` + `createdFrom`/`createdTo` (30–90 days) + `sort=-createdAt`, 50 rows; a different user/stage/range each time.');
  out.push('');
  out.push('| measure | API | direct SQL | API / SQL | goal | |');
  out.push('| --- | ---: | ---: | ---: | --- | --- |');
  const a = r.http?.admin;
  const m = r.http?.manager;
  const s = r.sql;
  const row = (name: string, api: number | undefined, sql: number | undefined, goal = '', ok: boolean | null = null) =>
    out.push(`| ${name} | ${ms(api)} | ${ms(sql)} | ${ratio(api, sql)} | ${goal} | ${mark(ok)} |`);
  const readRows = (label: string, api: Summary | undefined, sql: Summary | undefined, goal: number) => {
    row(`${label} p50`, api?.p50, sql?.p50);
    row(`${label} p95`, api?.p95, sql?.p95, `≤ ${goal} ms`, api ? api.p95 <= goal : null);
    row(`${label} p99`, api?.p99, sql?.p99);
  };
  readRows('board (administrator)', a?.board, s?.board, GOALS.boardP95);
  readRows('list page (administrator)', a?.list, s?.list, GOALS.listP95);
  readRows('board (manager, own deals)', m?.board, s?.boardManager, GOALS.boardP95);
  readRows('list page (manager, own deals)', m?.list, s?.listManager, GOALS.listP95);
  if (a) row('per-request floor: GET /api/v1/auth/me p50 (token, user, roles, grants; API only)', a.me.p50, undefined);
  if (s) row('board counts and sums counted live over deals p50 (SQL only; the board reads deal_stage_totals when it exists)', undefined, s.liveSums.p50);
  if (s) row('top-of-column key lookup p50 (every create and move to the top; SQL only)', undefined, s.topOfColumn.p50);
  const tput = (name: string, t: Throughput, goal = '', ok: boolean | null = null) =>
    out.push(
      `| ${name}, ${t.concurrency} clients | ${fmtInt(t.rps)} req/s (p50 ${fmtMs(t.p50)} ms, p95 ${fmtMs(t.p95)} ms${t.failed ? `, ${t.failed} failed` : ''}) | | | ${goal} | ${mark(ok)} |`,
    );
  for (const t of r.http?.creates ?? []) {
    const sqliteGoal = r.db === 'sqlite';
    tput('deal create', t, sqliteGoal ? `≥ ${fmtInt(GOALS.createsPerSecSqlite)}/s` : '', sqliteGoal ? t.rps >= GOALS.createsPerSecSqlite && t.failed === 0 : null);
  }
  for (const t of r.http?.moves ?? []) tput('deal move', t);
  if (r.http) {
    out.push(`| server RSS after the run | ${r.http.memory.rssMb.toFixed(0)} MB (peak ${r.http.memory.peakRssMb.toFixed(0)} MB) | | | ≤ ${GOALS.rssMb} MB | ${mark(r.http.memory.rssMb <= GOALS.rssMb)} |`);
  } else {
    out.push('| HTTP measurements | not run | | | | |');
  }
  const g = r.generation;
  out.push(`| generation (${fmtInt(r.deals)} deals${r.reused ? ', earlier run reused' : ''}) | ${g ? fmtDuration(g.totalMs) : '–'} | | | | |`);
  out.push('');

  if (g) {
    out.push('## Generation');
    out.push('');
    out.push('Secondary indexes of the loaded tables are dropped for the load and re-created from their own definitions afterwards.');
    out.push('');
    out.push('| table | rows | insert | index build |');
    out.push('| --- | ---: | ---: | ---: |');
    for (const t of g.tables) out.push(`| ${t.table} | ${fmtInt(t.rows)} | ${fmtDuration(t.insertMs)} | ${fmtDuration(t.indexMs ?? 0)} |`);
    out.push(`| building rows in JS | | ${fmtDuration(g.buildMs)} | |`);
    if (g.indexWallMs !== undefined) out.push(`| all index builds (wall${r.db === 'postgres' ? ', 2 connections' : ''}) | | | ${fmtDuration(g.indexWallMs)} |`);
    out.push(`| ${r.db === 'postgres' ? 'VACUUM ANALYZE, sequences' : 'ANALYZE, optimize, checkpoint'} | | ${fmtDuration(g.finishMs)} | |`);
    out.push(`| **total** | | **${fmtDuration(g.totalMs)}** | |`);
    out.push('');
  }

  const search = r.http?.search;
  if (search && search.admin.length) {
    out.push('## Board search (`q`)');
    out.push('');
    out.push(`\`GET /api/v1/pipelines/${r.boardPipeline.id}/board?limit=20&q=…\`, ${search.admin[0]!.summary.n} different values per case drawn from deals of the pipeline (the manager: from their own deals with their own contacts); "found": median of the deals the board counted.`);
    out.push('');
    out.push('| q | example | administrator p50 | p95 | found | manager p50 | p95 | found |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of search.admin) {
      const mc = search.manager?.find((x) => x.name === c.name);
      out.push(`| ${c.name} | \`${c.example}\` | ${ms(c.summary.p50)} | ${ms(c.summary.p95)} | ${fmtInt(c.medianFound)} | ${ms(mc?.summary.p50)} | ${ms(mc?.summary.p95)} | ${mc ? fmtInt(mc.medianFound) : '–'} |`);
    }
    out.push('');
  }

  const warnings = [...(a?.warnings ?? []), ...(m?.warnings ?? []), ...(search?.warnings ?? [])];
  const failures = [...(r.http?.creates ?? []), ...(r.http?.moves ?? [])].filter((t) => t.sampleError).map((t) => `${t.sampleError} (${JSON.stringify(t.statuses)})`);
  if (warnings.length || failures.length || r.notes.length) {
    out.push('## Notes');
    out.push('');
    for (const w of [...r.notes, ...warnings, ...failures]) out.push(`- ${w}`);
    out.push('');
  }

  if (s) {
    out.push('## Query plans of the direct SQL');
    out.push('');
    for (const p of s.plans) {
      out.push(`**${p.name}**: \`${p.sql}\``);
      out.push('');
      out.push('```');
      out.push(p.plan);
      out.push('```');
      out.push('');
    }
  }
  return out.join('\n');
}

/** bench/results/<db>-<date>.md for the standard 1M run, <db>-<N>deals-<date>.md otherwise. */
/** `variant`: e.g. 'sql-only' or 'other-server', so that such runs do not replace the day's full result. */
export function saveReport(db: BenchDb, deals: number, text: string, variant = ''): string {
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const size = deals === 1_000_000 ? '' : `-${deals}deals`;
  const file = path.join(dir, `${db}${size}${variant ? '-' + variant : ''}-${date}.md`);
  fs.writeFileSync(file, text + '\n');
  return file;
}
