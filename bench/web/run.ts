// Web benchmark: how fast the deal board feels in a real browser.
//
//   npm run bench:web                     the core benchmark's database (data/bench/voronka-bench.db,
//                                         1M deals; `npm run bench -- --keep` keeps it) if present,
//                                         otherwise a fresh seed-demo database
//   npm run bench:web -- --demo           always a fresh seed-demo database (--deals 2000 by default)
//   npm run bench:web -- --runs 7         measured runs per figure (median and max are reported)
//
// It starts the real server (bench/core/server-process.ts), logs in as the administrator in
// headless Chromium (playwright-core + /usr/bin/chromium, as the browser tests), and measures:
//   - time to first cards: navigation start → the first deal card is in the page, on /deals
//     (cold: a new browser context without cache; warm: the same context again);
//   - time to open a card: click on a card → the deal's title is shown on the deal screen (from the
//     board's copy of the deal), and → the card is complete (its fields, no placeholder left);
//   - the initial JavaScript size (scripts/web-size.mjs --json).
// The table is printed and written to bench/results/web-<date>.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type ServerHandle } from '../core/server-process.js';
import { BENCH_DATA_DIR, generationInfoFile, REPO_ROOT, resolveTarget, type Target } from '../core/target.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
if (flag('help')) {
  console.log('npm run bench:web [-- --demo] [--deals 2000] [--runs 5]');
  process.exit(0);
}
const RUNS = Math.max(1, Number(option('runs', '5')));
const DEMO_DEALS = option('deals', '2000');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

