import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiClient } from '../support/api-client.js';
import { ADMIN_PASSWORD, loginAs, startE2E, waitForHeading, type E2E, typeUntilOffered } from './support/e2e.js';

/** The names a select offers once opened. */
async function offered(page: Page, open: () => Promise<void>): Promise<string[]> {
  await open();
  await page.getByRole('option').first().waitFor();
  const names = (await page.getByRole('option').allInnerTexts()).map((n) => n.trim()).sort();
  await page.keyboard.press('Escape');
  return names;
}

// What a new user hit (issue 7 §3): creating a contact or company right from the pickers, the
// full «Новая сделка» form, the client's phone and e-mail as links, the responsibles a role may
// hand a record to, and lead conversion defaulting to an exact duplicate.

describe('a new user’s day: clients, new deals, hand-over', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-new-user-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('creates a contact and a company from the deal card’s pickers and links them', async () => {
    const { page } = e;
    const deal = (await e.server.admin.post('/deals', { title: 'Поставка кресел' })).body;
    await page.goto(`${e.baseUrl}/deals/${deal.id}`);
    await waitForHeading(page, 'Поставка кресел');

    await page.getByRole('button', { name: 'Изменить: Контакты' }).click();
    await (await typeUntilOffered(page, page.getByTestId('field-contacts-editor').getByLabel('Контакты'), 'Новиков Пётр', { name: 'Создать контакт «Новиков Пётр»' })).click();
    await page.getByTestId('field-contacts-editor').getByText('Новиков Пётр').waitFor();
    await page.getByTestId('field-contacts-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-contacts-value').getByRole('link', { name: 'Новиков Пётр' }).waitFor();

    await page.getByRole('button', { name: 'Изменить: Компания' }).click();
    await (await typeUntilOffered(page, page.getByTestId('field-company-editor').getByLabel('Компания'), 'Кресла и Ко', { name: 'Создать компанию «Кресла и Ко»' })).click();
    await page.getByTestId('field-company-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-company-value').getByRole('link', { name: 'Кресла и Ко' }).waitFor();

    const saved = (await e.server.admin.get(`/deals/${deal.id}`)).body;
    expect(saved.contactIds).toHaveLength(1);
    expect((await e.server.admin.get(`/contacts/${saved.contactIds[0]}`)).body).toMatchObject({ lastName: 'Новиков', firstName: 'Пётр' });
    expect((await e.server.admin.get(`/companies/${saved.companyId}`)).body).toMatchObject({ name: 'Кресла и Ко' });

    // an exact hit is picked, not made again
    await page.getByRole('button', { name: 'Изменить: Компания' }).click();
    await (await typeUntilOffered(page, page.getByTestId('field-company-editor').getByLabel('Компания'), 'Кресла и Ко', { name: 'Кресла и Ко', exact: true })).waitFor();
    expect(await page.getByRole('option', { name: /Создать компанию/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('creates a company from a contact’s card and links it', async () => {
    const { page } = e;
    const contact = (await e.server.admin.post('/contacts', { lastName: 'Сергеева', firstName: 'Ольга' })).body;
    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Сергеева Ольга');
    await (await typeUntilOffered(page, page.getByLabel('Привязать компанию').first(), 'Сергеева и партнёры', { name: 'Создать компанию «Сергеева и партнёры»' })).click();
    await page.getByRole('link', { name: 'Сергеева и партнёры' }).waitFor();
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await e.server.admin.get(`/contacts/${contact.id}`)).body.companyIds).toHaveLength(1);
    const companyId = (await e.server.admin.get(`/contacts/${contact.id}`)).body.companyIds[0];
    expect((await e.server.admin.get(`/companies/${companyId}`)).body.name).toBe('Сергеева и партнёры');
  });

  it('creates a deal with the full «Новая сделка» form from the board: client, amount, stage and a required field', async () => {
    const { page } = e;
    const field = await e.server.admin.post('/custom-fields', { entity: 'deal', code: 'contract', name: 'Номер договора', type: 'string', required: true });
    expect(field.status).toBe(201);
    try {
      const pipeline = (await e.server.admin.get('/pipelines')).body.items[0];
      const second = pipeline.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress')[1];
      await page.goto(`${e.baseUrl}/deals`);
      await waitForHeading(page, 'Сделки');
      await page.getByTestId('new-deal').click();
      await waitForHeading(page, 'Новая сделка');
      const form = page.getByRole('form', { name: 'Новая сделка' });
      // nothing filled in: the title and the required field say so, nothing is sent
      await form.getByRole('button', { name: 'Создать сделку' }).click();
      await form.getByText('Обязательное поле').first().waitFor();
      expect(await form.getByText('Обязательное поле').count()).toBe(2);

      await form.getByLabel('Название').fill('Кресла для переговорной');
      await form.getByLabel('Этап').click();
      await page.getByRole('option', { name: second.name }).click();
      await form.getByLabel('Сумма').fill('125 000,50');
      await form.getByLabel('Валюта').click();
      await page.getByRole('option', { name: 'USD' }).click();
      await (await typeUntilOffered(page, form.getByLabel('Контакты'), 'Белова Ирина', { name: 'Создать контакт «Белова Ирина»' })).click();
      await form.getByText('Белова Ирина').waitFor();
      await (await typeUntilOffered(page, form.getByLabel('Компания'), 'Кресла и Ко', { name: 'Кресла и Ко', exact: true })).click();
      await form.getByLabel('Номер договора').fill('Д-17');
      await form.getByRole('button', { name: 'Создать сделку' }).click();
      await waitForHeading(page, 'Кресла для переговорной');

      const id = Number(new URL(page.url()).pathname.split('/').pop());
      const deal = (await e.server.admin.get(`/deals/${id}`)).body;
      expect(deal).toMatchObject({ amount: 12500050, currency: 'USD', stageId: second.id, custom: { contract: 'Д-17' } });
      expect(deal.contactIds).toHaveLength(1);
      expect((await e.server.admin.get(`/contacts/${deal.contactIds[0]}`)).body).toMatchObject({ lastName: 'Белова', firstName: 'Ирина' });
      expect((await e.server.admin.get(`/companies/${deal.companyId}`)).body.name).toBe('Кресла и Ко');
    } finally {
      await e.server.admin.delete(`/custom-fields/${field.body.id}`);
    }
  });

  it('opens «Новая сделка» from a contact’s and a company’s card with that client filled in', async () => {
    const { page } = e;
    const contact = (await e.server.admin.post('/contacts', { lastName: 'Орлов', firstName: 'Денис' })).body;
    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Орлов Денис');
    await page.getByTestId('record-new-deal').click();
    await waitForHeading(page, 'Новая сделка');
    const form = page.getByRole('form', { name: 'Новая сделка' });
    await form.getByText('Орлов Денис').waitFor();
    await form.getByLabel('Название').fill('Сделка Орлова');
    await form.getByRole('button', { name: 'Создать сделку' }).click();
    await waitForHeading(page, 'Сделка Орлова');
    await page.getByTestId('field-contacts-value').getByRole('link', { name: 'Орлов Денис' }).waitFor();

    const company = (await e.server.admin.post('/companies', { name: 'ООО Орбита' })).body;
    await page.goto(`${e.baseUrl}/companies/${company.id}`);
    await waitForHeading(page, 'ООО Орбита');
    await page.getByTestId('record-new-deal').click();
    await waitForHeading(page, 'Новая сделка');
    expect(await form.getByLabel('Компания').inputValue()).toBe('ООО Орбита');
    await form.getByLabel('Название').fill('Сделка Орбиты');
    await form.getByRole('button', { name: 'Создать сделку' }).click();
    await waitForHeading(page, 'Сделка Орбиты');
    await page.getByTestId('field-company-value').getByRole('link', { name: 'ООО Орбита' }).waitFor();
    // and the company's card lists it
    await page.goto(`${e.baseUrl}/companies/${company.id}`);
    await page.getByTestId('record-deals').getByRole('link', { name: 'Сделка Орбиты' }).waitFor();
  });

  it('links phones (tel:) and e-mails (mailto:) on the deal card, the cards, the list and My day’s calls', async () => {
    const { page } = e;
    const hrefs = async (loc: ReturnType<typeof page.locator>) => loc.evaluateAll((els) => els.map((el) => el.getAttribute('href')));
    const contact = (await e.server.admin.post('/contacts', { lastName: 'Звонарёва', firstName: 'Мария', phones: [{ value: '+7 (912) 345-67-89', type: 'mobile' }], emails: [{ value: 'maria@example.ru', type: 'work' }] })).body;
    const company = (await e.server.admin.post('/companies', { name: 'ООО Звон', phones: [{ value: '+7 495 111-22-33', type: 'work' }] })).body;
    await e.server.admin.patch(`/contacts/${contact.id}`, { companyIds: [company.id], version: contact.version });
    const deal = (await e.server.admin.post('/deals', { title: 'Звонок Марии', contactIds: [contact.id], companyId: company.id })).body;
    const tel = 'tel:+79123456789';

    // the deal card: the client's phone and e-mail under their names
    await page.goto(`${e.baseUrl}/deals/${deal.id}`);
    await waitForHeading(page, 'Звонок Марии');
    const contacts = page.getByTestId('field-contacts-value');
    await contacts.getByTestId('tel-link').first().waitFor();
    expect(await hrefs(contacts.getByTestId('tel-link'))).toEqual([tel]);
    expect(await hrefs(contacts.getByTestId('mailto-link'))).toEqual(['mailto:maria@example.ru']);
    expect(await hrefs(page.getByTestId('field-company-value').getByTestId('tel-link'))).toEqual(['tel:+74951112233']);

    // the contact's card, the company's card (its people) and the contacts list
    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Звонарёва Мария');
    await page.getByRole('link', { name: 'Позвонить +7 (912) 345-67-89' }).waitFor();
    expect(await page.getByRole('link', { name: 'Позвонить +7 (912) 345-67-89' }).getAttribute('href')).toBe(tel);
    expect(await page.getByRole('link', { name: 'Написать maria@example.ru' }).getAttribute('href')).toBe('mailto:maria@example.ru');
    await page.goto(`${e.baseUrl}/companies/${company.id}`);
    await waitForHeading(page, 'ООО Звон');
    await page.getByRole('link', { name: 'Позвонить +7 495 111-22-33' }).waitFor();
    await page.getByTestId('company-contacts').getByTestId('tel-link').waitFor();
    expect(await hrefs(page.getByTestId('company-contacts').getByTestId('tel-link'))).toEqual([tel]);
    await page.goto(`${e.baseUrl}/contacts?q=Звонарёва`);
    await waitForHeading(page, 'Контакты');
    await page.getByRole('link', { name: '+7 (912) 345-67-89' }).waitFor();
    expect(await page.getByRole('link', { name: '+7 (912) 345-67-89' }).getAttribute('href')).toBe(tel);
    expect(await page.getByRole('link', { name: 'maria@example.ru' }).getAttribute('href')).toBe('mailto:maria@example.ru');

    // My day: a call on the deal dials its contact
    const soon = new Date(e.now().getTime() + 3600_000).toISOString();
    expect((await e.server.admin.post('/activities', { type: 'call', subject: 'Позвонить Марии', deadlineAt: soon, entityType: 'deal', entityId: deal.id })).status).toBe(201);
    await page.goto(`${e.baseUrl}/my-day`);
    const row = page.getByTestId('my-day-activity').filter({ hasText: 'Позвонить Марии' });
    await row.getByTestId('tel-link').waitFor();
    expect(await hrefs(row.getByTestId('tel-link'))).toEqual([tel]);
  });

  it('offers as «Ответственный» only the users the role may hand a record to', async () => {
    const { page } = e;
    const admin = e.server.admin;
    const roles = (await admin.get('/roles')).body.items as Array<{ id: number; code: string }>;
    const role = (code: string) => roles.find((r) => r.code === code)!.id;
    const sales = (await admin.post('/departments', { name: 'Продажи Юг' })).body.id;
    const other = (await admin.post('/departments', { name: 'Продажи Север' })).body.id;
    const user = async (email: string, name: string, departmentId: number, code: string) =>
      (await admin.post('/users', { email, name, password: ADMIN_PASSWORD, departmentId, roleIds: [role(code)] })).body;
    const head = await user('head@south.test', 'Глава Юга', sales, 'head_of_sales');
    const manager = await user('masha@south.test', 'Маша Южная', sales, 'manager');
    await user('kolya@south.test', 'Коля Южный', sales, 'manager');
    await user('petr@north.test', 'Пётр Северный', other, 'manager');
    const deal = (await admin.post('/deals', { title: 'Сделка Маши', responsibleId: manager.id })).body;
    const contact = (await admin.post('/contacts', { lastName: 'Клиентов', firstName: 'Юрий', responsibleId: head.id })).body;

    try {
      // the head of sales: the people of their department, nobody from another one
      await e.context.clearCookies();
      await loginAs(page, e.baseUrl, 'head@south.test', ADMIN_PASSWORD, `/deals/${deal.id}`);
      await waitForHeading(page, 'Сделка Маши');
      await page.getByRole('button', { name: 'Изменить: Ответственный' }).click();
      const south = ['Глава Юга', 'Коля Южный', 'Маша Южная'];
      expect(await offered(page, () => page.getByTestId('field-responsible-editor').getByLabel('Ответственный').first().click())).toEqual(south);
      await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
      await waitForHeading(page, 'Клиентов Юрий');
      expect(await offered(page, () => page.getByLabel('Ответственный').first().click())).toEqual(south);

      // a manager (own records): only themselves, on a hand-over, a new deal and a new activity
      await e.context.clearCookies();
      await loginAs(page, e.baseUrl, 'masha@south.test', ADMIN_PASSWORD, `/deals/${deal.id}`);
      await waitForHeading(page, 'Сделка Маши');
      await page.getByRole('button', { name: 'Изменить: Ответственный' }).click();
      expect(await offered(page, () => page.getByTestId('field-responsible-editor').getByLabel('Ответственный').first().click())).toEqual(['Маша Южная']);
      await page.goto(`${e.baseUrl}/deals/new`);
      await waitForHeading(page, 'Новая сделка');
      expect(await offered(page, () => page.getByRole('form', { name: 'Новая сделка' }).getByLabel('Ответственный').first().click())).toEqual(['Маша Южная']);
      await page.goto(`${e.baseUrl}/contacts/new`);
      await waitForHeading(page, 'Новый контакт');
      expect(await offered(page, () => page.getByLabel('Ответственный').first().click())).toEqual(['Маша Южная']);
      // and the server still refuses anyone else
      const masha = await ApiClient.login(e.baseUrl, 'masha@south.test', ADMIN_PASSWORD);
      expect((await masha.patch(`/deals/${deal.id}`, { responsibleId: head.id, version: deal.version })).status).toBe(403);
    } finally {
      await e.context.clearCookies();
      await loginAs(page, e.baseUrl, e.adminEmail);
    }
  });

  it('converts a lead into the existing company and contact when they are exact duplicates; «Создать» stays a choice', async () => {
    const { page } = e;
    const admin = e.server.admin;
    const company = (await admin.post('/companies', { name: 'ООО «Дубль»' })).body;
    const contact = (await admin.post('/contacts', { lastName: 'Дублев', firstName: 'Антон', phones: [{ value: '+7 916 555-44-33', type: 'mobile' }] })).body;
    // a namesake with another phone is not the same person
    await admin.post('/contacts', { lastName: 'Дублев', firstName: 'Антон', phones: [{ value: '+7 916 000-00-00', type: 'mobile' }] });
    const companies = async () => (await admin.get('/companies', { q: 'Дубль' })).body.items.length;
    const convert = async (title: string) => {
      const lead = (await admin.post('/leads', { title, companyName: 'ооо дубль', lastName: 'Дублев', firstName: 'Антон', phones: [{ value: '8 916 555 44 33', type: 'mobile' }] })).body;
      await page.goto(`${e.baseUrl}/leads/${lead.id}`);
      await waitForHeading(page, title);
      await page.getByRole('button', { name: 'Конвертировать' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('exact-company').waitFor();
      await dialog.getByTestId('exact-contact').waitFor();
      return { lead, dialog };
    };

    const first = await convert('Дубль: повторная заявка');
    expect(await first.dialog.getByLabel('Существующая компания').inputValue()).toBe('ООО «Дубль»');
    expect(await first.dialog.getByLabel('Существующий контакт').inputValue()).toContain('Дублев Антон');
    await first.dialog.getByRole('button', { name: 'Конвертировать' }).click();
    await page.waitForURL(/\/deals\/\d+$/);
    const converted = (await admin.get(`/leads/${first.lead.id}`)).body;
    expect(converted).toMatchObject({ convertedCompanyId: company.id, convertedContactId: contact.id });
    expect(await companies()).toBe(1);

    // «Создать» is still there for a company that only shares the name
    const second = await convert('Дубль: другая компания');
    await second.dialog.getByRole('radiogroup', { name: /Компания/ }).getByText('Создать').click();
    await second.dialog.getByLabel('Название компании').waitFor();
    await second.dialog.getByRole('button', { name: 'Конвертировать' }).click();
    await page.waitForURL(/\/deals\/\d+$/);
    expect(await companies()).toBe(2);
  });
});
