import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startE2E, waitForHeading, type E2E, reportFailures, typeUntilOffered } from './support/e2e.js';

// Product rows on the deal card: totals follow the typing (before saving, with the server's own
// arithmetic) and money units are shown as signs («Цена, ₽»), not ISO codes.

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('product rows and the catalog', () => {
  let e: E2E;
  let dealId: number;

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    expect((await api.post('/products', { name: 'Кресло офисное', price: 1_000_00, vatRate: '22', vatIncluded: false, unitName: 'шт' })).status).toBe(201);
    dealId = (await api.post('/deals', { title: 'Кресла для офиса' })).body.id;
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'products');

  it('shows row and deal totals while the rows are typed, and the rouble sign in the header', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Кресла для офиса');
    await page.getByRole('button', { name: 'Добавить товар' }).click();
    await (await typeUntilOffered(page, page.getByRole('combobox', { name: 'Товар, строка 1' }), 'Кресло', { name: /Кресло офисное/ })).click();
    await page.getByRole('textbox', { name: 'Количество, строка 1' }).fill('2');

    await page.getByText('Цена, ₽', { exact: true }).waitFor();
    expect(await page.getByText('Цена, RUB').count()).toBe(0);
    // 2 × 1 000,00 ₽ + 22 % on top = 2 440,00 ₽, before anything is saved
    const rowTotal = page.getByTestId('product-row-total').first();
    await rowTotal.getByText(/2\s440,00\s₽/).waitFor();
    expect(norm(await rowTotal.innerText())).not.toContain('после сохранения');
    await page.getByTestId('products-grand-total').getByText(/2\s440,00\s₽/).waitFor();
    expect(norm(await page.getByTestId('product-totals').innerText())).toContain('НДС 22 %: 440,00 ₽');

    // a second row typed by hand (a new row's price includes 22 % VAT): the totals follow the typing
    await page.getByRole('button', { name: 'Добавить товар' }).click();
    await page.getByRole('combobox', { name: 'Товар, строка 2' }).fill('Доставка');
    await page.getByLabel('Цена, строка 2').fill('500');
    await page.getByTestId('products-grand-total').getByText(/2\s940,00\s₽/).waitFor(); // 2 440 + 500
    // an invalid figure: no total rather than a wrong one
    await page.getByRole('textbox', { name: 'Количество, строка 2' }).fill('abc');
    await page.getByTestId('products-grand-total').getByText('Итог появится', { exact: false }).waitFor();
    await page.getByRole('textbox', { name: 'Количество, строка 2' }).fill('1');

    await page.getByRole('button', { name: 'Сохранить товары' }).click();
    await page.getByRole('button', { name: 'Сохранить товары' }).waitFor({ state: 'detached' });
    const saved = (await e.server.admin.get(`/deals/${dealId}/products`)).body;
    expect(saved.totals.total).toBe(2_940_00); // the live figure is the server's
    expect(norm(await page.getByTestId('products-grand-total').innerText())).toContain('2 940,00 ₽');
  });

  it('the catalog in settings: an administrator adds, edits and archives a product and brings it back', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings`);
    await page.getByRole('tab', { name: 'Товары' }).click();
    await page.waitForURL(/\/settings\/products$/);
    const table = page.getByTestId('products-table');
    await table.getByRole('row', { name: /Кресло офисное/ }).waitFor();

    await page.getByRole('button', { name: 'Новый товар' }).click();
    let dialog = page.getByRole('dialog', { name: 'Новый товар или услуга' });
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.getByText('Укажите название').waitFor(); // nothing sent
    await dialog.getByLabel(/^Название/).fill('Стол письменный');
    await dialog.getByLabel('Цена').fill('7 500,50');
    await dialog.getByTestId('currency-sign').getByText('₽').waitFor();
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await table.getByRole('row', { name: /Стол письменный/ }).getByText(/7\s500,50\s₽/).waitFor();
    const created = (await e.server.admin.get('/products', { q: 'Стол письменный' })).body.items[0];
    expect(created).toMatchObject({ price: 750050, currency: 'RUB', vatRate: '22', vatIncluded: true, active: true });

    await page.getByRole('button', { name: 'Изменить товар Стол письменный' }).click();
    dialog = page.getByRole('dialog', { name: 'Товар «Стол письменный»' });
    await dialog.getByLabel('Цена').fill('8000');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await table.getByRole('row', { name: /Стол письменный/ }).getByText(/8\s000,00\s₽/).waitFor();

    await page.getByRole('button', { name: 'В архив: Стол письменный' }).click();
    await table.getByRole('row', { name: /Стол письменный/ }).waitFor({ state: 'detached' });
    expect((await e.server.admin.get(`/products/${created.id}`)).body.active).toBe(false);
    await page.getByLabel('Показать архивные').check();
    await table.getByRole('row', { name: /Стол письменный/ }).getByText('в архиве').waitFor();
    await page.getByRole('button', { name: 'Вернуть из архива: Стол письменный' }).click();
    await table.getByRole('row', { name: /Стол письменный/ }).getByText('в архиве').waitFor({ state: 'detached' });
    expect((await e.server.admin.get(`/products/${created.id}`)).body.active).toBe(true);
  });
});
