import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../support/test-server.js';
import { automationDriver } from '../support/automation.js';
import { SmsRuImitation } from '../support/sms-gateways.js';
import { addRobot, setUpSmsRu } from './support/automation-screens.js';
import { card, column, drag } from './support/board.js';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// Issue 8's "done when", from the web app alone, as a new workspace's people would do it:
// the administrator points the SMS provider at SMS.ru (an imitation gateway speaking its documented
// API, started here), adds to the default pipeline's «В работе» a robot that plans a call for the
// responsible due in a day and a robot that sends the client an SMS, and checks the overdue-control
// rule "an activity overdue by 2 hours → the head of the department" (switching the daily digest off,
// so the head's bell carries only the overdue notice). A manager drags their deal (its contact has a
// phone) into «В работе» on the board; the engine runs (driven from the test: the outbox consumers'
// pump, then a job worker over the due jobs); the deal card shows the planned call, the SMS in the
// timeline and both robots done in its automation. Then the server's and the browser's clocks move
// past the call's deadline plus 2 hours, the overdue scan runs, and the head of sales — the head of
// the manager's department — sees the notice in the bell with the unread count, and it opens the deal.

const API_ID = 'SCENARIO-API-ID';
const PHONE = '+7 925 507-06-02';
const PHONE_NORMALIZED = '+79255070602';
const DEAL = 'Поставка стеллажей для склада';
const CALL = `Позвонить клиенту по сделке ${DEAL}`;
const SMS = 'Здравствуйте, Анна! Менеджер Пётр Менеджер позвонит вам завтра.';
const MINUTE = 60_000;

