import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobWorker } from '../../src/jobs/index.js';
import { addUser } from '../support/test-server.js';
import { englishLabels, loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// Settings → «Контроль сроков» against the real server: the administrator shortens the escalation to
// the head to 30 minutes and moves the digest; a manager's call becomes overdue when the server's
// and the browser's clocks are moved forward, the overdue-control job runs, and the head of sales
// sees the notice arrive in the bell without a reload.

describe('overdue control settings and the head’s bell', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-overdue-control-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('edits the rules, and the head of sales gets the overdue notice in the bell', async () => {
    const { page, server } = e;
    const settings = async () => (await server.admin.get('/settings/overdue-control')).body;

    await page.goto(`${e.baseUrl}/settings/overdue-control`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('tab', { name: 'Контроль сроков' }).waitFor();
    const escalate = page.getByLabel('Руководителю — ещё через, минут');
    await escalate.waitFor();
    expect(await escalate.inputValue()).toBe('120');
    expect(await page.getByLabel('Без смены стадии, дней').inputValue()).toBe('7');
    await escalate.fill('30');
    await page.getByLabel('Время сводки').fill('10:30');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await settings()).activityEscalateAfterMinutes).toBe(30);
    expect((await settings()).digestTime).toBe('10:30');
    await page.getByText(/^Следующая сводка: /).waitFor();
    // a bad value is refused with the field named
    expect((await server.admin.patch('/settings/overdue-control', { version: (await settings()).version, dealIdleDays: 0 })).status).toBe(400);
    expect(await englishLabels(page)).toEqual([]);
    await e.screenshot('overdue-control');

    // a head of sales and their manager, whose call is due in 5 minutes
    const dept = (await server.admin.post('/departments', { name: 'Отдел продаж' })).body as { id: number; version: number };
    const head = await addUser(server, 'head@overdue-e2e.test', 'head_of_sales', { name: 'Ирина Руководитель', departmentId: dept.id });
    const manager = await addUser(server, 'manager@overdue-e2e.test', 'manager', { name: 'Пётр Менеджер', departmentId: dept.id });
    expect((await server.admin.patch(`/departments/${dept.id}`, { headId: head.id, version: dept.version })).status).toBe(200);
    const deal = (await server.admin.post('/deals', { title: 'Поставка станков', responsibleId: manager.id })).body as { id: number };
    const deadlineAt = new Date(e.now().getTime() + 5 * 60_000).toISOString();
    const call = await server.admin.post('/activities', { type: 'call', subject: 'Позвонить по КП', deadlineAt, responsibleId: manager.id, entityType: 'deal', entityId: deal.id });
    expect(call.status).toBe(201);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'head@overdue-e2e.test', 'user password 1', '/my-day');
    await waitForHeading(page, 'Мой день');
    await page.getByRole('button', { name: 'Уведомления', exact: true }).waitFor();

    // 5 minutes to the deadline, 30 more to the escalation, and a little: the job runs
    await e.setNow(new Date(e.now().getTime() + 36 * 60_000));
    const worker = new JobWorker(server.testDb.db, server.clock, server.ctx.services.jobs);
    try {
      await worker.runDueJobs();
    } finally {
      await worker.stop();
    }
    await page.getByRole('button', { name: 'Уведомления: 1 непрочитанное' }).waitFor();
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-list').getByText('Просрочено дело у Пётр Менеджер: «Позвонить по КП»').waitFor();
    await e.screenshot('overdue-control-bell');
    expect(e.browserErrors).toEqual([]);
  });
});
