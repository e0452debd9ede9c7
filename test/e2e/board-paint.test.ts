import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// The board's first paint: cards of a column never overlap, not even for the frames before the
// virtualised column has measured them (cards taller than its estimate — a company, a contact,
// an overdue next step — were drawn over each other for a moment).

describe('the board on first paint', () => {
  let e: E2E;

  beforeAll(async () => {
    e = await startE2E({ viewport: { width: 1366, height: 900 } });
    const api = e.server.admin;
    const company = (await api.post('/companies', { name: 'ООО Очень длинное название компании для проверки переноса строк' })).body.id;
    const contact = (await api.post('/contacts', { lastName: 'Константинопольский', firstName: 'Константин', middleName: 'Константинович' })).body.id;
    for (let i = 0; i < 8; i++) {
      const d = (await api.post('/deals', { title: `Поставка оборудования и монтаж системы вентиляции на объекте №${i + 1}`, amount: 1_000_000 * (i + 1), companyId: company, contactIds: [contact] })).body;
      await api.post('/activities', { type: 'call', subject: 'Позвонить', deadlineAt: new Date(e.now().getTime() - 86_400_000).toISOString(), entityType: 'deal', entityId: d.id });
    }
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'board-paint');

  it('cards of a column never overlap from the first frame on', async () => {
    const { page } = e;
    // sampled on every animation frame from the document's start (injected through the debugging
    // protocol, so the app's CSP does not apply to it)
    await page.addInitScript(() => {
      const g = globalThis as unknown as {
        __overlaps: string[];
        __framesWithCards: number;
        document: { querySelectorAll(s: string): ArrayLike<{ querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { top: number; bottom: number } }> }> };
        requestAnimationFrame(f: () => void): void;
      };
      g.__overlaps = [];
      g.__framesWithCards = 0;
      const check = () => {
        if (g.document.querySelectorAll('[data-testid="deal-card"]').length > 1) g.__framesWithCards++;
        for (const col of Array.from(g.document.querySelectorAll('[data-testid="board-column"]'))) {
          const rects = Array.from(col.querySelectorAll('[data-testid="deal-card"]'))
            .map((c) => c.getBoundingClientRect())
            .sort((a, b) => a.top - b.top);
          for (let i = 1; i < rects.length; i++) if (rects[i]!.top < rects[i - 1]!.bottom - 1) g.__overlaps.push(`${rects[i - 1]!.bottom} > ${rects[i]!.top}`);
        }
        if (g.__overlaps.length < 20) g.requestAnimationFrame(check);
      };
      g.requestAnimationFrame(check);
    });
    // a slow office computer: the frames before the cards are measured last longer
    const cdp = await e.context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    await page.goto(`${e.baseUrl}/deals`);
    await waitForHeading(page, 'Сделки');
    await page.getByTestId('deal-card').nth(7).waitFor();
    await page.getByText('ООО Очень длинное название', { exact: false }).first().waitFor();
    // a few more frames after the names arrived (counted, not slept)
    await page.evaluate('new Promise((done) => { let n = 0; const f = () => (++n >= 20 ? done(n) : requestAnimationFrame(f)); requestAnimationFrame(f); })');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    expect(await page.evaluate('globalThis.__overlaps')).toEqual([]);
    expect(await page.evaluate('globalThis.__framesWithCards')).toBeGreaterThan(0); // the sampler saw the cards
  });
});
