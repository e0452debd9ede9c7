import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { englishLabels, loginAs, startE2E, waitForHeading, type E2E, typeUntilOffered } from './support/e2e.js';

/** From the open card: «Действия → Объединить с…», the second record found by `search` and picked as `option`; the dialog and its preview. */
async function openMergePreview(page: Page, search: string, option: RegExp) {
  await page.getByRole('button', { name: 'Действия' }).click();
  await page.getByRole('menuitem', { name: 'Объединить с…' }).click();
  const dialog = page.getByRole('dialog');
  await (await typeUntilOffered(page, dialog.getByLabel('Вторая запись'), search, { name: option })).click();
  const preview = dialog.getByTestId('merge-preview');
  await preview.waitFor();
  return { dialog, preview };
}

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
    const { dialog, preview } = await openMergePreview(page, 'Сергеевна', /Морозова Анна Сергеевна/);
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
    expect(await englishLabels(e.page)).toEqual([]); // no English for a screen reader in the Russian interface
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

    // edit a field; unsaved, it survives a reload (a session expiry goes the same way); then save
    await page.getByLabel('Сайт').fill('vector.ru');
    await page.reload();
    await waitForHeading(page, 'АО Вектор');
    expect(await page.getByLabel('Сайт').inputValue()).toBe('vector.ru');
    expect((await server.admin.get(`/companies/${company.id}`)).body.website ?? null).toBeNull();
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').waitFor();
    expect((await server.admin.get(`/companies/${company.id}`)).body.website).toBe('vector.ru');
    // saved: nothing is left to bring back; an unsaved edit of a field someone else changed
    // meanwhile gives way to theirs, one of another field is kept on top of their change
    await page.reload();
    await waitForHeading(page, 'АО Вектор');
    expect(await page.getByTestId('save-bar').count()).toBe(0);
    await page.getByLabel('Сайт').fill('vector-old.ru');
    const current = (await server.admin.get(`/companies/${company.id}`)).body;
    expect((await server.admin.patch(`/companies/${company.id}`, { website: 'vector.com', version: current.version })).status).toBe(200);
    await page.reload();
    await waitForHeading(page, 'АО Вектор');
    expect(await page.getByLabel('Сайт').inputValue()).toBe('vector.com');
    await page.getByLabel('Сайт').fill('vector.org');
    const now = (await server.admin.get(`/companies/${company.id}`)).body;
    expect((await server.admin.patch(`/companies/${company.id}`, { address: 'Москва, ул. Лесная, 5', version: now.version })).status).toBe(200);
    await page.reload();
    await waitForHeading(page, 'АО Вектор');
    expect(await page.getByLabel('Сайт').inputValue()).toBe('vector.org');
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await server.admin.get(`/companies/${company.id}`)).body).toMatchObject({ website: 'vector.org', address: 'Москва, ул. Лесная, 5' });

    // delete asks first; cancel keeps it
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    await page.getByRole('dialog').getByText('Компания «АО Вектор» будет удалена').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Отмена' }).click();
    expect((await server.admin.get(`/companies/${company.id}`)).status).toBe(200);
  });

  it('fills in a custom field on a contact card and on a company card; the values stay after a reload', async () => {
    const { page, server } = e;
    const city = await server.admin.post('/custom-fields', { entity: 'contact', code: 'city', name: 'Город', type: 'string' });
    expect(city.status).toBe(201);
    const staff = await server.admin.post('/custom-fields', { entity: 'company', code: 'staff', name: 'Сотрудников', type: 'number' });
    expect(staff.status).toBe(201);
    const contact = (await server.admin.post('/contacts', { lastName: 'Полевой', firstName: 'Иван' })).body;
    const company = (await server.admin.post('/companies', { name: 'ООО Поле' })).body;

    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Полевой Иван');
    const section = page.getByRole('region', { name: 'Дополнительные поля' });
    await section.getByRole('button', { name: 'Изменить: Город' }).click();
    await page.getByRole('textbox', { name: 'Город' }).fill('Казань');
    await page.getByTestId('custom-city-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-city-value').getByText('Казань').waitFor();
    expect((await server.admin.get(`/contacts/${contact.id}`)).body.custom).toEqual({ city: 'Казань' });

    // an edit of the main fields made meanwhile is kept and saved over the new version
    await page.getByLabel('Должность').fill('Агроном');
    await section.getByRole('button', { name: 'Изменить: Город' }).click();
    await page.getByRole('textbox', { name: 'Город' }).fill('Казань, Татарстан');
    await page.getByRole('textbox', { name: 'Город' }).press('Enter');
    await page.getByTestId('custom-city-value').getByText('Казань, Татарстан').waitFor();
    expect(await page.getByLabel('Должность').inputValue()).toBe('Агроном');
    await page.getByTestId('save-bar').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').first().waitFor();
    await expect.poll(async () => (await server.admin.get(`/contacts/${contact.id}`)).body).toMatchObject({ position: 'Агроном', custom: { city: 'Казань, Татарстан' } });

    await page.reload();
    await waitForHeading(page, 'Полевой Иван');
    expect(await page.getByTestId('custom-city-value').innerText()).toBe('Казань, Татарстан');

    // a company: a number typed wrong is caught at the field, a right one is saved
    await page.goto(`${e.baseUrl}/companies/${company.id}`);
    await waitForHeading(page, 'ООО Поле');
    await page.getByRole('button', { name: 'Изменить: Сотрудников' }).click();
    await page.getByRole('textbox', { name: 'Сотрудников' }).fill('много');
    await page.getByTestId('custom-staff-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-staff-editor').getByText('Введите число, например 12,5').waitFor();
    await page.getByRole('textbox', { name: 'Сотрудников' }).fill('120');
    await page.getByTestId('custom-staff-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-staff-value').getByText('120').waitFor();
    await page.reload();
    await waitForHeading(page, 'ООО Поле');
    expect(await page.getByTestId('custom-staff-value').innerText()).toBe('120');
    expect((await server.admin.get(`/companies/${company.id}`)).body.custom).toEqual({ staff: '120' });
    await e.screenshot('company-custom-fields');
  });

  it('names the required custom field a record lacks when another one is saved', async () => {
    const { page, server } = e;
    // a contact from before the field was made required
    const contact = (await server.admin.post('/contacts', { lastName: 'Обязательный', firstName: 'Пётр' })).body;
    const field = await server.admin.post('/custom-fields', { entity: 'contact', code: 'inn', name: 'ИНН физлица', type: 'string', required: true });
    expect(field.status).toBe(201);
    await page.goto(`${e.baseUrl}/contacts/${contact.id}`);
    await waitForHeading(page, 'Обязательный Пётр');

    // the server checks every required field: its message is shown at the field being saved
    await page.getByRole('button', { name: 'Изменить: Город' }).click();
    await page.getByRole('textbox', { name: 'Город' }).fill('Тула');
    await page.getByTestId('custom-city-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-city-editor').getByText('ИНН физлица: Обязательное поле').waitFor();
    await page.getByTestId('custom-city-editor').getByRole('button', { name: 'Отмена' }).click();

    // filled in, both can be saved
    await page.getByRole('button', { name: 'Изменить: ИНН физлица' }).click();
    await page.getByRole('textbox', { name: 'ИНН физлица' }).fill('500100732259');
    await page.getByTestId('custom-inn-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-inn-value').getByText('500100732259').waitFor();
    await page.getByRole('button', { name: 'Изменить: Город' }).click();
    await page.getByRole('textbox', { name: 'Город' }).fill('Тула');
    await page.getByRole('textbox', { name: 'Город' }).press('Enter');
    await page.getByTestId('custom-city-value').getByText('Тула').waitFor();
    expect((await server.admin.get(`/contacts/${contact.id}`)).body.custom).toEqual({ inn: '500100732259', city: 'Тула' });
  });

  it('previews the custom fields a merge keeps, by name and as the card shows them, and the merge keeps them', async () => {
    const { page, server } = e;
    // «ИНН физлица» (required) and «Город» come from the tests above; a list shows its labels
    const choices = [{ id: 'wholesale', label: 'Опт' }, { id: 'retail', label: 'Розница' }];
    expect((await server.admin.post('/custom-fields', { entity: 'contact', code: 'segment', name: 'Сегмент', type: 'list', options: { choices } })).status).toBe(201);
    const survivor = await server.admin.post('/contacts', { lastName: 'Слиянова', firstName: 'Ольга', custom: { inn: '500100732259', city: 'Пермь' } });
    const other = await server.admin.post('/contacts', { lastName: 'Слиянова', firstName: 'Ольга Петровна', custom: { inn: '772900451830', city: 'Казань', segment: 'retail' } });
    expect([survivor.status, other.status]).toEqual([201, 201]);

    await page.goto(`${e.baseUrl}/contacts/${survivor.body.id}`);
    await waitForHeading(page, 'Слиянова Ольга');
    const { dialog, preview } = await openMergePreview(page, 'Петровна', /Слиянова Ольга Петровна/);
    const cells = async (name: string) => preview.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) }).getByRole('cell').allInnerTexts();
    // field, this record, the other one, what stays
    expect(await cells('ИНН физлица')).toEqual(['ИНН физлица', '500100732259', '772900451830', '500100732259']);
    expect(await cells('Город')).toEqual(['Город', 'Пермь', 'Казань', 'Пермь']);
    expect(await cells('Сегмент')).toEqual(['Сегмент', '—', 'Розница', 'Розница']);
    expect(await preview.getByRole('cell', { name: 'segment' }).count()).toBe(0);
    await e.screenshot('contacts-merge-custom');
    await dialog.getByRole('button', { name: 'Объединить' }).click();
    await page.getByText('Записи объединены').waitFor();

    const merged = (await server.admin.get(`/contacts/${survivor.body.id}`)).body;
    expect(merged.custom).toEqual({ inn: '500100732259', city: 'Пермь', segment: 'retail' });
    expect((await server.admin.get(`/contacts/${other.body.id}`)).status).toBe(404);
    await page.getByTestId('custom-segment-value').getByText('Розница').waitFor();
  });
  it('filters the contact list by responsible and type, keeps the filters in the URL and resets them', async () => {
    const { page, server } = e;
    const roles = (await server.admin.get('/roles')).body.items as Array<{ id: number; code: string }>;
    const irina = await server.admin.post('/users', { email: 'irina@filters.test', name: 'Ирина Фильтрова', password: 'irina password 123', roleIds: [roles.find((r) => r.code === 'manager')!.id] });
    expect(irina.status).toBe(201);
    const types = (await server.admin.get('/reference-lists/contact-types/items')).body.items as Array<{ id: number; name: string }>;
    const [client, supplier] = [types[0]!, types[1]!];
    // the file's earlier tests made ИНН a required field of contacts
    const make = (lastName: string, typeId: number, responsibleId?: number) =>
      server.admin.post('/contacts', { lastName, firstName: 'Фильтр', typeId, ...(responsibleId && { responsibleId }), custom: { inn: '500100732259' } });
    for (const r of [await make('Фильтрова-первая', client.id, irina.body.id), await make('Фильтрова-вторая', supplier.id), await make('Фильтрова-третья', client.id)]) expect(r.status).toBe(201);

    const table = page.getByTestId('contacts-table');
    const names = async () => (await table.getByRole('link').allInnerTexts()).filter((n) => n.startsWith('Фильтрова')).sort();
    await page.goto(`${e.baseUrl}/contacts?q=${encodeURIComponent('Фильтрова')}`);
    await waitForHeading(page, 'Контакты');
    await expect.poll(names).toEqual(['Фильтрова-вторая Фильтр', 'Фильтрова-первая Фильтр', 'Фильтрова-третья Фильтр']);

    await page.getByRole('combobox', { name: 'Ответственный' }).click();
    await page.getByRole('option', { name: 'Ирина Фильтрова' }).click();
    await page.waitForURL(new RegExp(`responsibleId=${irina.body.id}`));
    await expect.poll(names).toEqual(['Фильтрова-первая Фильтр']);
    await page.reload();
    await expect.poll(names).toEqual(['Фильтрова-первая Фильтр']);
    expect(await page.getByRole('combobox', { name: 'Ответственный' }).inputValue()).toBe('Ирина Фильтрова');

    await page.getByRole('button', { name: 'Сбросить фильтры' }).click();
    await page.getByRole('searchbox', { name: 'Поиск по списку' }).fill('Фильтрова');
    await page.getByRole('combobox', { name: 'Тип' }).click();
    await page.getByRole('option', { name: supplier.name }).click();
    await page.waitForURL(new RegExp(`typeId=${supplier.id}`));
    await expect.poll(names).toEqual(['Фильтрова-вторая Фильтр']);
  });
});
