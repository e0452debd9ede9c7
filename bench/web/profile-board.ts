// Where the time to the board's first cards goes, in the browser: one cold and one warm load of
// /deals on the core benchmark's database with a Chromium trace (main thread: script evaluation,
// compilation, style, layout, paint) and a V8 CPU profile (JavaScript self time by function).
//
//   npx tsx bench/web/profile-board.ts            prints both summaries
//   npx tsx bench/web/profile-board.ts --top 40   more functions
//
// Function names are readable only in an unminified build: `VORONKA_WEB_MINIFY=0 npm run build:web`
// first (and `npm run build:web` after, for the real figures).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer } from '../core/server-process.js';
import { BENCH_DATA_DIR, resolveTarget } from '../core/target.js';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const TOP = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
interface TraceEvent { name: string; ph: string; dur?: number; ts: number; tid: number; pid: number; args?: { data?: { frame?: string } } }

function selfTimes(profile: CpuProfile): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url ? path.basename(f.url.split('?')[0]!) : '';
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Main-thread work of the page's renderer, summed by kind (nested kinds overlap: a Layout may be inside a FunctionCall). */
function mainThreadSummary(events: TraceEvent[]): Array<[string, number]> {
  // several renderers may have run (about:blank, the app): the busiest main thread is the app's
  const mains = events.filter((e) => e.name === 'thread_name' && (e as unknown as { args: { name: string } }).args.name === 'CrRendererMain');
  const busy = (m: TraceEvent) => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').reduce((n, e) => n + (e.dur ?? 0), 0);
  const main = mains.sort((a, b) => busy(b) - busy(a))[0];
  const onMain = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const kinds = ['RunTask', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'TimerFire', 'RunMicrotasks', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'Paint', 'ParseHTML', 'ParseAuthorStyleSheet', 'MajorGC', 'MinorGC'];
  const totals = new Map<string, number>();
  for (const e of onMain) if (kinds.includes(e.name)) totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  const long = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000).map((e) => e.dur! / 1000);
  totals.set(`long tasks > 50 ms (${long.length}): ${long.map((x) => Math.round(x)).join(', ')}`, long.reduce((a, b) => a + b, 0));
  return [...totals].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const t = resolveTarget('sqlite');
  if (!t.file || !fs.existsSync(t.file)) throw new Error('no core benchmark database: npm run bench -- --skip-http --skip-writes');
  const server = await startServer(t, 'web-profile');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.locator('input[name="email"]').fill(ADMIN_EMAIL);
    await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.locator('[data-testid="user-menu"]').waitFor({ timeout: 60_000 });
    await page.goto('about:blank');
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    for (const label of ['cold', 'warm']) {
      if (label === 'cold') await cdp.send('Network.clearBrowserCache');
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', '__metadata'] });
      await cdp.send('Profiler.start');
      await page.goto(`${server.baseUrl}/deals`, { waitUntil: 'commit' });
      await page.locator('[data-testid="deal-card"]').first().waitFor({ timeout: 60_000 });
      const firstCard = (await page.evaluate('performance.now()')) as number;
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      console.log(`\n== ${label}: first card seen at ${Math.round(firstCard)} ms after navigation start`);
      console.log('-- main thread until the trace stopped (ms):');
      for (const [k, v] of mainThreadSummary(trace.traceEvents)) console.log(`${v.toFixed(0).padStart(7)}  ${k}`);
      console.log(`-- JavaScript self time, top ${TOP} (ms):`);
      for (const [k, v] of selfTimes(profile).slice(0, TOP)) console.log(`${v.toFixed(1).padStart(7)}  ${k}`);
      fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
      fs.writeFileSync(path.join(BENCH_DATA_DIR, `board-${label}.cpuprofile`), JSON.stringify(profile));
      await page.goto('about:blank');
    }
    // opening a card from the (warm) board: click → the deal screen's heading
    await page.goto(`${server.baseUrl}/deals`, { waitUntil: 'commit' });
    await page.locator('[data-testid="deal-card"]').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    const requests: string[] = [];
    const t0 = Date.now();
    page.on('request', (r) => requests.push(`${String(Date.now() - t0).padStart(5)} ms  → ${r.url().replace(server.baseUrl, '')}`));
    page.on('requestfinished', (r) => requests.push(`${String(Date.now() - t0).padStart(5)} ms  ← ${r.url().replace(server.baseUrl, '')}`));
    await cdp.send('Profiler.start');
    await page.evaluate(`(() => { window.__t0 = performance.now(); document.querySelector('[data-testid="deal-card"]').click(); })()`);
    await page.locator('main h1').first().waitFor({ timeout: 60_000 });
    const opened = (await page.evaluate('performance.now() - window.__t0')) as number;
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    console.log(`\n== open a card: heading seen ${Math.round(opened)} ms after the click`);
    console.log(`-- requests (ms since the click):\n${requests.join('\n')}`);
    console.log(`-- JavaScript self time, top ${TOP} (ms):`);
    for (const [k, v] of selfTimes(profile).slice(0, TOP)) console.log(`${v.toFixed(1).padStart(7)}  ${k}`);
    fs.writeFileSync(path.join(BENCH_DATA_DIR, 'card-open.cpuprofile'), JSON.stringify(profile));
    console.log(`\nprofiles written to ${path.relative(process.cwd(), BENCH_DATA_DIR)}/{board-cold,board-warm,card-open}.cpuprofile (open in Chrome DevTools)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
