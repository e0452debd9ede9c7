// npm run bench:automation [-- --db postgres] [--deals 100000] [--paced 3000] [--rate 100] [--profile DIR]
//
// Robots under load, on a fresh database with the real server as a child process (its job worker
// and automation engine as in production):
// 1. set-up through the API: a holding stage, N deals in it (32 concurrent clients), 3 robots on the
//    target stage — plan a call (deadline in 1 day), set a field, and e-mail to the client through a
//    local SMTP server when the server has the send_email robot type (else add a comment);
// 2. idle: the board's p50/p95 on the quiet server;
// 3. paced: `--paced` deals moved into the target stage one by one at `--rate` per second (robots due
//    at once): the delay from a run's due time to its end, p50/p95, and the board meanwhile;
// 4. bulk: the rest enter at once (the holding stage deleted, its deals moved to the target stage in one
//    transaction): the time until every effect is done, effects per second, and the board meanwhile.
// Prints a markdown report and writes bench/results/automation-<db>-<date>.md.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HttpClient } from '../core/http-client.js';
import type { RawConn } from '../core/sql-conn.js';
import { summarize } from '../core/stats.js';
import type { BenchDb, Target } from '../core/target.js';
import { spawn } from 'node:child_process';
import readline from 'node:readline';

// its own PostgreSQL database (never the core benchmark's 1M-deal one): named before target.ts is loaded
process.env.VORONKA_BENCH_PG_DB ??= 'voronka_bench_automation';
const { freshDatabase, REPO_ROOT, resolveTarget } = await import('../core/target.js');
const { startServer } = await import('../core/server-process.js');
const { adminToken } = await import('../core/setup-api.js');
const { openRaw } = await import('../core/sql-conn.js');

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    deals: { type: 'string', default: '100000' },
    paced: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '100' },
    /** the bulk phase is measured for at most this many seconds (then effects/s is what was done so far) */
    'max-bulk-seconds': { type: 'string', default: '1800' },
    /** write a CPU profile of the server process into this folder (node --cpu-prof) */
    profile: { type: 'string' },
  },
});
const dbKind = values.db as BenchDb;
const TOTAL = Number(values.deals);
const PACED = Math.min(Number(values.paced), TOTAL);
const RATE = Number(values.rate);

const target: Target =
  dbKind === 'postgres'
    ? resolveTarget('postgres')
    : { db: 'sqlite', url: `sqlite:${path.join(REPO_ROOT, 'data/bench/automation.db')}`, file: path.join(REPO_ROOT, 'data/bench/automation.db') };

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => `${n.toFixed(1)} ms`;

