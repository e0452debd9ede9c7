import { mkdirSync } from 'node:fs';
import { beforeEach, vi } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import pino from 'pino';
import { JobWorker } from '../../../src/jobs/worker.js';
import { launchBrowser } from './browser.js';

export const ADMIN_PASSWORD = 'correct horse battery';
export const RESULTS_DIR = join(process.cwd(), 'test-results');

export interface E2E {
  /** the real server on a fresh SQLite database, serving web/dist; `server.admin` is an API client */
  server: TestServer;
  baseUrl: string;
  adminEmail: string;
  context: BrowserContext;
  /** "now" for the server and the browser alike: the test epoch, running with real time since the start */
  now(): Date;
  /** moves server and browser to another instant (both keep running from there) */
  setNow(iso: string | Date): Promise<void>;
  /** a page of the browser (one per test file; open more with context.newPage()) */
  page: Page;
  /** uncaught errors and console errors of the pages so far (a test may assert it stays empty) */
  browserErrors: string[];
  /** saves test-results/<name>.png (git-ignored) */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a real server and a headless Chromium. In a test file:
 *
 *   let e: E2E;
 *   beforeAll(async () => { e = await startE2E(); });
 *   afterAll(() => e?.close());
 *   it('…', async () => { await loginAs(e.page, e.baseUrl, e.adminEmail); … });
 */
export async function startE2E(opts: { viewport?: { width: number; height: number }; automation?: boolean } = {}): Promise<E2E> {
  // One time for both sides: the server's clock starts at the test epoch and runs; the browser's
  // clock is installed at the server's now and runs alongside (Date, timers, performance).
  const server = await startTestServer('sqlite', { running: true });
  // `automation`: the robots engine runs as in the real server (the outbox consumer plans runs, a
  // job worker runs the due ones) with the triggers' outbox consumer beside it; the clock runs with
  // real time, so due jobs run by themselves.
  let worker: JobWorker | undefined;
  let browser;
  try {
    if (opts.automation) {
      server.ctx.services.automation.start();
      server.ctx.services.triggers.start();
      worker = new JobWorker(server.ctx.db, server.clock, server.ctx.services.jobs, { pollIntervalMs: 100, log: pino({ level: 'silent' }) });
      worker.start();
    }
    browser = await launchBrowser(opts.viewport);
    await browser.context.clock.install({ time: server.clock.now() });
  } catch (e) {
    await browser?.close();
    await worker?.stop({ graceMs: 0 });
    await server.ctx.services.automation.stop();
    await server.ctx.services.triggers.stop();
    await server.close();
    throw e;
  }
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const browserErrors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (err) => browserErrors.push(`pageerror: ${err.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error') browserErrors.push(`console: ${msg.text()}`);
    });
  };
  watch(page);
  browser.context.on('page', watch);
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    server,
    baseUrl: server.baseUrl,
    adminEmail: server.admin.user.email as string,
    context: browser.context,
    now: () => server.clock.now(),
    setNow: async (iso) => {
      server.clock.set(iso);
      await browser.context.clock.setSystemTime(server.clock.now());
    },
    page,
    browserErrors,
    screenshot: async (name, p = page) => {
      const path = join(RESULTS_DIR, `${name}.png`);
      await p.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await browser.close();
      await worker?.stop({ graceMs: 0 });
      if (opts.automation) {
        await server.ctx.services.automation.stop();
        await server.ctx.services.triggers.stop();
      }
      await server.close();
    },
  };
}

/** Logs in through the log-in page and waits for the app shell. */
export async function loginAs(page: Page, baseUrl: string, email: string, password = ADMIN_PASSWORD, path = '/'): Promise<void> {
  await page.goto(baseUrl + path);
  await page.waitForURL(/\/login/);
  await fillLogin(page, email, password);
  await page.locator('[data-testid="user-menu"]').waitFor();
}

/** Fills and submits the log-in form (either language). */
export async function fillLogin(page: Page, email: string, password: string): Promise<void> {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/** Waits until the screen's heading (main h1) reads exactly `text` (screens load lazily). */
export async function waitForHeading(page: Page, text: string): Promise<void> {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.locator('main h1', { hasText: new RegExp(`^${escaped}$`) }).waitFor();
}

/**
 * Types `text` into a searchable select and waits until it offers the option (returned, to click or
 * check). The typing is repeated until the list answers: a select mounted a moment ago (a dialog or an
 * in-place editor just opened) clears its search once more when its mount effect runs, and on a
 * loaded machine the first keystrokes can land before that (Mantine's Select resets the search of
 * an empty select in an effect; React runs pending effects before it renders the typed text).
 */
export async function typeUntilOffered(page: Page, input: Locator, text: string, option: Parameters<Page['getByRole']>[1]): Promise<Locator> {
  const offered = page.getByRole('option', option).first();
  await vi.waitFor(
    async () => {
      await input.fill(text);
      await offered.waitFor({ timeout: 3000 });
    },
    { timeout: 20_000, interval: 50 },
  );
  return offered;
}

// Expressions run in the page are strings: the root tsconfig has no DOM types (it is the server's).

/** The element with keyboard focus: its id, data-testid and text. */
export function focused(page: Page): Promise<{ id: string; testId: string | null; text: string | null } | null> {
  return page.evaluate(
    `(() => { const el = document.activeElement; return el && el !== document.body ? { id: el.id, testId: el.getAttribute('data-testid'), text: el.textContent } : null; })()`,
  );
}

/** Waits until no CSS transition runs (a dialog fading in, the navigation sliding away). */
export async function transitionsDone(page: Page): Promise<void> {
  // a function, not a string: the app's CSP has no 'unsafe-eval', and a string predicate is eval'd
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as { document: { getAnimations(): unknown[] }; CSSTransition: new () => unknown };
      return g.document.getAnimations().every((a) => !(a instanceof g.CSSTransition));
    },
    undefined,
    { timeout: 5000 },
  );
}

/**
 * How many pixels the page is wider than the window (> 0: a horizontal scrollbar), measured once
 * the layout has settled: after a resize the shell slides its navigation away with a CSS transition,
 * and a measurement in the middle of it sees the old width.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  await transitionsDone(page);
  return page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * English left in a Russian interface where only a screen reader or a tooltip shows it: the
 * placeholder, aria-label, title, alt and aria-roledescription of elements a screen reader reads
 * (libraries bring English defaults, e.g. drag-and-drop's «sortable»), and the drag-and-drop
 * instructions. E-mails, addresses, key names, «E-mail» (so it is written in Russian) and text marked with its own `lang` are left out.
 */
export function englishLabels(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const found = [];
    const english = (v) => /[A-Za-z]{3,}/.test(v.replace(/\\S+@\\S+|https?:\\S+|\\b(?:E-mail|Enter|Escape|Space|Tab|Ctrl|Shift)\\b/g, '')) && !/[А-Яа-яЁё]/.test(v);
    const attrs = ['placeholder', 'aria-label', 'title', 'alt', 'aria-roledescription', 'aria-valuetext', 'aria-description'];
    for (const el of document.querySelectorAll(attrs.map((a) => '[' + a + ']').join(','))) {
      if (el.closest('[aria-hidden="true"],[lang]:not(html)')) continue;
      for (const a of attrs) {
        const v = el.getAttribute(a);
        if (v && english(v)) found.push(a + '="' + v + '" on <' + el.tagName.toLowerCase() + '>');
      }
    }
    for (const el of document.querySelectorAll('[id^="DndDescribedBy"]')) if (english(el.textContent || '')) found.push('drag-and-drop instructions: ' + el.textContent);
    return [...new Set(found)];
  })()`) as Promise<string[]>;
}

/**
 * In a describe block: when a test fails, prints the browser's errors so far and saves
 * test-results/failed-<prefix>-<test name>.png. `get` returns the suite's E2E (set in beforeAll).
 */
export function reportFailures(get: () => E2E | undefined, prefix: string): void {
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      const e = get();
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-${prefix}-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });
}
