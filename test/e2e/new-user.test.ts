import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

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
    await page.getByTestId('field-contacts-editor').getByLabel('Контакты').fill('Новиков Пётр');
    await page.getByRole('option', { name: 'Создать контакт «Новиков Пётр»' }).click();
    await page.getByTestId('field-contacts-editor').getByText('Новиков Пётр').waitFor();
    await page.getByTestId('field-contacts-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-contacts-value').getByRole('link', { name: 'Новиков Пётр' }).waitFor();

    await page.getByRole('button', { name: 'Изменить: Компания' }).click();
    await page.getByTestId('field-company-editor').getByLabel('Компания').fill('Кресла и Ко');
    await page.getByRole('option', { name: 'Создать компанию «Кресла и Ко»' }).click();
    await page.getByTestId('field-company-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-company-value').getByRole('link', { name: 'Кресла и Ко' }).waitFor();

    const saved = (await e.server.admin.get(`/deals/${deal.id}`)).body;
    expect(saved.contactIds).toHaveLength(1);
    expect((await e.server.admin.get(`/contacts/${saved.contactIds[0]}`)).body).toMatchObject({ lastName: 'Новиков', firstName: 'Пётр' });
    expect((await e.server.admin.get(`/companies/${saved.companyId}`)).body).toMatchObject({ name: 'Кресла и Ко' });

    // an exact hit is picked, not made again
    await page.getByRole('button', { name: 'Изменить: Компания' }).click();
    await page.getByTestId('field-company-editor').getByLabel('Компания').fill('Кресла и Ко');
    await page.getByRole('option', { name: 'Кресла и Ко', exact: true }).waitFor();
    expect(await page.getByRole('option', { name: /Создать компанию/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('creates a company from a contact’s card and links it', async () => {
    const { page } = e;
    const contact = (await e.server.admin.post('/contacts', { lastName: 'Сергеева', firstName: 'Ольга' })).body;
    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Сергеева Ольга');
    await page.getByRole('textbox', { name: 'Привязать компанию' }).or(page.getByRole('combobox', { name: 'Привязать компанию' })).first().fill('Сергеева и партнёры');
    await page.getByRole('option', { name: 'Создать компанию «Сергеева и партнёры»' }).click();
    await page.getByRole('link', { name: 'Сергеева и партнёры' }).waitFor();
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await e.server.admin.get(`/contacts/${contact.id}`)).body.companyIds).toHaveLength(1);
    const companyId = (await e.server.admin.get(`/contacts/${contact.id}`)).body.companyIds[0];
    expect((await e.server.admin.get(`/companies/${companyId}`)).body.name).toBe('Сергеева и партнёры');
  });
});
