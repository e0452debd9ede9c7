import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// The notification bell against the real server: the badge follows the server's event stream
// without a reload, the list links to the record, "mark all read" clears the badge, and the
// user's own settings choose which kinds also come by e-mail.

describe('notification bell', () => {
  let e: E2E;
  let adminId: number;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
    adminId = (await e.server.admin.get('/auth/me')).body.user.id;
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-notifications-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  const notify = (title: string, entity?: { type: 'deal'; id: number }) =>
    e.server.ctx.services.notifications.notify(e.server.ctx.db.kysely, e.server.workspaceId, [adminId], { kind: 'robot', title, entity });

  it('shows the unread count live, opens the record from the list, and marks all read', async () => {
    const { page, server } = e;
    const deal = await server.admin.post('/deals', { title: 'Сделка из уведомления' });
    expect(deal.status).toBe(201);
    await page.goto(`${e.baseUrl}/my-day`);
    await waitForHeading(page, 'Мой день');
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    expect(await bell.getAttribute('aria-label')).toBe('Уведомления');

    await notify('Позвоните по сделке', { type: 'deal', id: deal.body.id });
    await notify('Сводка готова');
    // no reload: the stream brings the count
    await page.getByRole('button', { name: 'Уведомления: 2 непрочитанных' }).waitFor();

    await bell.click();
    const list = page.getByTestId('notification-list');
    await list.getByText('Позвоните по сделке').click();
    await page.waitForURL(new RegExp(`/deals/${deal.body.id}$`));
    await waitForHeading(page, 'Сделка из уведомления');
    await page.getByRole('button', { name: 'Уведомления: 1 непрочитанное' }).waitFor();

    await bell.click();
    await page.getByRole('button', { name: 'Прочитать все' }).click();
    await page.getByRole('button', { name: 'Уведомления', exact: true }).waitFor();
    expect((await server.admin.get('/notifications/unread-count')).body).toEqual({ count: 0 });
    await page.keyboard.press('Escape');
    expect(e.browserErrors).toEqual([]);
  });

  it('the user menu’s notification settings choose which kinds also come by e-mail', async () => {
    const { page, server } = e;
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Настройки уведомлений' }).click();
    const overdue = page.getByRole('checkbox', { name: 'Просроченное дело' });
    await overdue.waitFor();
    expect(await overdue.isChecked()).toBe(false);
    await overdue.click();
    await expect.poll(async () => (await server.admin.get('/notifications/preferences')).body.email.activity_overdue).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Сводка за день' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    expect(e.browserErrors).toEqual([]);
  });
});