await freshDatabase(target);
const server = await startServer(target, 'automation', REPO_ROOT, values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : []);
const inbox = await startSmtpSink();
const report: string[] = [];
try {
  const api = new HttpClient(server.baseUrl, 40).withToken(await adminToken(server.baseUrl), 40);
  const pipeline = (await api.ok('GET', '/api/v1/pipelines')).items[0];
  const open = pipeline.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress');
  const targetStage = open[1];
  const hold = await api.ok('POST', `/api/v1/pipelines/${pipeline.id}/stages`, { name: 'Накопитель', color: '#39a8ef', semantic: 'in_progress', position: 0 });
  const contact = await api.ok('POST', '/api/v1/contacts', { lastName: 'Клиентов', firstName: 'Пётр', emails: [{ value: 'client@bench.local' }] });

  log(`creating ${TOTAL} deals in the holding stage…`);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < TOTAL; i = next++) {
        await api.ok('POST', '/api/v1/deals', { title: `Сделка ${i + 1}`, stageId: hold.id, amount: 10_000_00 + i, contactIds: [contact.id] });
      }
    }),
  );
  log(`  ${((TOTAL / (performance.now() - t0)) * 1000).toFixed(0)} creates/s`);

  const types = (await api.ok('GET', '/api/v1/automation/robot-types')).map((t: { type: string }) => t.type);
  const withEmail = types.includes('send_email');
  if (withEmail) {
    await api.ok('PATCH', '/api/v1/settings/messaging', { version: 0, smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpSecure: false, mailFromAddress: 'robot@bench.local' });
  }
  const robots = [
    { type: 'plan_activity', params: { activityType: 'call', subject: 'Позвонить: {{deal.title}}', deadline: { kind: 'delay', amount: 1, unit: 'days' } } },
    { type: 'set_fields', params: { values: { probability: 50 } } },
    withEmail
      ? { type: 'send_email', params: { subject: 'По сделке {{deal.title}}', body: '<p>Здравствуйте, {{contact.firstName}}!</p>' } }
      : { type: 'add_comment', params: { text: 'Сделка {{deal.title}} в работе' } },
  ];
  for (const r of robots) await api.ok('POST', '/api/v1/automation/robots', { stageId: targetStage.id, ...r });
  const effectsPerDeal = robots.length;

  const conn: RawConn = await openRaw(target);
  const boardPath = `/api/v1/pipelines/${pipeline.id}/board?limit=20`;
  const boardOnce = async () => (await api.request('GET', boardPath)).ms;
  /** the board fetched in a loop until stopped: its latencies */
  const boardLoop = () => {
    const samples: number[] = [];
    let stop = false;
    const done = (async () => {
      while (!stop) {
        samples.push(await boardOnce());
        await sleep(50);
      }
    })();
    return { samples, stop: async () => ((stop = true), await done, samples) };
  };
  const finished = async () => Number((await conn.query<{ n: number }>(`select count(*) as n from automation_runs where status <> 'waiting'`))[0]!.n);
  /** until n runs are finished, or the time is up: when, and how many were */
  const waitFor = async (n: number, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const done = await finished();
      if (done >= n || performance.now() > deadline) return { at: performance.now(), done };
      await sleep(200);
    }
  };

  // 2. idle
  for (let i = 0; i < 20; i++) await boardOnce();
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) idle.push(await boardOnce());
  const idleS = summarize(idle);
  log(`idle board: p50 ${ms(idleS.p50)}, p95 ${ms(idleS.p95)}`);

  // 3. paced
  const deals = (await conn.query<{ id: number }>('select id from deals where stage_id = ? order by id', [hold.id])).map((r) => Number(r.id));
  const pacedBoard = boardLoop();
  const pacedStart = performance.now();
  const moves: Promise<unknown>[] = [];
  for (let i = 0; i < PACED; i++) {
    const due = pacedStart + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    moves.push(api.ok('POST', `/api/v1/deals/${deals[i]}/move`, { stageId: targetStage.id }));
  }
  await Promise.all(moves);
  await waitFor(PACED * effectsPerDeal, 600_000);
  const pacedBoardS = summarize(await pacedBoard.stop());
  const instant = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));
  const delays = (await conn.query<{ d: unknown; f: unknown }>(`select due_at as d, finished_at as f from automation_runs where status <> 'waiting'`)).map(
    (r) => instant(r.f) - instant(r.d),
  );
  const delayS = summarize(delays);
  log(`paced: ${PACED} deals at ${RATE}/s → due-to-done p50 ${ms(delayS.p50)}, p95 ${ms(delayS.p95)}; board p95 ${ms(pacedBoardS.p95)}`);

  // 4. bulk
  const rest = TOTAL - PACED;
  const bulkBoard = boardLoop();
  const bulkStart = performance.now();
  // a client of its own: a kept-alive socket of the paced phase may have been closed by the server meanwhile
  const once = new HttpClient(server.baseUrl, 1);
  once.headers = api.headers;
  await once.ok('DELETE', `/api/v1/pipelines/${pipeline.id}/stages/${hold.id}?moveTo=${targetStage.id}`);
  once.close();
  const moved = performance.now();
  const bulkEnd = await waitFor(TOTAL * effectsPerDeal, Number(values['max-bulk-seconds']) * 1000);
  const bulkBoardS = summarize(await bulkBoard.stop());
  const seconds = (bulkEnd.at - moved) / 1000;
  const effects = bulkEnd.done - PACED * effectsPerDeal;
  const complete = bulkEnd.done >= TOTAL * effectsPerDeal;
  if (!complete) log(`bulk: stopped measuring after ${seconds.toFixed(0)} s with ${effects} of ${rest * effectsPerDeal} effects done`);
  log(`bulk: ${rest} deals entered in one move (${ms(moved - bulkStart)}); ${effects} effects done in ${seconds.toFixed(1)} s = ${(effects / seconds).toFixed(0)} effects/s; board p95 ${ms(bulkBoardS.p95)}`);
  const failed = Number((await conn.query<{ n: number }>(`select count(*) as n from automation_runs where status <> 'done'`))[0]!.n);
  const mails = await inbox.count();
  await conn.close();

  const date = new Date().toISOString().slice(0, 10);
  report.push(
    `# Automation benchmark — ${dbKind}, ${date}`,
    '',
    `\`npm run bench:automation${dbKind === 'postgres' ? ' -- --db postgres' : ''}\` (deals ${TOTAL}, paced ${PACED} at ${RATE}/s); robots: ${robots.map((r) => r.type).join(', ')}`,
    '',
    '| Figure | Value | Goal |',
    '|---|---:|---|',
    `| effects per second (bulk: ${rest} deals enter at once) | ${(effects / seconds).toFixed(0)} | ≥ 1,000 |`,
    complete
      ? `| time until all ${effects} bulk effects are done | ${seconds.toFixed(1)} s | |`
      : `| bulk effects done when measuring stopped | ${effects} of ${rest * effectsPerDeal} in ${seconds.toFixed(0)} s | |`,
    `| due → done, p50 / p95 (paced, ${RATE} deals/s) | ${ms(delayS.p50)} / ${ms(delayS.p95)} | p95 ≤ 1 s |`,
    `| board p95: idle / paced / bulk | ${ms(idleS.p95)} / ${ms(pacedBoardS.p95)} / ${ms(bulkBoardS.p95)} | ≤ 1.5× idle |`,
    `| runs not done (still waiting when measuring stopped, skipped, failed, uncertain) | ${failed} | 0 |`,
    `| e-mails at the SMTP server (distinct Message-IDs) | ${mails.messages} (${mails.distinct}) | ${withEmail ? TOTAL : 'n/a (no send_email type)'} |`,
  );
  const text = report.join('\n');
  log(`\n${text}`);
  const file = path.join(REPO_ROOT, 'bench/results', `automation-${dbKind}-${date}.md`);
  fs.writeFileSync(file, `${text}\n`);
  log(`\nwritten to ${path.relative(REPO_ROOT, file)}`);
} finally {
  await server.stop();
  await inbox.close();
}

/** The SMTP sink (smtp-sink.ts) in a child process: its port, the count of what arrived, close. */
async function startSmtpSink(): Promise<{ port: number; count(): Promise<{ messages: number; distinct: number }>; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench/automation/smtp-sink.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const port = Number((await next()).split(' ')[1]);
  return {
    port,
    async count() {
      const answer = next();
      child.stdin!.write('count\n');
      const [, messages, distinct] = (await answer).split(' ');
      return { messages: Number(messages), distinct: Number(distinct) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
