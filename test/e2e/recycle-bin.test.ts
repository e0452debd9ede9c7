import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, loginAs, startE2E, waitForHeading, type E2E, reportFailures } from './support/e2e.js';

// The recycle bin screen: what was deleted, newest first; restore (with its history) for those
// who may delete the record, purge for administrators; the entry is in the navigation only for
// users who may delete something.

describe('the recycle bin', () => {
  let e: E2E;
  let dealId: number;
  let companyId: number;

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    dealId = (await api.post('/deals', { title: 'Удалённая поставка' })).body.id;
    companyId = (await api.post('/companies', { name: 'ООО Удалённая' })).body.id;
    expect((await api.delete(`/deals/${dealId}`)).status).toBe(204);
    expect((await api.delete(`/companies/${companyId}`)).status).toBe(204);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'recycle-bin');

  it('an administrator restores a deal and purges a company', async () => {
    const { page } = e;
    await loginAs(page, e.baseUrl, e.adminEmail);
    await page.getByRole('navigation').getByRole('link', { name: 'Корзина' }).click();
    await waitForHeading(page, 'Корзина');
    const table = page.getByTestId('recycle-bin-table');
    await table.getByRole('row', { name: /Удалённая поставка/ }).waitFor();
    await table.getByRole('row', { name: /ООО Удалённая/ }).waitFor();

    await page.getByRole('button', { name: 'Восстановить: Удалённая поставка' }).click();
    await page.getByText('«Удалённая поставка» восстановлено').waitFor();
    await table.getByRole('row', { name: /Удалённая поставка/ }).waitFor({ state: 'detached' });
    expect((await e.server.admin.get(`/deals/${dealId}`)).status).toBe(200);
    await page.getByRole('link', { name: 'Открыть «Удалённая поставка»' }).click();
    await waitForHeading(page, 'Удалённая поставка');
    await page.getByTestId('timeline').getByText('Восстановлено из корзины').waitFor();

    await page.goto(`${e.baseUrl}/recycle-bin`);
    await page.getByRole('button', { name: 'Удалить навсегда: ООО Удалённая' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Удалить «ООО Удалённая» навсегда?').waitFor();
    await dialog.getByRole('button', { name: 'Удалить навсегда' }).click();
    await page.getByText('«ООО Удалённая» удалено навсегда').waitFor();
    await page.getByText('Корзина пуста').waitFor();
    expect((await e.server.admin.get('/recycle-bin')).body.items).toEqual([]);
  });

  it('a manager sees only what they may delete, restores it, and may not purge; one who may delete nothing has no bin', async () => {
    const { page, server } = e;
    const role = await server.admin.post('/roles', {
      name: 'Удаляет свои контакты',
      permissions: [
        { entity: 'contact', action: 'read', level: 'own' },
        { entity: 'contact', action: 'delete', level: 'own' },
      ],
    });
    const reader = await server.admin.post('/roles', { name: 'Только чтение', permissions: [{ entity: 'contact', action: 'read', level: 'all' }] });
    const anna = await server.admin.post('/users', { email: 'anna@bin.test', name: 'Анна', password: ADMIN_PASSWORD, roleIds: [role.body.id] });
    expect((await server.admin.post('/users', { email: 'boris@bin.test', name: 'Борис', password: ADMIN_PASSWORD, roleIds: [reader.body.id] })).status).toBe(201);
    const mine = (await server.admin.post('/contacts', { lastName: 'Свой', firstName: 'Контакт', responsibleId: anna.body.id })).body.id;
    const other = (await server.admin.post('/contacts', { lastName: 'Чужой', firstName: 'Контакт' })).body.id;
    for (const id of [mine, other]) expect((await server.admin.delete(`/contacts/${id}`)).status).toBe(204);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'anna@bin.test');
    await page.getByRole('navigation').getByRole('link', { name: 'Корзина' }).click();
    await waitForHeading(page, 'Корзина');
    const table = page.getByTestId('recycle-bin-table');
    await table.getByRole('row', { name: /Свой Контакт/ }).waitFor();
    expect(await table.getByRole('row', { name: /Чужой/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Удалить навсегда/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Восстановить: Свой Контакт' }).click();
    await page.getByText('Корзина пуста').waitFor();
    expect((await server.admin.get(`/contacts/${mine}`)).status).toBe(200);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'boris@bin.test');
    await page.getByRole('navigation').getByRole('link', { name: 'Контакты' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Корзина' }).count()).toBe(0);
  });
});
