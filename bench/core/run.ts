// Voronka core benchmark: `npm run bench -- [--db sqlite|postgres] [--deals N] [--keep]`.
//  1. a fresh database (or the existing one with --keep);
//  2. the real server sets up the workspace through the API (pipelines, departments, managers);
//  3. bulk generation of deals, contacts, companies and activities through the driver;
//  4. the same reads as direct SQL; 5. reads and writes through HTTP; 6. one markdown report.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadFixture } from './fixture.js';
import { generate, type GenerationInfo } from './generate.js';
import { HttpClient } from './http-client.js';
import { measureCreates, measureMoves, measureReads } from './measure-http.js';
import { measureSql } from './measure-sql.js';
import { measureBoardSearch } from './measure-search.js';
import { renderReport, saveReport, type ReportInput } from './report.js';
import { startServer, serverEntryExists } from './server-process.js';
import { adminToken, createToken, managerEmail, MANAGER_PASSWORD, setupViaApi } from './setup-api.js';
import { openRaw } from './sql-conn.js';
import { fmtDuration } from './stats.js';
import { databaseExists, freshDatabase, generationInfoFile, resolveTarget, type BenchDb } from './target.js';

const USAGE = `usage: npm run bench -- [options]
  --db sqlite|postgres   database (default sqlite)
  --deals N              deals to generate (default 1000000)
  --keep                 reuse the database of an earlier run (generate only if it has no deals)
  --iterations N         timed reads per measure (default 200, after 20 warm-up)
  --seconds N            duration of each write throughput run (default 10)
  --skip-http            generate and measure direct SQL only (no server needed after set-up)
  --skip-writes          no create/move throughput runs (they add deals)
  --search-runs N        timed board searches per case (phone, e-mail, number, name…; default 50, 0 to skip)
  --wait-idle N          before measuring, wait up to N minutes for the load average to drop below 1
  --server-dir PATH      measure the server of another checkout on the same data (default: this one)`;

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    deals: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    iterations: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    'skip-http': { type: 'boolean', default: false },
    'skip-writes': { type: 'boolean', default: false },
    'search-runs': { type: 'string', default: '50' },
    'wait-idle': { type: 'string', default: '0' },
    'server-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dbName = values.db as BenchDb;
const deals = Number(values.deals.replace(/[_,]/g, ''));
if (!['sqlite', 'postgres'].includes(dbName) || !Number.isInteger(deals) || deals < 100) {
  console.error(USAGE);
  process.exit(2);
}
const iterations = Number(values.iterations);
const seconds = Number(values.seconds);
const searchRuns = Number(values['search-runs']);
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const target = resolveTarget(dbName);
const notes: string[] = [];

// --- 1–3: database, API set-up, generation ---
let generation: GenerationInfo | null = null;
let reused = false;
if (values.keep && (await databaseExists(target))) {
  const conn = await openRaw(target);
  const dealCount = await conn.query<{ n: number }>('select count(*) as n from deals').then((r) => Number(r[0].n), () => 0);
  await conn.close();
  // the info file is written when a generation completes: without it the data may lack its indexes
  if (dealCount > 0 && fs.existsSync(generationInfoFile(target))) {
    reused = true;
    generation = JSON.parse(fs.readFileSync(generationInfoFile(target), 'utf8'));
    log(`--keep: reusing ${dealCount} deals`);
  } else if (dealCount > 0) {
    log('--keep: the earlier generation did not complete; starting afresh');
    await freshDatabase(target);
  }
} else {
  log(`fresh ${dbName} database: ${target.url}`);
  await freshDatabase(target);
}
if (!reused) {
  const conn = await openRaw(target).catch(() => null);
  const hasWorkspace = conn ? await conn.query('select id from workspaces limit 1').then((r) => r.length > 0, () => false) : false;
  await conn?.close();
  if (!hasWorkspace) {
    log('first start of the server: migrations, workspace, administrator; then set-up through the API');
    const server = await startServer(target, 'setup', values['server-dir']);
    try {
      await setupViaApi(server.baseUrl, log);
    } finally {
      await server.stop();
    }
  }
  log(`generating ${deals} deals…`);
  generation = await generate(target, { deals, log });
  fs.writeFileSync(generationInfoFile(target), JSON.stringify(generation, null, 2));
  log(`generation took ${fmtDuration(generation.totalMs)}`);
}