describe('automation scenario: a deal enters «В работе» → a call for tomorrow → an SMS → the head hears of the overdue call', () => {
  let e: E2E;
  let engine: ReturnType<typeof automationDriver>;
  let smsru: SmsRuImitation;
  let pipelineId: number;
  let target: { id: number; name: string };
  let dealId: number;
  let managerId: number;

  beforeAll(async () => {
    smsru = await new SmsRuImitation({ apiIds: [API_ID], senders: ['Romashka'] }).start();
    e = await startE2E();
    engine = automationDriver(e.server);
    const { server } = e;
    const p = (await server.admin.get('/pipelines')).body.items.find((x: { isDefault: boolean }) => x.isDefault);
    pipelineId = p.id;
    // the seeded pipeline's second in-progress stage
    target = p.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress')[1];
    expect(target.name).toBe('В работе');

    // the people (as test/e2e/overdue-control.test.ts makes them): a head of sales heading the
    // department of a manager; the manager's deal with a contact who has a phone, in «Новая»
    const dept = (await server.admin.post('/departments', { name: 'Отдел продаж' })).body as { id: number; version: number };
    const head = await addUser(server, 'head@scenario-e2e.test', 'head_of_sales', { name: 'Ирина Руководитель', departmentId: dept.id });
    const manager = await addUser(server, 'manager@scenario-e2e.test', 'manager', { name: 'Пётр Менеджер', departmentId: dept.id });
    expect((await server.admin.patch(`/departments/${dept.id}`, { headId: head.id, version: dept.version })).status).toBe(200);
    const contact = await manager.client.post('/contacts', { firstName: 'Анна', lastName: 'Клиентова', phones: [{ value: PHONE }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const deal = await manager.client.post('/deals', { title: DEAL, contactIds: [contact.body.id], primaryContactId: contact.body.id });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    dealId = deal.body.id;
    managerId = manager.id;
    expect(deal.body.responsibleId).toBe(manager.id);
    expect(deal.body.stageId).not.toBe(target.id);

    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(async () => {
    await engine?.stop();
    await Promise.all([e?.close(), smsru?.close()]);
  });
  reportFailures(() => e, 'automation-scenario');

  it('the administrator points the SMS provider at SMS.ru in Settings → Рассылки', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/settings/messaging`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('tab', { name: 'Рассылки' }).waitFor();
    await setUpSmsRu(page, { apiId: API_ID, sender: 'Romashka', url: smsru.url });
    await expect.poll(async () => (await server.admin.get('/settings/messaging')).body.smsProvider).toBe('smsru');
    expect((await server.admin.get('/settings/messaging')).body).toMatchObject({ smsruApiIdSet: true, smsSender: 'Romashka', smsApiUrl: smsru.url });
  });

  it('adds «plan a call for the responsible in 1 day» and «send an SMS to the client» to «В работе» on the robots screen', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/settings/pipelines`);
    await waitForHeading(page, 'Настройки');
    await page.getByTestId('pipeline-robots').click();
    await waitForHeading(page, 'Роботы');
    expect(page.url()).toContain(`/automation/robots?pipelineId=${pipelineId}`);
    const stageColumn = page.locator(`[data-testid="robot-stage"][data-stage-id="${target.id}"]`);
    await stageColumn.waitFor();

    // the call: for the responsible (the default), due one day after the robot runs
    let form = await addRobot(page, target.name, 'Запланировать дело');
    await form.getByRole('textbox', { name: 'Название' }).fill('Звонок на завтра');
    await form.getByLabel('Тип дела').first().click();
    await page.getByRole('option', { name: 'Звонок', exact: true }).click();
    const subject = form.getByRole('textbox', { name: 'Тема' });
    await subject.fill('Позвонить клиенту по сделке ');
    await form.getByRole('button', { name: 'Вставить поле в «Тема»' }).click();
    await page.getByRole('menuitem', { name: /Название сделки/ }).click();
    await expect.poll(() => subject.inputValue()).toBe('Позвонить клиенту по сделке {{deal.title}}');
    expect(await form.getByRole('radio', { name: 'Ответственный' }).isChecked()).toBe(true);
    await form.getByLabel('Срок').first().click();
    await page.getByRole('option', { name: 'Через время', exact: true }).click();
    const deadline = form.getByTestId('deadline-editor');
    await deadline.getByLabel('Сколько').fill('1');
    await deadline.getByLabel('Единица').click();
    await page.getByRole('option', { name: 'дней', exact: true }).click();
    expect(await englishLabels(page)).toEqual([]);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    // the SMS: the client's first name and the responsible's name put in by the placeholder picker
    form = await addRobot(page, target.name, 'Отправить SMS клиенту');
    await form.getByRole('textbox', { name: 'Название' }).fill('SMS клиенту');
    const text = form.getByRole('textbox', { name: 'Текст' });
    await text.fill('Здравствуйте, ');
    await form.getByRole('button', { name: 'Вставить поле в «Текст»' }).click();
    await page.getByRole('menuitem', { name: /contact\.firstName/ }).click();
    await expect.poll(() => text.inputValue()).toBe('Здравствуйте, {{contact.firstName}}');
    await text.press('End');
    await text.pressSequentially('! Менеджер ');
    await form.getByRole('button', { name: 'Вставить поле в «Текст»' }).click();
    await page.getByRole('menuitem', { name: /responsible\.name/ }).click();
    await expect.poll(() => text.inputValue()).toBe('Здравствуйте, {{contact.firstName}}! Менеджер {{responsible.name}}');
    await text.press('End');
    await text.pressSequentially(' позвонит вам завтра.');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    await expect.poll(() => stageColumn.getByTestId('robot-card').count()).toBe(2);
    expect(await stageColumn.getByTestId('robot-card').allInnerTexts()).toEqual([expect.stringContaining('Звонок на завтра'), expect.stringContaining('SMS клиенту')]);
    const robots = (await server.admin.get('/automation/robots', { pipelineId })).body as Array<Record<string, unknown>>;
    expect(robots).toMatchObject([
      {
        stageId: target.id,
        type: 'plan_activity',
        name: 'Звонок на завтра',
        timing: { kind: 'immediate' },
        params: { activityType: 'call', subject: 'Позвонить клиенту по сделке {{deal.title}}', assignee: { kind: 'responsible' }, deadline: { kind: 'delay', amount: 1, unit: 'days' } },
      },
      { stageId: target.id, type: 'send_sms', name: 'SMS клиенту', timing: { kind: 'immediate' }, params: { text: 'Здравствуйте, {{contact.firstName}}! Менеджер {{responsible.name}} позвонит вам завтра.' } },
    ]);
    expect(await englishLabels(page)).toEqual([]);
    await e.screenshot('automation-scenario-robots');
  });

  it('sets the overdue control: an activity overdue by 2 hours → the head of the department', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/settings`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('tab', { name: 'Контроль сроков' }).click();
    await page.waitForURL(/\/settings\/overdue-control/);
    const enabled = page.getByRole('switch', { name: 'Сообщать о просроченных делах' });
    expect(await enabled.isChecked()).toBe(true);
    const notify = page.getByLabel('Ответственному — через, минут после срока');
    await notify.fill('0');
    expect(await page.getByRole('checkbox', { name: 'Затем сообщать руководителю отдела' }).isChecked()).toBe(true);
    const escalate = page.getByLabel('Руководителю — ещё через, минут');
    await escalate.fill('120');
    // the daily digest off: the head's bell then carries the overdue notice alone
    await page.getByRole('switch', { name: 'Присылать сводку' }).click();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await server.admin.get('/settings/overdue-control')).body.digestEnabled).toBe(false);
    expect((await server.admin.get('/settings/overdue-control')).body).toMatchObject({ activityEnabled: true, activityNotifyAfterMinutes: 0, activityEscalateAfterMinutes: 120 });
    expect(await englishLabels(page)).toEqual([]);
  });

  it('the manager drags the deal into «В работе»: the call is planned, the SMS sent, both robots done in the card', async () => {
    const { page, server } = e;
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'manager@scenario-e2e.test', 'user password 1', '/deals');
    await waitForHeading(page, 'Сделки');
    const from = card(column(page, 'Новая'), DEAL);
    await from.waitFor();
    const moved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}/move`) && r.request().method() === 'POST');
    const movedAt = e.now().getTime();
    await drag(page, from, column(page, target.name));
    expect((await moved).status()).toBe(200);
    await card(column(page, target.name), DEAL).waitFor();

    const r = await engine.settle();
    expect(r).toMatchObject({ failed: 0, retryable: 0 });

    // the SMS reached the gateway, once, with the deal's values put in
    expect(smsru.ledgerFor(PHONE_NORMALIZED)).toMatchObject([{ text: SMS, from: 'Romashka' }]);
    expect(smsru.ledgerFor()).toHaveLength(1);
    // the call: the manager's, due a day after the deal entered the stage
    const calls = (await server.admin.get(`/deals/${dealId}/activities`, { status: 'planned' })).body.items as Array<{ type: string; subject: string; responsibleId: number; deadlineAt: string }>;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ type: 'call', subject: CALL, responsibleId: managerId });
    const due = Date.parse(calls[0]!.deadlineAt) - movedAt;
    expect(due).toBeGreaterThanOrEqual(24 * 60 * MINUTE);
    expect(due).toBeLessThan(24 * 60 * MINUTE + 5 * MINUTE);

    // the board, looked at again, shows the call as the deal's next step; the card opens from it
    await page.reload();
    const onBoard = card(column(page, target.name), DEAL);
    await onBoard.getByTestId('next-activity').waitFor();
    expect(await onBoard.getByTestId('no-next-step').count()).toBe(0);
    await onBoard.click();
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));
    await page.getByTestId('deal-card').waitFor();
    expect(await page.getByTestId('stage-bar').getByRole('button', { name: new RegExp(target.name) }).first().getAttribute('aria-current')).toBe('step');
    const activity = page.getByTestId('activities-panel').getByRole('listitem').filter({ hasText: CALL });
    await activity.waitFor();
    expect(await activity.getAttribute('data-overdue')).toBe('false');

    const sms = page.locator('[data-testid="timeline-entry"][data-kind="sms_sent"]');
    await sms.getByText(SMS).waitFor();
    expect(await sms.innerText()).toContain('Клиенту отправлено SMS');
    expect(await sms.innerText()).toContain(`На ${PHONE_NORMALIZED} через SMS.ru`);
    expect(await sms.getByTestId('timeline-author').textContent()).toBe('Робот «SMS клиенту»');

    const panel = page.getByTestId('automation-panel');
    const runs = panel.getByTestId('automation-run');
    await expect.poll(() => runs.count()).toBe(2);
    const byName = (name: string) => runs.filter({ hasText: name });
    expect(await byName('Звонок на завтра').getByTestId('run-status').textContent()).toBe('выполнен');
    expect(await byName('Звонок на завтра').getByTestId('run-summary').textContent()).toBe(`Запланировано дело (звонок) «${CALL}»`);
    await byName('Звонок на завтра').getByText(`Дело: ${CALL}`).waitFor();
    expect(await byName('SMS клиенту').getByTestId('run-status').textContent()).toBe('выполнен');
    expect(await byName('SMS клиенту').getByTestId('run-summary').textContent()).toBe(`Отправлено SMS на ${PHONE_NORMALIZED} через SMS.ru`);
    expect(await englishLabels(page)).toEqual([]);
    await e.screenshot('automation-scenario-deal-card');
  });

  it('past the deadline plus 2 hours the head of sales gets the notice in the bell, linking to the deal', async () => {
    const { page, server } = e;
    const call = ((await server.admin.get(`/deals/${dealId}/activities`, { status: 'planned' })).body.items as Array<{ deadlineAt: string }>)[0]!;
    // the server's and the browser's clocks together, a minute past the escalation
    await e.setNow(new Date(Date.parse(call.deadlineAt) + 121 * MINUTE));
    const r = await engine.settle();
    expect(r).toMatchObject({ failed: 0, retryable: 0 });
    expect(r.completed).toBeGreaterThanOrEqual(1);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'head@scenario-e2e.test', 'user password 1', '/my-day');
    await waitForHeading(page, 'Мой день');
    await page.getByRole('button', { name: 'Уведомления: 1 непрочитанное' }).waitFor();
    await page.getByTestId('notification-bell').click();
    const notice = page.getByTestId('notification-list').getByRole('button', { name: new RegExp(`Просрочено дело у Пётр Менеджер: «${CALL}»`) });
    await notice.waitFor();
    expect(await notice.getAttribute('data-unread')).toBe('true');
    await e.screenshot('automation-scenario-bell');
    await notice.click();
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));
    await waitForHeading(page, DEAL);
    await page.getByRole('button', { name: 'Уведомления', exact: true }).waitFor();
    // the head sees the manager's call overdue in the card
    const activity = page.getByTestId('activities-panel').getByRole('listitem').filter({ hasText: CALL });
    await activity.getByTestId('overdue-mark').waitFor();
    expect(e.browserErrors).toEqual([]);
  });
});
