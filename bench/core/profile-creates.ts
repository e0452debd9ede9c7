// Where a deal create's time goes:
//   npx tsx bench/core/profile-creates.ts [--db sqlite|postgres] [--seconds N] [--clients N] [--no-profile] [--server-dir PATH]
// Runs on the database of an earlier `npm run bench` (it generates nothing): starts the real
// server under `node --cpu-prof`, sends deal creates (the benchmark's requests) from N clients
// for N seconds, stops the server and prints the JavaScript functions with the most self time,
// grouped by package; then sends one create in-process (app.inject) and lists the SQL statements
// it runs. The .cpuprofile is kept in data/bench/profile-*/ (it opens in Chrome DevTools).
// With --no-profile it only measures the creates (a quick before/after of two checkouts on the
// same data, e.g. `--server-dir ../base`; the statement list is always this checkout's).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixture } from './fixture.js';
import { measureCreates } from './measure-http.js';
import { HttpClient } from './http-client.js';
import { openDb } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { startServer } from './server-process.js';
import { adminToken } from './setup-api.js';
import { openRaw } from './sql-conn.js';
import { BENCH_DATA_DIR, databaseExists, resolveTarget, type BenchDb } from './target.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '32' },
    top: { type: 'string', default: '40' },
    'server-dir': { type: 'string' },
    'no-profile': { type: 'boolean', default: false },
  },
});
const profiling = !values['no-profile'];
const target = resolveTarget(values.db as BenchDb);
if (!(await databaseExists(target))) {
  console.error(`no ${values.db} benchmark database: run \`npm run bench -- --db ${values.db} --skip-http\` first`);
  process.exit(2);
}
const conn = await openRaw(target);
const fixture = await loadFixture(conn);
await conn.close();

const profileDir = path.join(BENCH_DATA_DIR, `profile-${Date.now()}`);
fs.mkdirSync(profileDir, { recursive: true });
const server = await startServer(target, 'profile', values['server-dir'], profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
let result;
let token: string;
let cpuLine: string;
try {
  token = await adminToken(server.baseUrl);
  const admin = new HttpClient(server.baseUrl, 64).withToken(token, 64);
  const cpu0 = cpuSeconds(server.servingPid);
  result = await measureCreates(admin, fixture, { seconds: Number(values.seconds), concurrency: [Number(values.clients)] });
  const cpu1 = cpuSeconds(server.servingPid);
  // the warm-up's creates are in the CPU time too: 4 clients for 1 s before the timed run
  const creates = result[0].ok + result[0].failed;
  cpuLine = `server CPU per create (the warm-up second included): ${((1000 * (cpu1.process - cpu0.process)) / creates).toFixed(2)} ms, of it the event-loop thread ${((1000 * (cpu1.main - cpu0.main)) / creates).toFixed(2)} ms`;
  admin.close();
} finally {
  await server.stop();
}
console.log(
  `creates with ${values.clients} clients${values['server-dir'] ? ` (server of ${values['server-dir']})` : ''}: ${result[0].rps.toFixed(0)} req/s ` +
    `(p50 ${result[0].p50.toFixed(1)} ms, p95 ${result[0].p95.toFixed(1)} ms), ${result[0].failed} failed${profiling ? '; under the profiler, so slower than the benchmark' : ''}`,
);
console.log(cpuLine);
if (profiling) printProfile();
else fs.rmSync(profileDir, { recursive: true });

/** CPU time (user + system) of a process, and of its main thread, from /proc */
function cpuSeconds(pid: number): { process: number; main: number } {
  const ticks = (file: string) => {
    const stat = fs.readFileSync(file, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  };
  return { process: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

function printProfile() {
  const file = fs.readdirSync(profileDir).find((f) => f.includes(`.${server.servingPid}.`));
  if (!file) throw new Error(`no profile of pid ${server.servingPid} in ${profileDir}`);
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const total = profile.samples.length;
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const packageOf = (url: string) => {
    if (!url) return '(native / V8)';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.startsWith('node:')) return 'node';
    return url.includes('/src/') ? 'voronka src' : url;
  };
  for (const n of profile.nodes) {
    if (!n.hitCount) continue;
    const where = n.callFrame.url.replace(/^.*?(node_modules\/|src\/)/, '$1');
    const key = `${n.callFrame.functionName || '(anonymous)'}  ${where}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n.hitCount);
    const pkg = ['(garbage collector)', '(idle)', '(program)'].includes(n.callFrame.functionName) ? n.callFrame.functionName : packageOf(n.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
  console.log(`\nself time by package (${total} samples, start-up included):`);
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(v)}  ${k}`);
  console.log(`\ntop ${values.top} functions by self time:`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${pct(v)}  ${k}`);
  console.log(`\nprofile: ${path.join(profileDir, file)}`);
}

// --- the statements of one create, in-process on the same database ---
const statements: string[] = [];
const db = openDb(target.url, { onQuery: (text) => statements.push(text) });
const { app } = await buildApp({ db });
try {
  const stage = fixture.pipelines.find((p) => p.id === fixture.boardPipelineId)!.stages.find((s) => s.semantic === 'in_progress')!;
  const body = { title: 'Профиль: одна сделка', pipelineId: fixture.boardPipelineId, stageId: stage.id, amount: 100_00, currency: 'RUB', responsibleId: fixture.managerIds[0] ?? fixture.adminId };
  const create = () => app.inject({ method: 'POST', url: '/api/v1/deals', headers: { authorization: `Bearer ${token}` }, payload: body });
  await create(); // the token's last-used time is written on its first use
  statements.length = 0;
  const res = await create();
  if (res.statusCode !== 201) throw new Error(`create → ${res.statusCode}: ${res.body}`);
  console.log(`\none create runs ${statements.length} statements (begin and commit included):`);
  for (const s of statements) console.log(`  ${s.replace(/\s+/g, ' ').slice(0, 160)}`);
} finally {
  await app.close();
  await db.close();
}