// --- 4: direct SQL (server stopped: nothing else on the 2 cores) ---
const waitUntil = Date.now() + Number(values['wait-idle']) * 60_000;
while (os.loadavg()[0] >= 1 && Date.now() < waitUntil) {
  log(`load average ${os.loadavg()[0].toFixed(1)}: waiting for the machine to go quiet…`);
  await new Promise((r) => setTimeout(r, 15_000));
}
const loadAvg = os.loadavg()[0];
if (loadAvg > 1) log(`warning: load average ${loadAvg.toFixed(1)} — other processes share the cores, figures will be noisy`);
const conn = await openRaw(target);
const fixture = await loadFixture(conn);
const dbVersion =
  dbName === 'sqlite'
    ? `SQLite ${(await conn.query<{ v: string }>('select sqlite_version() as v'))[0].v}`
    : ((await conn.query<{ v: string }>('select version() as v'))[0].v.split(' on ')[0]);
log(`direct SQL: board of pipeline ${fixture.boardPipelineId} (${fixture.boardDeals} deals), list; ${iterations} iterations`);
const sql = await measureSql(conn, fixture, { iterations, warmup: 20 });

// --- 5: HTTP ---
let http: ReportInput['http'] = null;
if (values['skip-http']) {
  notes.push('HTTP measurements skipped (--skip-http).');
} else if (!serverEntryExists(values['server-dir'])) {
  notes.push('HTTP measurements skipped: src/cli/main.ts does not exist yet.');
} else {
  const server = await startServer(target, 'measure', values['server-dir']);
  if (values['server-dir']) notes.push(`HTTP figures are of the server in ${values['server-dir']}.`);
  log(`server up on ${server.baseUrl} (serving pid ${server.servingPid}); HTTP reads…`);
  try {
    const admin = new HttpClient(server.baseUrl, 64).withToken(await adminToken(server.baseUrl), 64);
    const adminReads = await measureReads(admin, conn, fixture, { iterations, warmup: 20, responsibleIds: fixture.managerIds, manager: false });
    let managerReads = null;
    const search: NonNullable<ReportInput['http']>['search'] = { admin: [], manager: null, warnings: [] };
    if (searchRuns > 0) {
      log(`board searches (${searchRuns} per case)…`);
      const r = await measureBoardSearch(admin, conn, fixture, searchRuns);
      search.admin = r.cases;
      search.warnings.push(...r.warnings);
    }
    const managerIdx = 1; // manager1@bench.local: "own" deals, as the built-in manager role grants
    try {
      const token = await createToken(server.baseUrl, managerEmail(managerIdx), MANAGER_PASSWORD, 'bench');
      const managerHttp = admin.withToken(token, 4);
      const me = await managerHttp.ok<{ user: { id: number } }>('GET', '/api/v1/auth/me');
      managerReads = await measureReads(managerHttp, conn, fixture, { iterations, warmup: 20, responsibleIds: [me.user.id], manager: true });
      if (searchRuns > 0) {
        const r = await measureBoardSearch(managerHttp, conn, fixture, searchRuns, me.user.id);
        search.manager = r.cases;
        search.warnings.push(...r.warnings);
      }
      managerHttp.close();
    } catch (e) {
      notes.push(`manager reads skipped: ${(e as Error).message}`);
    }
    let creates: Awaited<ReturnType<typeof measureCreates>> = [];
    let moves: Awaited<ReturnType<typeof measureMoves>> = [];
    if (!values['skip-writes']) {
      log('HTTP writes: creates…');
      creates = await measureCreates(admin, fixture, { seconds, concurrency: [8, 32] });
      log('HTTP writes: moves…');
      moves = await measureMoves(admin, conn, fixture, { seconds, concurrency: [8, 32] });
    }
    http = { admin: adminReads, manager: managerReads, search, creates, moves, memory: server.memory() };
    admin.close();
  } finally {
    await server.stop();
  }
}
await conn.close();

// --- 6: report ---
const pipeline = fixture.pipelines.find((p) => p.id === fixture.boardPipelineId)!;
const report = renderReport({
  db: dbName,
  dbVersion,
  deals: fixture.deals,
  boardPipeline: { id: pipeline.id, deals: fixture.boardDeals, columns: pipeline.stages.length },
  generation,
  reused,
  sql,
  http,
  notes,
  loadAvg,
});
console.log('\n' + report);
log(`saved ${saveReport(dbName, generation?.deals ?? deals, report, http === null ? 'sql-only' : values['server-dir'] ? 'other-server' : '')}`);
