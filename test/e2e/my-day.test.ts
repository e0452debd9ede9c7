import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, englishLabels, loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// My day against the real server (real time): an overdue activity shows first with a red mark and
// is marked done from there; a head of sales sees a manager's overdue activity under their name.

describe('my day', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-my-day-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('shows an overdue activity first with a red mark and marks it done with a result', async () => {
    const { page, server } = e;
    const deal = await server.admin.post('/deals', { title: 'Поставка стеллажей', amount: 4200000 });
    expect(deal.status).toBe(201);
    const past = new Date(e.now().getTime() - 26 * 3600_000).toISOString();
    const act = await server.admin.post('/activities', { type: 'call', subject: 'Перезвонить по счёту', deadlineAt: past, entityType: 'deal', entityId: deal.body.id });
    expect(act.status).toBe(201);
    // a deal without a next step
    const idle = await server.admin.post('/deals', { title: 'Забытая сделка', amount: 100000 });
    expect(idle.status).toBe(201);

    await page.goto(`${e.baseUrl}/my-day`);
    await waitForHeading(page, 'Мой день');
    const overdue = page.getByTestId('group-overdue');
    const item = overdue.getByTestId('my-day-activity').filter({ hasText: 'Перезвонить по счёту' });
    await item.waitFor();
    expect(await item.getAttribute('data-overdue')).toBe('true');
    await item.getByTestId('overdue-mark').waitFor();
    // the mark is red
    const color = await item.getByTestId('overdue-mark').evaluate((el: unknown) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
    expect(color).toMatch(/rgb\((2[0-9]{2}), ([0-9]{1,2}), ([0-9]{1,2})\)/);
    // the owner link leads to the deal
    await item.getByRole('link', { name: 'Поставка стеллажей' }).waitFor();
    expect(await item.getByRole('link', { name: 'Поставка стеллажей' }).getAttribute('href')).toBe(`/deals/${deal.body.id}`);
    await page.getByTestId('group-no-next-step').getByRole('link', { name: 'Забытая сделка' }).waitFor();
    await page.getByTestId('my-day-summary').getByText(/1 просроченное/).waitFor();
    await e.screenshot('my-day');
    expect(await englishLabels(e.page)).toEqual([]); // no English for a screen reader in the Russian interface

    await item.getByRole('button', { name: 'Выполнено: Перезвонить по счёту' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Результат').fill('Клиент оплатит в пятницу');
    await dialog.getByRole('button', { name: 'Отметить выполненным' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await overdue.getByText('Просроченных дел нет — так держать.').waitFor();

    const done = await server.admin.get(`/activities/${act.body.id}`);
    expect(done.body.status).toBe('done');
    expect(done.body.result).toBe('Клиент оплатит в пятницу');
    // the deal lost its only planned activity: it now needs a next step
    await page.getByTestId('group-no-next-step').getByRole('link', { name: 'Поставка стеллажей' }).waitFor();
  });

  it('a head of sales sees the department grouped by manager with counters', async () => {
    const { server } = e;
    const roles = (await server.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
    const dep = await server.admin.post('/departments', { name: 'Отдел продаж Север' });
    expect(dep.status).toBe(201);
    const head = await server.admin.post('/users', {
      email: 'head@north.test',
      name: 'Ольга Руководитель',
      password: ADMIN_PASSWORD,
      departmentId: dep.body.id,
      roleIds: [roleId('head_of_sales')],
    });
    expect(head.status).toBe(201);
    const manager = await server.admin.post('/users', {
      email: 'petr@north.test',
      name: 'Пётр Менеджеров',
      password: ADMIN_PASSWORD,
      departmentId: dep.body.id,
      roleIds: [roleId('manager')],
    });
    expect(manager.status).toBe(201);
    const deal = await server.admin.post('/deals', { title: 'Оснащение склада', amount: 990000, responsibleId: manager.body.id });
    expect(deal.status).toBe(201);
    const past = new Date(e.now().getTime() - 3 * 3600_000).toISOString();
    const act = await server.admin.post('/activities', {
      type: 'meeting',
      subject: 'Встреча на складе',
      deadlineAt: past,
      entityType: 'deal',
      entityId: deal.body.id,
      responsibleId: manager.body.id,
    });
    expect(act.status).toBe(201);

    // the head logs in (the administrator's session cookie is dropped)
    const { page } = e;
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'head@north.test');
    await page.goto(`${e.baseUrl}/my-day`);
    await waitForHeading(page, 'Мой день');
    await page.getByText('Отдел', { exact: true }).first().click();
    await page.waitForURL(/view=team/);
    const group = page.locator('[data-testid="manager-group"][data-manager="Пётр Менеджеров"]');
    await group.waitFor();
    await group.getByTestId('counter-overdue').getByText('1 просроченное').waitFor();
    await group.getByTestId('counter-no-next-step').getByText('0 сделок без шага').waitFor();
    const item = group.getByTestId('my-day-activity').filter({ hasText: 'Встреча на складе' });
    await item.waitFor();
    expect(await item.getAttribute('data-overdue')).toBe('true');
    // the head may change the department's activities: the row has its controls
    await item.getByRole('button', { name: 'Перенести дело: Встреча на складе' }).waitFor();
    await item.getByRole('button', { name: 'Изменить дело: Встреча на складе' }).waitFor();
    // the head's own group is there too, with nothing overdue
    await page.locator('[data-testid="manager-group"][data-manager="Ольга Руководитель"]').waitFor();
    // the administrator's deals are not the head's department's
    expect(await page.getByText('Поставка стеллажей').count()).toBe(0);
    await e.screenshot('my-day-team', page);
  });
});
