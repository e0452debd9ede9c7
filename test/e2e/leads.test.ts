import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { englishLabels, horizontalOverflow, loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

describe('leads: create, board, convert', () => {
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

  it('creates a lead in the UI and converts it to a deal, a contact and a company', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/leads`);
    await waitForHeading(page, 'Лиды');
    await page.getByRole('link', { name: 'Новый лид' }).first().click();
    await waitForHeading(page, 'Новый лид');

    await page.getByLabel('Название', { exact: true }).fill('Заявка на стеллажи');
    await page.getByLabel('Фамилия').fill('Складов');
    await page.getByLabel('Имя', { exact: true }).fill('Пётр');
    await page.getByLabel('Компания', { exact: true }).fill('ООО Склад-Сервис');
    await page.getByLabel('Телефон 1').fill('+7 916 700-11-22');
    await page.getByLabel('E-mail 1').fill('petr@sklad.ru');
    await page.getByLabel('Сумма').fill('250 000');
    await page.getByRole('button', { name: 'Создать лид' }).click();

    await waitForHeading(page, 'Заявка на стеллажи');
    const leadId = Number(/\/leads\/(\d+)$/.exec(page.url())![1]);
    const created = await server.admin.get(`/leads/${leadId}`);
    expect(created.body).toMatchObject({ lastName: 'Складов', companyName: 'ООО Склад-Сервис', amount: 25000000 });

    // the lead is on the board, in the first status
    await page.goto(`${e.baseUrl}/leads?view=board`);
    await page.getByTestId('lead-board').getByText('Заявка на стеллажи').waitFor();

    // convert from the card: all three are prefilled from the lead
    await page.getByTestId('lead-board').getByRole('link', { name: 'Заявка на стеллажи' }).click();
    await waitForHeading(page, 'Заявка на стеллажи');
    await page.getByRole('button', { name: 'Конвертировать' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название компании').waitFor();
    expect(await dialog.getByLabel('Название компании').inputValue()).toBe('ООО Склад-Сервис');
    expect(await dialog.getByLabel('Фамилия').inputValue()).toBe('Складов');
    expect(await dialog.getByRole('checkbox', { name: 'Сделка' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Контакт' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Компания' }).isChecked()).toBe(true);

    // an empty company name is caught before sending
    await dialog.getByLabel('Название компании').fill('');
    await dialog.getByRole('button', { name: 'Конвертировать' }).click();
    await dialog.getByText('Заполните это поле').waitFor();
    await dialog.getByLabel('Название компании').fill('ООО Склад-Сервис');
    await dialog.getByRole('button', { name: 'Конвертировать' }).click();

    // the new deal's card opens
    await page.waitForURL(/\/deals\/\d+$/);
    const dealId = Number(/\/deals\/(\d+)$/.exec(page.url())![1]);
    const lead = (await server.admin.get(`/leads/${leadId}`)).body;
    expect(lead).toMatchObject({ statusSemantic: 'converted', convertedDealId: dealId });
    expect(lead.convertedContactId).toBeGreaterThan(0);
    expect(lead.convertedCompanyId).toBeGreaterThan(0);
    const deal = (await server.admin.get(`/deals/${dealId}`)).body;
    expect(deal).toMatchObject({ title: 'Заявка на стеллажи', amount: 25000000, companyId: lead.convertedCompanyId, leadId });
    expect(deal.contactIds).toContain(lead.convertedContactId);
    const contact = (await server.admin.get(`/contacts/${lead.convertedContactId}`)).body;
    expect(contact).toMatchObject({ lastName: 'Складов', firstName: 'Пётр', companyIds: [lead.convertedCompanyId] });
    expect(contact.phones[0].normalized).toBe('+79167001122');

    // the lead shows as converted, with links to what it became
    await page.goto(`${e.baseUrl}/leads/${leadId}`);
    await waitForHeading(page, 'Заявка на стеллажи');
    const banner = page.getByTestId('lead-converted');
    await banner.getByRole('link', { name: `Сделка №${dealId}` }).waitFor();
    // the status's name arrives with the reference list (the semantic shows until then)
    await expect.poll(() => page.getByTestId('lead-status').textContent()).toBe('Сконвертирован');
    expect(await page.getByRole('button', { name: 'Конвертировать' }).count()).toBe(0);
    await page.getByTestId('timeline').locator('[data-kind="converted"]').waitFor();
    await e.screenshot('lead-card');
    expect(await englishLabels(e.page)).toEqual([]); // no English for a screen reader in the Russian interface
    // a phone-sized screen: the card stacks into one column without a horizontal scrollbar
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('lead-converted').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await e.screenshot('lead-card-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('moves a lead between statuses on the board and links an existing contact on conversion', async () => {
    const { page, server } = e;
    const contact = (await server.admin.post('/contacts', { lastName: 'Известный', firstName: 'Клиент', phones: [{ value: '+7 903 111-22-33' }] })).body;
    const lead = (await server.admin.post('/leads', { title: 'Повторное обращение', phones: [{ value: '8 903 111 22 33' }] })).body;
    expect(lead.duplicates).toEqual([{ entity: 'contact', id: contact.id, matchedBy: 'phone' }]);
    const statuses = (await server.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number; name: string }>;
    const inWork = statuses.find((s) => s.name === 'В работе')!;

    await page.goto(`${e.baseUrl}/leads?view=board`);
    const board = page.getByTestId('lead-board');
    const card = board.getByTestId('lead-card').filter({ hasText: 'Повторное обращение' });
    await card.waitFor();
    await card.dragTo(page.getByTestId(`lead-column-${inWork.id}`));
    await page.getByTestId(`lead-column-${inWork.id}`).getByText('Повторное обращение').waitFor();
    await expect.poll(async () => (await server.admin.get(`/leads/${lead.id}`)).body.statusId).toBe(inWork.id);
    await e.screenshot('leads');

    // reload: it stays
    await page.reload();
    await page.getByTestId(`lead-column-${inWork.id}`).getByText('Повторное обращение').waitFor();

    // convert: the existing contact (same phone) is suggested and linked
    await page.goto(`${e.baseUrl}/leads/${lead.id}`);
    await waitForHeading(page, 'Повторное обращение');
    await page.getByRole('button', { name: 'Конвертировать' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Похоже, такой клиент уже есть').waitFor();
    await dialog.getByRole('button', { name: 'Выбрать', exact: true }).first().click();
    expect(await dialog.getByLabel('Существующий контакт').inputValue()).toContain('Известный Клиент');
    await dialog.getByRole('checkbox', { name: 'Сделка' }).uncheck();
    await dialog.getByRole('button', { name: 'Конвертировать' }).click();
    await page.waitForURL(new RegExp(`/contacts/${contact.id}$`));
    const after = (await server.admin.get(`/leads/${lead.id}`)).body;
    expect(after).toMatchObject({ statusSemantic: 'converted', convertedContactId: contact.id, convertedDealId: null });
  });

  it('takes custom fields in the create form and edits them in place on the card', async () => {
    const { page, server } = e;
    const channel = await server.admin.post('/custom-fields', {
      entity: 'lead',
      code: 'channel',
      name: 'Канал',
      type: 'list',
      options: { choices: [{ id: 'site', label: 'Сайт' }, { id: 'call', label: 'Звонок' }] },
    });
    expect(channel.status).toBe(201);
    const budget = await server.admin.post('/custom-fields', { entity: 'lead', code: 'budget', name: 'Бюджет клиента', type: 'money' });
    expect(budget.status).toBe(201);

    await page.goto(`${e.baseUrl}/leads/new`);
    await waitForHeading(page, 'Новый лид');
    await page.getByLabel('Название', { exact: true }).fill('Заявка с выставки');
    await page.getByRole('region', { name: 'Дополнительные поля' }).getByRole('combobox', { name: 'Канал' }).click();
    await page.getByRole('option', { name: 'Звонок' }).click();
    await page.getByRole('button', { name: 'Создать лид' }).click();
    await waitForHeading(page, 'Заявка с выставки');
    await page.getByTestId('custom-channel-value').getByText('Звонок').waitFor();
    const leadId = Number(/\/leads\/(\d+)$/.exec(page.url())![1]);

    await page.getByRole('button', { name: 'Изменить: Бюджет клиента' }).click();
    await page.getByRole('textbox', { name: 'Бюджет клиента' }).fill('1 500 000');
    await page.getByTestId('custom-budget-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-budget-value').getByText(/1\s500\s000/).waitFor();

    await page.reload();
    await waitForHeading(page, 'Заявка с выставки');
    expect((await page.getByTestId('custom-budget-value').innerText()).replace(/[\u00a0\u202f]/g, ' ')).toMatch(/^1 500 000(,00)? ₽$/);
    expect(await page.getByTestId('custom-channel-value').innerText()).toBe('Звонок');
    expect((await server.admin.get(`/leads/${leadId}`)).body.custom).toEqual({ channel: 'call', budget: { amount: 150000000, currency: 'RUB' } });
    await e.screenshot('lead-custom-fields');
  });
  it('pages a long status column in as it scrolls, keeping only the visible cards in the page', async () => {
    const { page, server } = e;
    const statuses = (await server.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number; name: string }>;
    const first = statuses[0]!;
    for (let i = 1; i <= 70; i++) {
      const r = await server.admin.post('/leads', { title: `Обращение с сайта №${i}`, statusId: first.id });
      expect(r.status).toBe(201);
    }
    await page.goto(`${e.baseUrl}/leads?view=board`);
    const col = page.getByTestId(`lead-column-${first.id}`);
    await col.getByTestId('lead-card').first().waitFor();
    const scroller = col.getByTestId('lead-column-scroll');
    const seen = new Set<string>();
    let most = 0;
    for (let i = 0; i < 40 && seen.size < 70; i++) {
      for (const title of await col.getByTestId('lead-card').locator('a').allTextContents()) if (title.startsWith('Обращение с сайта')) seen.add(title);
      most = Math.max(most, await col.getByTestId('lead-card').count());
      await scroller.evaluate((el: any) => el.scrollBy(0, 600));
      await page.waitForTimeout(120);
    }
    expect(seen.size).toBe(70); // every lead was reached by scrolling
    expect(most).toBeLessThan(40); // but never all of them in the page at once
  });
  it('asks in the convert dialog for the required custom fields of the contact it creates', async () => {
    const { page, server } = e;
    const field = await server.admin.post('/custom-fields', { entity: 'contact', code: 'client_region', name: 'Регион клиента', type: 'string', required: true });
    expect(field.status).toBe(201);
    try {
      const lead = (await server.admin.post('/leads', { title: 'Заявка из Екатеринбурга', lastName: 'Уральский', firstName: 'Олег' })).body;
      await page.goto(`${e.baseUrl}/leads/${lead.id}`);
      await waitForHeading(page, 'Заявка из Екатеринбурга');
      await page.getByRole('button', { name: 'Конвертировать' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Обязательные поля новой записи:').waitFor();
      const region = dialog.getByRole('textbox', { name: 'Регион клиента' });
      // not filled in: the server refuses, the field says why, nothing is created
      await dialog.getByRole('button', { name: 'Конвертировать' }).click();
      await dialog.locator('.mantine-InputWrapper-error', { hasText: 'Обязательное поле' }).waitFor();
      expect((await server.admin.get(`/leads/${lead.id}`)).body.statusSemantic).not.toBe('converted');
      await region.fill('Урал');
      await dialog.getByRole('button', { name: 'Конвертировать' }).click();
      await page.waitForURL(/\/deals\/\d+$/);
      const after = (await server.admin.get(`/leads/${lead.id}`)).body;
      expect(after.statusSemantic).toBe('converted');
      expect((await server.admin.get(`/contacts/${after.convertedContactId}`)).body.custom).toEqual({ client_region: 'Урал' });
    } finally {
      await server.admin.delete(`/custom-fields/${field.body.id}`);
    }
  });
});
