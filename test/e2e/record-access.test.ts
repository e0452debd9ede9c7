import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, loginAs, startE2E, type E2E, reportFailures } from './support/e2e.js';

// Every record card — deal, lead, contact, company — answers a record the user may not see, and
// one that does not exist, with the same "not found or no access" page (the API says 404 to
// both), never with the error screen «Что-то пошло не так».

const CARDS = [
  { entity: 'deals', create: { title: 'Скрытая сделка' }, title: 'Сделка не найдена или нет доступа' },
  { entity: 'leads', create: { title: 'Скрытый лид' }, title: 'Лид не найден или нет доступа' },
  { entity: 'contacts', create: { firstName: 'Скрытый', lastName: 'Контакт' }, title: 'Контакт не найден или нет доступа' },
  { entity: 'companies', create: { name: 'ООО Скрытая' }, title: 'Компания не найдена или нет доступа' },
] as const;

describe('a record card the user may not open', () => {
  let e: E2E;
  const hidden: Record<string, number> = {};

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    for (const c of CARDS) {
      const r = await api.post(`/${c.entity}`, c.create);
      expect(r.status, c.entity).toBe(201);
      hidden[c.entity] = r.body.id;
    }
    const role = await api.post('/roles', {
      name: 'Менеджер: только свои',
      permissions: ['deal', 'lead', 'contact', 'company'].map((entity) => ({ entity, action: 'read', level: 'own' })),
    });
    expect(role.status).toBe(201);
    const user = await api.post('/users', { email: 'own@access.test', name: 'Ольга Своя', password: ADMIN_PASSWORD, roleIds: [role.body.id] });
    expect(user.status).toBe(201);
    await loginAs(e.page, e.baseUrl, 'own@access.test');
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'record-access');

  for (const c of CARDS) {
    it(`${c.entity}: a hidden one and a missing one show the same no-access page`, async () => {
      const { page } = e;
      for (const id of [hidden[c.entity], 999_999]) {
        await page.goto(`${e.baseUrl}/${c.entity}/${id}`);
        const notFound = page.getByTestId('record-not-found');
        await notFound.waitFor();
        expect(await notFound.getByText(c.title).count()).toBe(1);
        expect(await page.getByText('Что-то пошло не так').count()).toBe(0);
        await page.getByRole('link', { name: /^К / }).click();
        await page.waitForURL(new RegExp(`/${c.entity}$`));
      }
    });
  }
});
