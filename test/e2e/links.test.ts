import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, startE2E, waitForHeading, type E2E, reportFailures, typeUntilOffered } from './support/e2e.js';

// Screens that show links between records follow the change without a reload: after a merge the
// survivor's card lists the people and deals of the merged record; after a deal's client changes
// or a contact is deleted, the company's card no longer shows what left it.

describe('links between records stay current', () => {
  let e: E2E;
  let survivorId: number;
  let sourceId: number;
  let ivanId: number;

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    survivorId = (await api.post('/companies', { name: 'ООО Берёзка' })).body.id;
    sourceId = (await api.post('/companies', { name: 'ООО Берёзка-2' })).body.id;
    ivanId = (await api.post('/contacts', { lastName: 'Иванов', firstName: 'Иван', companyIds: [survivorId] })).body.id;
    expect((await api.post('/contacts', { lastName: 'Петров', firstName: 'Пётр', companyIds: [sourceId] })).status).toBe(201);
    expect((await api.post('/deals', { title: 'Сделка второй Берёзки', companyId: sourceId })).status).toBe(201);
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'links');

  it('a merge shows the merged company’s people and deals on the survivor’s card at once', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/companies/${survivorId}`);
    await waitForHeading(page, 'ООО Берёзка');
    const people = page.getByTestId('company-contacts');
    await people.getByRole('link', { name: 'Иванов Иван' }).waitFor();
    expect(await people.getByRole('link', { name: 'Петров Пётр' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Объединить с…' }).click();
    const dialog = page.getByRole('dialog');
    await (await typeUntilOffered(page, dialog.getByLabel('Вторая запись'), 'Берёзка-2', { name: /Берёзка-2/ })).click();
    await dialog.getByTestId('merge-preview').waitFor();
    await dialog.getByRole('button', { name: 'Объединить' }).click();
    await page.getByText('Записи объединены').waitFor();

    await people.getByRole('link', { name: 'Петров Пётр' }).waitFor();
    await people.getByRole('link', { name: 'Иванов Иван' }).waitFor();
    await page.getByRole('link', { name: 'Сделка второй Берёзки' }).waitFor();
  });

  it('a contact deleted from its own card leaves the company’s card', async () => {
    const { page } = e;
    // the company's card is seen first, so its contacts are in the cache when the contact goes
    await page.goto(`${e.baseUrl}/companies/${survivorId}`);
    await page.getByTestId('company-contacts').getByRole('link', { name: 'Иванов Иван' }).click();
    await waitForHeading(page, 'Иванов Иван');
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await page.waitForURL(/\/contacts$/);
    await page.goBack();
    await page.goBack();
    await waitForHeading(page, 'ООО Берёзка');
    const people = page.getByTestId('company-contacts');
    await people.getByRole('link', { name: 'Петров Пётр' }).waitFor();
    expect(await people.getByRole('link', { name: 'Иванов Иван' }).count()).toBe(0);
    expect((await e.server.admin.get(`/contacts/${ivanId}`)).status).toBe(404);
  });
});