function run(cmd: string, argv: string[], env: Record<string, string> = {}): string {
  return execFileSync(cmd, argv, { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/**
 * The core benchmark's SQLite database when its generation finished (the core benchmark writes
 * sqlite-generation.json at the end and deletes it when it starts afresh); otherwise null.
 */
function benchDatabase(): Target | null {
  const t = resolveTarget('sqlite');
  if (!t.file || !fs.existsSync(t.file) || !fs.existsSync(generationInfoFile(t))) return null;
  return t;
}

/** A fresh SQLite database with the workspace (created by the server's first start) and the demo company. */
async function demoDatabase(): Promise<Target> {
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const file = path.join(BENCH_DATA_DIR, 'voronka-web-demo.db');
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
  const t: Target = { db: 'sqlite', url: `sqlite:${file}`, file };
  const first = await startServer(t, 'web-setup');
  await first.stop();
  console.log(`seeding a demo company (${DEMO_DEALS} deals)…`);
  run('npx', ['tsx', 'src/cli/main.ts', 'seed-demo', '--deals', DEMO_DEALS, '--password', 'demo-password-0123'], { DATABASE_URL: t.url, LOG_LEVEL: 'warn' });
  return t;
}

async function login(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="email"]').fill(ADMIN_EMAIL);
  await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.locator('[data-testid="user-menu"]').waitFor({ timeout: 60_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

// Records when the first deal card enters the page, in ms since navigation start.
const FIRST_CARD_PROBE = `
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid="deal-card"]')) { window.__firstCard = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

async function timeToFirstCards(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('[data-testid="deal-card"]').first().waitFor({ timeout: 60_000 });
  return (await page.evaluate('window.__firstCard')) as number;
}

/** Click → the deal's title is shown, and click → the whole card is in (fields, no placeholders left). */
async function timeToOpenCard(page: Page): Promise<{ title: number; full: number }> {
  const card = page.locator('[data-testid="deal-card"]').first();
  await card.waitFor({ timeout: 60_000 });
  const title = ((await card.locator('p, div').first().textContent()) ?? '').trim();
  await page.evaluate(`(() => { window.__t0 = performance.now(); document.querySelector('[data-testid="deal-card"]').click(); })()`);
  const handle = await page.waitForFunction(
    `(() => {
      if (!/^\\/deals\\/\\d+/.test(location.pathname)) return false;
      const title = ${JSON.stringify(title)};
      const shown = [...document.querySelectorAll('main h1, main h2, main input, main textarea, main [data-testid]')].some((el) =>
        (el.value ?? el.textContent ?? '').includes(title));
      return shown ? performance.now() - window.__t0 : false;
    })()`,
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const titleShown = (await handle.jsonValue()) as number;
  const full = await page.waitForFunction(
    `(() => document.querySelector('main [data-testid="field-responsible"]') && !document.querySelector('main [aria-busy="true"]')
      ? performance.now() - window.__t0 : false)()`,
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return { title: titleShown, full: (await full.jsonValue()) as number };
}

async function main() {
  run(process.execPath, ['scripts/ensure-web-build.mjs']);
  const size = JSON.parse(run(process.execPath, ['scripts/web-size.mjs', '--json'])) as { initialJsGzip: number; initialJsRaw: number; cssGzip: number; lazyJsGzip: number };

  const bench = flag('demo') ? null : benchDatabase();
  const target = bench ?? (await demoDatabase());
  const dataset = bench ? 'core benchmark database (data/bench/voronka-bench.db)' : `fresh seed-demo database (${DEMO_DEALS} deals)`;
  console.log(`server on the ${dataset}…`);
  let server: ServerHandle | null = null;
  let browser: Browser | null = null;
  try {
    server = await startServer(target, 'web');
    const boardRes = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    const cookie = /voronka_session=[^;]*/.exec(boardRes.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const pipes = (await (await fetch(`${server.baseUrl}/api/v1/pipelines`, { headers: { cookie } })).json()) as { items: Array<{ id: number; name: string; isDefault: boolean }> };
    const def = pipes.items.find((p) => p.isDefault) ?? pipes.items[0]!;
    const board = (await (await fetch(`${server.baseUrl}/api/v1/pipelines/${def.id}/board?limit=20`, { headers: { cookie } })).json()) as { columns: Array<{ count: number }> };
    const dealsInPipeline = board.columns.reduce((n, c) => n + c.count, 0);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const storageState = await login(browser, server.baseUrl);
    const url = `${server.baseUrl}/deals`;

    const cold: number[] = [];
    const warm: number[] = [];
    const open: number[] = [];
    const openFull: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context: BrowserContext = await browser.newContext({ storageState, viewport: { width: 1280, height: 800 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
      await context.addInitScript(FIRST_CARD_PROBE);
      const page = await context.newPage();
      cold.push(await timeToFirstCards(page, url));
      warm.push(await timeToFirstCards(page, url));
      const opened = await timeToOpenCard(page);
      open.push(opened.title);
      openFull.push(opened.full);
      await context.close();
      process.stdout.write('.');
    }
    process.stdout.write('\n');

    const date = new Date().toISOString().slice(0, 10);
    const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const lines = [
      `# Web benchmark — ${date}`,
      '',
      `Data: ${dataset}; the default pipeline «${def.name}» has ${dealsInPipeline.toLocaleString('en')} deals (the board shows 20 per column and pages in the rest on scroll).`,
      `Headless Chromium ${browser.version()}, 1280×800, server and browser on this machine (${os.cpus().length} CPUs, load average at the end ${load}). ${RUNS} runs; median (max).`,
      '',
      '| Figure | Median | Max | Limit |',
      '|---|---:|---:|---|',
      `| Time to first cards, cold (new context, empty cache) | ${ms(median(cold))} | ${ms(Math.max(...cold))} | |`,
      `| Time to first cards, warm (cached scripts) | ${ms(median(warm))} | ${ms(Math.max(...warm))} | |`,
      `| Time to open a card (click → deal title shown) | ${ms(median(open))} | ${ms(Math.max(...open))} | |`,
      `| Time to open a card fully (click → fields shown, no placeholders) | ${ms(median(openFull))} | ${ms(Math.max(...openFull))} | |`,
      `| Initial JavaScript, gzip | ${kb(size.initialJsGzip)} | | ≤ 400 KB (CI) |`,
      '',
      `Initial JS raw ${kb(size.initialJsRaw)}; initial CSS gzip ${kb(size.cssGzip)}; lazily loaded JS gzip ${kb(size.lazyJsGzip)} (all screens).`,
      'Time to first cards runs from navigation start to the first deal card in the DOM (a MutationObserver in the page); time to open a card from the click to the deal title on the deal screen (the board’s copy of the deal is shown first), and to the deal’s own fields with no placeholder left.',
      '',
    ];
    const report = lines.join('\n');
    console.log(`\n${report}`);
    const out = path.join(REPO_ROOT, 'bench', 'results', `web-${date}.md`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, report);
    console.log(`written to ${path.relative(REPO_ROOT, out)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
