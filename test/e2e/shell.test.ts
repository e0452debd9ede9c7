import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { focused, horizontalOverflow, loginAs, startE2E, type E2E, waitForHeading } from './support/e2e.js';

describe('the app shell: global search, keyboard, phone-sized screen', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('finds deals and contacts by name and phone, grouped, and opens the chosen one with the keyboard', async () => {
    const { page, server } = e;
    const deal = await server.admin.post('/deals', { title: 'Поставка мебели', amount: 15000000 });
    expect(deal.status).toBe(201);
    const contact = await server.admin.post('/contacts', { firstName: 'Иван', lastName: 'Мебельщиков', phones: [{ value: '+7 912 345-67-89' }] });
    expect(contact.status).toBe(201);

    const search = page.getByRole('searchbox', { name: 'Поиск', exact: true });
    await page.keyboard.press('Control+k'); // focuses the search
    await expect.poll(async () => (await focused(page))?.testId).toBe('global-search');
    await page.keyboard.type('мебел');
    const results = page.getByTestId('global-search-results');
    await results.getByText('Поставка мебели').waitFor();
    const text = (await results.innerText()).replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Сделки');
    expect(text).toContain('150 000 ₽');
    expect(text).toContain('Контакты');
    expect(text).toContain('Мебельщиков Иван');

    // Enter opens the first hit (the deal)
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/deals/${deal.body.id}$`));
    await waitForHeading(page, 'Поставка мебели');
    expect(await search.inputValue()).toBe('');

    // by phone, typed in another format
    await search.fill('89123456789');
    await results.getByText('Мебельщиков Иван').click();
    await page.waitForURL(new RegExp(`/contacts/${contact.body.id}$`));

    // nothing found says what to do
    await search.fill('Несуществующее');
    await results.getByText('Ничего не найдено. Проверьте написание или поищите по телефону или e-mail.').waitFor();
    await page.keyboard.press('Escape');
  });

  it('starts keyboard navigation with a skip link to the content', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/my-day`);
    await page.locator('main h1').waitFor();
    await page.keyboard.press('Tab');
    expect((await focused(page))?.text).toBe('Перейти к содержимому');
    await page.keyboard.press('Enter');
    expect((await focused(page))?.id).toBe('main');
  });

  it('shows a friendly page for an unknown address', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/no-such-page`);
    await page.getByText('Страница не найдена').waitFor();
    await page.getByRole('link', { name: 'На главную' }).click();
    await page.waitForURL(/\/deals$/);
  });

  it('works on a phone-sized screen: the navigation hides behind a burger', async () => {
    const { page } = e;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${e.baseUrl}/deals`);
    await page.locator('main h1').waitFor();
    const nav = page.getByRole('navigation', { name: 'Основное меню' });
    const burger = page.getByRole('button', { name: 'Открыть меню' });
    await burger.waitFor();
    expect(await nav.getByRole('link', { name: 'Лиды' }).isVisible()).toBe(false); // hidden, not just off-screen
    await burger.click();
    await nav.getByRole('link', { name: 'Лиды' }).click();
    await page.waitForURL(/\/leads$/);
    await waitForHeading(page, 'Лиды');
    // following a link closes the drawer again
    await expect.poll(() => nav.getByRole('link', { name: 'Лиды' }).isVisible()).toBe(false);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await e.screenshot('shell-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('has no errors in the browser console (401 of the first "who am I" aside)', () => {
    expect(e.browserErrors.filter((m) => !/status of 401/.test(m))).toEqual([]);
  });
});

describe('the production build', () => {
  it('is code-split and its initial JavaScript is under 400 KB gzipped', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['scripts/web-size.mjs', '--json'], { encoding: 'utf8' }));
    expect(out.initialJsGzip).toBeLessThan(400 * 1024);
    expect(out.lazyJsFiles).toBeGreaterThanOrEqual(7); // one chunk per screen at least
  });
});
