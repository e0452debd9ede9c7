import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs, startE2E, transitionsDone, waitForHeading, type E2E, reportFailures } from './support/e2e.js';

// The shell at 1366 px, the narrowest common office screen: the log-in page leaves nothing in the
// console (no 401 of an anonymous "who am I"), and on the main screens no visible label — button,
// badge, tab, table header, form label, segmented control — is cut («Запланироват», «Дело выполне…»).

/** Visible labels whose text is wider than their box: "tag «text» (scrollWidth > clientWidth)". */
function clippedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { scrollWidth: number; clientWidth: number; textContent: string | null; tagName: string; getClientRects(): ArrayLike<unknown>; closest(s: string): unknown; hasAttribute(a: string): boolean };
    const g = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> }; getComputedStyle(el: El): { textOverflow: string } };
    const sel = ['button', '[role="tab"]', 'th', 'label', '.mantine-Badge-label', '.mantine-Button-label', '.mantine-SegmentedControl-label', '.mantine-NavLink-label'].join(',');
    const out: string[] = [];
    // labels, and any text cut with an ellipsis that does not show its whole text on hover (title)
    const ellipsis = Array.from(g.document.querySelectorAll('body *')).filter((el) => g.getComputedStyle(el).textOverflow === 'ellipsis' && !el.closest('[title]'));
    for (const el of new Set([...Array.from(g.document.querySelectorAll(sel)), ...ellipsis])) {
      if (!el.getClientRects().length || el.closest('[aria-hidden="true"]')) continue;
      const text = (el.textContent ?? '').trim();
      if (!text) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()} «${text}» (${el.scrollWidth} > ${el.clientWidth})`);
    }
    // a table cut by its scroll container (its last column hidden until scrolled)
    for (const table of Array.from(g.document.querySelectorAll('table'))) {
      if (!table.getClientRects().length) continue;
      const box = table.closest('.mantine-ScrollArea-viewport, .mantine-Table-scrollContainer') as El | null;
      if (box && box.scrollWidth > box.clientWidth + 1) out.push(`table «${(table.textContent ?? '').slice(0, 40)}…» (${box.scrollWidth} > ${box.clientWidth})`);
    }
    return out;
  });
}

describe('layout at 1366 px', () => {
  let e: E2E;
  let dealId: number;

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1366, height: 768 } });
    const api = e.server.admin;
    const deal = await api.post('/deals', { title: 'Поставка оборудования для склада', amount: 12_500_000 });
    dealId = deal.body.id;
    await api.post('/activities', { type: 'call', subject: 'Согласовать сроки', deadlineAt: new Date(e.now().getTime() + 3_600_000).toISOString(), entityType: 'deal', entityId: dealId });
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'layout');

  it('the log-in page, opened directly or through the start page, leaves no errors in the console', async () => {
    const { page } = e;
    const unauthorised: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) unauthorised.push(r.url());
    });
    await page.goto(`${e.baseUrl}/login`);
    await page.locator('input[name="email"]').waitFor();
    await page.goto(`${e.baseUrl}/`);
    await page.waitForURL(/\/login/);
    await page.locator('input[name="email"]').waitFor();
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await page.waitForURL(/\/login/);
    await page.locator('input[name="email"]').waitFor();
    expect(unauthorised).toEqual([]);
    expect(e.browserErrors).toEqual([]);
    expect(await clippedLabels(page)).toEqual([]);
  });

  it('no label is clipped on the main screens', async () => {
    const { page } = e;
    await loginAs(page, e.baseUrl, e.adminEmail);
    const screens: Array<[string, string]> = [
      ['/deals', 'Сделки'],
      [`/deals/${dealId}`, 'Поставка оборудования для склада'],
      ['/my-day', 'Мой день'],
      ['/contacts', 'Контакты'],
      ['/companies', 'Компании'],
      ['/leads', 'Лиды'],
      ['/settings/roles', 'Настройки'],
      ['/settings/users', 'Настройки'],
      ['/settings/custom-fields', 'Настройки'],
      ['/settings/products', 'Настройки'],
      ['/recycle-bin', 'Корзина'],
    ];
    const found: string[] = [];
    for (const [path, heading] of screens) {
      await page.goto(e.baseUrl + path);
      await waitForHeading(page, heading);
      await page.waitForLoadState('networkidle');
      await transitionsDone(page);
      for (const c of await clippedLabels(page)) found.push(`${path}: ${c}`);
    }
    expect(found).toEqual([]);
    expect(e.browserErrors).toEqual([]);
  });
});
