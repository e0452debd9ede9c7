import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

describe('contacts: duplicates, search, merge', () => {
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

  async function createContact(last: string, first: string, phone: string, email: string) {
    const { page } = e;
    await page.goto(`${e.baseUrl}/contacts/new`);
    await waitForHeading(page, 'Новый контакт');
    await page.getByLabel('Фамилия').fill(last);
    await page.getByLabel('Имя', { exact: true }).fill(first);
    await page.getByLabel('Телефон 1').fill(phone);
    await page.getByLabel('E-mail 1').fill(email);
    await page.getByRole('button', { name: 'Создать контакт' }).click();
    await waitForHeading(page, `${last} ${first}`);
    return Number(/\/contacts\/(\d+)$/.exec(page.url())![1]);
  }

  it('warns about a duplicate, finds it by phone and merges the two', async () => {
    const { page, server } = e;
    const firstId = await createContact('Морозова', 'Анна', '+7 921 555-44-33', 'anna@work.ru');
    expect(await page.getByTestId('duplicates-alert').count()).toBe(0);

    // the same phone typed differently: the server reports a duplicate, the new record is kept
    const secondId = await createContact('Морозова', 'Анна Сергеевна', '8 (921) 555-44-33', 'anna@home.ru');
    const alert = page.getByTestId('duplicates-alert');
    await alert.getByText('Возможный дубликат').waitFor();
    await alert.getByRole('link', { name: 'Морозова Анна' }).waitFor();
    expect(await alert.innerText()).toContain('совпадает телефон');
    await alert.getByRole('button', { name: 'Оставить новую запись' }).click();
    expect(await page.getByTestId('duplicates-alert').count()).toBe(0);

    // search by phone in the list finds both
    await page.goto(`${e.baseUrl}/contacts`);
    await waitForHeading(page, 'Контакты');
    await page.getByRole('searchbox', { name: 'Поиск по списку' }).fill('89215554433');
    await page.waitForURL(/q=89215554433/);
    const table = page.getByTestId('contacts-table');
    await table.getByRole('link', { name: 'Морозова Анна Сергеевна' }).waitFor();
    await table.getByRole('link', { name: 'Морозова Анна', exact: true }).waitFor();
    await page.getByText('Показано 2 из 2').waitFor();

    // merge: from the first one's card, pick the second, see what survives, confirm
    await table.getByRole('link', { name: 'Морозова Анна', exact: true }).click();
    await waitForHeading(page, 'Морозова Анна');
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Объединить с…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Вторая запись').fill('Сергеевна');
    await page.getByRole('option', { name: /Морозова Анна Сергеевна/ }).click();
    const preview = dialog.getByTestId('merge-preview');
    await preview.waitFor();
    const emails = preview.getByRole('row').filter({ hasText: 'E-mail' });
    expect(await emails.getByRole('cell').last().innerText()).toBe('anna@work.ru, anna@home.ru');
    await dialog.getByRole('button', { name: 'Объединить' }).click();
    await page.getByText('Записи объединены').waitFor();

    // one remains, with both e-mails and one phone
    const found = (await server.admin.get('/contacts', { q: '89215554433' })).body.items;
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe(firstId);
    expect(found[0].emails.map((m: { value: string }) => m.value)).toEqual(['anna@work.ru', 'anna@home.ru']);
    expect(found[0].phones).toHaveLength(1);
    expect((await server.admin.get(`/contacts/${secondId}`)).status).toBe(404);
    await page.getByTestId('timeline').getByText('Объединено с записью «Морозова Анна Сергеевна»').waitFor();
    expect(await page.getByLabel('E-mail 2').inputValue()).toBe('anna@home.ru');
    await e.screenshot('contacts');
  });

  it('shows a company with its people and deals, and asks before deleting', async () => {
    const { page, server } = e;
    const company = (await server.admin.post('/companies', { name: 'АО Вектор', phones: [{ value: '+7 495 100-20-30' }] })).body;
    const person = (await server.admin.post('/contacts', { lastName: 'Векторов', firstName: 'Илья', companyIds: [company.id] })).body;
    await server.admin.post('/deals', { title: 'Поставка для Вектора', amount: 5000000, companyId: company.id, contactIds: [person.id] });

    await page.goto(`${e.baseUrl}/companies?q=Вектор`);
    await waitForHeading(page, 'Компании');
    await page.getByTestId('companies-table').getByRole('link', { name: 'АО Вектор' }).click();
    await waitForHeading(page, 'АО Вектор');
    await page.getByTestId('company-contacts').getByRole('link', { name: 'Векторов Илья' }).waitFor();
    await page.getByTestId('record-deals').getByRole('link', { name: 'Поставка для Вектора' }).waitFor();

    // edit a field in place and save
    await page.getByLabel('Сайт').fill('vector.ru');
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').waitFor();
    expect((await server.admin.get(`/companies/${company.id}`)).body.website).toBe('vector.ru');

    // delete asks first; cancel keeps it
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    await page.getByRole('dialog').getByText('Компания «АО Вектор» будет удалена').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Отмена' }).click();
    expect((await server.admin.get(`/companies/${company.id}`)).status).toBe(200);
  });
});
