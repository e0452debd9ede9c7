// The cost of one deal create, measured in-process and one at a time, so that the figure depends
// little on what else the machine runs (the throughput runs of `npm run bench` share the cores
// with the client and every other process):
//   npx tsx bench/core/create-cost.ts [--db sqlite|postgres] [--creates N] [--server-dir PATH]
// Builds the app of this checkout (or of PATH, for a before/after on the same data) over the
// database of an earlier `npm run bench`, sends the benchmark's create request through
// app.inject (routing, validation, authentication by API token, serialisation; no socket), and
// prints the CPU time and wall time per create after a warm-up, and the statements one create
// runs. The creates stay in the database, as those of the benchmark do.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFixture } from './fixture.js';
import { openRaw } from './sql-conn.js';
import { summarize } from './stats.js';
import { databaseExists, REPO_ROOT, resolveTarget, type BenchDb } from './target.js';
import { createHash, randomBytes } from 'node:crypto';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    creates: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '1000' },
    'server-dir': { type: 'string' },
  },
});
const target = resolveTarget(values.db as BenchDb);
if (!(await databaseExists(target))) {
  console.error(`no ${values.db} benchmark database: run \`npm run bench -- --db ${values.db} --skip-http\` first`);
  process.exit(2);
}
const dir = path.resolve(values['server-dir'] ?? REPO_ROOT);
const { openDb } = (await import(path.join(dir, 'src/db/connection.ts'))) as typeof import('../../src/db/connection.js');
const { buildApp } = (await import(path.join(dir, 'src/server/app.ts'))) as typeof import('../../src/server/app.js');

const conn = await openRaw(target);
const fixture = await loadFixture(conn);
// an API token of the administrator, written straight into the table (as POST /api-tokens would)
const token = `vkt_${randomBytes(24).toString('base64url')}`;
const hash = createHash('sha256').update(token).digest('hex');
await conn.query('insert into api_tokens (workspace_id, user_id, name, token_hash, created_at) values (?, ?, ?, ?, ?)', [
  fixture.workspaceId,
  fixture.adminId,
  'create-cost',
  hash,
  new Date().toISOString(),
]);
await conn.close();

/** CPU seconds (user + system) of the PostgreSQL processes connected to the benchmark database */
function postgresCpu(): number {
  if (target.db !== 'postgres') return 0;
  const dbName = new URL(target.url).pathname.slice(1);
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres:') || !cmd.includes(` ${dbName} `)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}

let statements: string[] | null = null;
const db = openDb(target.url, { onQuery: (text: string) => statements?.push(text), backgroundCheckpoint: true } as Parameters<typeof openDb>[1]);
const { app } = await buildApp({ db });
// as the server does (start-server.ts): SQLite's search index written in batches, its cost counted here
const flusherModule = path.join(dir, 'src/db/sqlite-search-flusher.ts');
const flusher =
  db.dialect === 'sqlite' && fs.existsSync(flusherModule)
    ? ((await import(flusherModule)) as typeof import('../../src/db/sqlite-search-flusher.js')).startSearchFlusher(db.kysely)
    : null;
const pipeline = fixture.pipelines.find((p) => p.id === fixture.boardPipelineId)!;
const stage = pipeline.stages.find((s) => s.semantic === 'in_progress') ?? pipeline.stages[0];
let n = 0;
const create = async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/deals',
    headers: { authorization: `Bearer ${token}` },
    payload: { title: `Бенчмарк: новая сделка ${++n}`, pipelineId: pipeline.id, stageId: stage.id, amount: (1_000 + (n % 1000)) * 100, currency: 'RUB', responsibleId: fixture.managerIds[n % fixture.managerIds.length] ?? fixture.adminId },
  });
  if (res.statusCode !== 201) throw new Error(`create → ${res.statusCode}: ${res.body}`);
};
try {
  for (let i = 0; i < Number(values.warmup); i++) await create();
  statements = [];
  await create();
  const list = statements as string[];
  statements = null;
  const wall: number[] = [];
  const pg0 = postgresCpu();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < Number(values.creates); i++) {
    const t = process.hrtime.bigint();
    await create();
    wall.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const pgCpu = postgresCpu() - pg0;
  const s = summarize(wall);
  const per = (x: number) => `${((1000 * x) / Number(values.creates)).toFixed(0)} µs`;
  console.log(`${values.db}, server of ${dir}, ${values.creates} creates one at a time after ${values.warmup} warm-up:`);
  console.log(`  CPU per create ${per((cpu.user + cpu.system) / 1000)} (this process, every thread), wall per create ${per(total)} (p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(1)} ms)`);
  if (values.db === 'postgres') console.log(`  PostgreSQL backends' CPU per create ${per(pgCpu * 1000)} (the server processes serving the benchmark database)`);
  console.log(`  ${list.length} statements per create (begin and commit included); RSS of this process ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
} finally {
  await app.close();
  await flusher?.close();
  await db.close();
}
