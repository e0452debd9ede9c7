import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, fillLogin, horizontalOverflow, loginAs, startE2E, waitForHeading, type E2E } from './support/e2e.js';
import { ApiClient } from '../support/api-client.js';

// Planned activities in a real browser against the real server: edited in the planning form on a
// deal card (the change lands in the timeline), rescheduled by a preset from the card and from
// My day (an overdue one leaves "overdue" at once), a version conflict that keeps what the user
// typed, and a user who may change only their own activities.

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** "HH:MM" of an instant in a time zone. */
const wallTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
/** "YYYY-MM-DD" of an instant in a time zone. */
const wallDate = (iso: string | Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));

describe('activities', () => {
  let e: E2E;
  let dealId: number;
  let timeZone: string;

  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
    const deal = await e.server.admin.post('/deals', { title: 'Поставка кресел', amount: 2500000 });
    expect(deal.status).toBe(201);
    dealId = deal.body.id;
    timeZone = (await e.server.admin.get('/auth/me')).body.user.timeZone;
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-activities-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('plans a call on a deal card, edits its subject and deadline; the change is in the timeline', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Поставка кресел');

    await page.getByRole('button', { name: 'Запланировать дело' }).click();
    const plan = page.getByRole('dialog', { name: 'Новое дело' });
    await plan.getByRole('textbox', { name: 'Тема' }).fill('Позвонить закупщику');
    await plan.getByLabel('Срок').fill('2030-01-15T10:30');
    await plan.getByRole('button', { name: 'Запланировать' }).click();
    await plan.waitFor({ state: 'detached' });
    const row = page.getByTestId('activity').filter({ hasText: 'Позвонить закупщику' });
    await row.waitFor();
    expect(norm(await row.innerText())).toContain('15.01.2030, 10:30');

    await row.getByRole('button', { name: 'Изменить дело: Позвонить закупщику' }).click();
    const edit = page.getByRole('dialog', { name: 'Изменить дело' });
    const subject = edit.getByRole('textbox', { name: 'Тема' });
    expect(await subject.inputValue()).toBe('Позвонить закупщику');
    expect(await edit.getByLabel('Срок').inputValue()).toBe('2030-01-15T10:30');
    // a clear message for an empty subject, nothing sent
    await subject.fill('  ');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await edit.getByText('Обязательное поле').waitFor();
    await subject.fill('Позвонить закупщику по счёту');
    await edit.getByLabel('Срок').fill('2030-01-16T11:00');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await edit.waitFor({ state: 'detached' });

    const edited = page.getByTestId('activity').filter({ hasText: 'Позвонить закупщику по счёту' });
    await edited.waitFor();
    await edited.getByText(/16\.01\.2030,\s11:00/).waitFor();
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="activity_updated"]').first();
    await entry.getByText('Позвонить закупщику по счёту').first().waitFor();
    const text = norm(await entry.innerText());
    expect(text).toContain('Тема');
    expect(text).toContain('Срок');
    expect(text).toContain('16.01.2030, 11:00');

    const list = await e.server.admin.get(`/deals/${dealId}/activities?status=planned`);
    const saved = list.body.items.find((a: { subject: string }) => a.subject === 'Позвонить закупщику по счёту');
    expect(saved).toBeTruthy();
    expect(wallTime(saved.deadlineAt, timeZone)).toBe('11:00');
    expect(wallDate(saved.deadlineAt, timeZone)).toBe('2030-01-16');
    await e.screenshot('activities-card');
  });

  it('reschedules from the card by a week, keeping the time of day', async () => {
    const { page } = e;
    const row = page.getByTestId('activity').filter({ hasText: 'Позвонить закупщику по счёту' });
    await row.getByRole('button', { name: 'Перенести дело: Позвонить закупщику по счёту' }).click();
    await page.getByRole('menuitem', { name: /^Через неделю/ }).click();
    const inAWeek = new Date(e.now().getTime() + 7 * 86_400_000);
    const expected = wallDate(inAWeek, timeZone).split('-').reverse().join('.');
    await row.getByText(new RegExp(`${expected.replace(/\./g, '\\.')},\\s11:00`)).waitFor();
    const list = await e.server.admin.get(`/deals/${dealId}/activities?status=planned`);
    expect(wallTime(list.body.items[0].deadlineAt, timeZone)).toBe('11:00');
  });

  it('a version conflict keeps what the user typed and takes over the other change', async () => {
    const { page } = e;
    const row = page.getByTestId('activity').filter({ hasText: 'Позвонить закупщику по счёту' });
    await row.getByRole('button', { name: 'Изменить дело: Позвонить закупщику по счёту' }).click();
    const edit = page.getByRole('dialog', { name: 'Изменить дело' });
    await edit.getByRole('textbox', { name: 'Тема' }).fill('Обсудить скидку с закупщиком');

    // meanwhile a colleague changes the description
    const current = (await e.server.admin.get(`/deals/${dealId}/activities?status=planned`)).body.items[0];
    const other = await e.server.admin.patch(`/activities/${current.id}`, { description: 'Клиент просил перезвонить после обеда', version: current.version });
    expect(other.status).toBe(200);

    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await edit.getByText('Пока вы редактировали, дело изменил кто-то другой').waitFor();
    expect(await edit.getByRole('textbox', { name: 'Тема' }).inputValue()).toBe('Обсудить скидку с закупщиком');
    expect(await edit.getByRole('textbox', { name: 'Описание' }).inputValue()).toBe('Клиент просил перезвонить после обеда');
    await e.screenshot('activities-conflict');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await edit.waitFor({ state: 'detached' });

    const after = (await e.server.admin.get(`/activities/${current.id}`)).body;
    expect(after).toMatchObject({ subject: 'Обсудить скидку с закупщиком', description: 'Клиент просил перезвонить после обеда' });
    await page.getByTestId('activity').filter({ hasText: 'Обсудить скидку с закупщиком' }).waitFor();
  });

  it('reschedules an overdue activity to tomorrow from My day: it leaves "overdue" at once', async () => {
    const { page, server } = e;
    const past = new Date(e.now().getTime() - 26 * 3600_000);
    past.setUTCSeconds(0, 0);
    const act = await server.admin.post('/activities', { type: 'call', subject: 'Перезвонить бухгалтеру', deadlineAt: past.toISOString(), entityType: 'deal', entityId: dealId });
    expect(act.status).toBe(201);

    await page.goto(`${e.baseUrl}/my-day`);
    await waitForHeading(page, 'Мой день');
    const overdue = page.getByTestId('group-overdue');
    const item = overdue.getByTestId('my-day-activity').filter({ hasText: 'Перезвонить бухгалтеру' });
    await item.waitFor();
    expect(await item.getAttribute('data-overdue')).toBe('true');

    await item.getByRole('button', { name: 'Перенести дело: Перезвонить бухгалтеру' }).click();
    await page.getByRole('menuitem', { name: /^Завтра/ }).click();
    await overdue.getByText('Просроченных дел нет — так держать.').waitFor();
    const moved = page.getByTestId('group-upcoming').getByTestId('my-day-activity').filter({ hasText: 'Перезвонить бухгалтеру' });
    await moved.waitFor();
    expect(await moved.getAttribute('data-overdue')).toBe('false');

    const after = (await server.admin.get(`/activities/${act.body.id}`)).body;
    expect(after.overdue).toBe(false);
    expect(wallTime(after.deadlineAt, timeZone)).toBe(wallTime(past.toISOString(), timeZone));
    expect(wallDate(after.deadlineAt, timeZone)).toBe(wallDate(new Date(e.now().getTime() + 86_400_000), timeZone));
    await e.screenshot('activities-my-day');
    // the row and its controls fit a phone
    await page.setViewportSize({ width: 390, height: 844 });
    await moved.getByRole('button', { name: 'Перенести дело: Перезвонить бухгалтеру' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await e.screenshot('activities-my-day-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // the deal's history says the deadline moved
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Поставка кресел');
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="activity_updated"]').filter({ hasText: 'Перезвонить бухгалтеру' });
    await entry.first().waitFor();
    expect(norm(await entry.first().innerText())).toContain('Срок');
  });

  it('a plan form sent after the session expired comes back filled in after logging in, and is saved once', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Поставка кресел');
    await page.getByRole('button', { name: 'Запланировать дело' }).click();
    let plan = page.getByRole('dialog', { name: 'Новое дело' });
    await plan.getByRole('textbox', { name: 'Тема' }).fill('Согласовать цвет обивки');
    await plan.getByLabel('Срок').fill('2030-03-02T11:15');
    await plan.getByRole('textbox', { name: 'Описание' }).fill('Образцы у менеджера');
    await e.context.clearCookies(); // the session is gone (expired, or ended elsewhere)
    // saving finds out; so may a request the page makes by itself first (then the form is gone)
    await plan
      .getByRole('button', { name: 'Запланировать' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await page.waitForURL(/\/login\?next=%2Fdeals%2F\d+&reason=expired$/);
    await fillLogin(page, e.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));

    plan = page.getByRole('dialog', { name: 'Новое дело' });
    expect(await plan.getByRole('textbox', { name: 'Тема' }).inputValue()).toBe('Согласовать цвет обивки');
    expect(await plan.getByLabel('Срок').inputValue()).toBe('2030-03-02T11:15');
    expect(await plan.getByRole('textbox', { name: 'Описание' }).inputValue()).toBe('Образцы у менеджера');
    await plan.getByRole('button', { name: 'Запланировать' }).click();
    await plan.waitFor({ state: 'detached' });
    await page.getByTestId('activity').filter({ hasText: 'Согласовать цвет обивки' }).waitFor();
    const mine = (await server.admin.get('/activities', { entityType: 'deal', entityId: dealId, limit: 100 })).body.items as Array<{ subject: string }>;
    expect(mine.filter((a) => a.subject === 'Согласовать цвет обивки')).toHaveLength(1);

    // once saved (or closed), the form starts empty again, and a reload does not reopen it
    await page.reload();
    await waitForHeading(page, 'Поставка кресел');
    expect(await page.getByRole('dialog', { name: 'Новое дело' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Запланировать дело' }).click();
    plan = page.getByRole('dialog', { name: 'Новое дело' });
    expect(await plan.getByRole('textbox', { name: 'Тема' }).inputValue()).toBe('');
    await plan.getByRole('textbox', { name: 'Тема' }).fill('Передумал');
    await plan.getByRole('button', { name: 'Отмена' }).click();
    await plan.waitFor({ state: 'detached' });
    await page.reload();
    await waitForHeading(page, 'Поставка кресел');
    expect(await page.getByRole('dialog', { name: 'Новое дело' }).count()).toBe(0);
  });

  it('a user who may change only their own activities gets no controls on others and is offered no one else as responsible', async () => {
    const { page, server } = e;
    const role = await server.admin.post('/roles', {
      name: 'Менеджер с обзором',
      permissions: [
        { entity: 'deal', action: 'read', level: 'all' },
        { entity: 'deal', action: 'update', level: 'all' },
        { entity: 'activity', action: 'read', level: 'all' },
        { entity: 'activity', action: 'create', level: 'own' },
        { entity: 'activity', action: 'update', level: 'own' },
      ],
    });
    expect(role.status).toBe(201);
    const user = await server.admin.post('/users', { email: 'anna@activities.test', name: 'Анна Менеджер', password: ADMIN_PASSWORD, roleIds: [role.body.id] });
    expect(user.status).toBe(201);
    const mine = await server.admin.post('/activities', { type: 'meeting', subject: 'Встреча Анны', deadlineAt: '2030-02-01T08:00:00.000Z', entityType: 'deal', entityId: dealId, responsibleId: user.body.id });
    expect(mine.status).toBe(201);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'anna@activities.test');
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Поставка кресел');
    const own = page.getByTestId('activity').filter({ hasText: 'Встреча Анны' });
    await own.getByRole('button', { name: 'Перенести дело: Встреча Анны' }).waitFor();
    const admins = page.getByTestId('activity').filter({ hasText: 'Обсудить скидку с закупщиком' });
    await admins.waitFor();
    expect(await admins.getByRole('button').count()).toBe(0);

    // she may not hand her meeting to the administrator: the picker offers only herself, and the
    // server refuses the hand-over all the same
    await own.getByRole('button', { name: 'Изменить дело: Встреча Анны' }).click();
    const edit = page.getByRole('dialog', { name: 'Изменить дело' });
    await edit.getByLabel('Ответственный').first().click();
    await page.getByRole('option', { name: 'Анна Менеджер' }).waitFor();
    expect(await page.getByRole('option').allInnerTexts()).toEqual(['Анна Менеджер']);
    await page.keyboard.press('Escape');
    const anna = await ApiClient.login(e.baseUrl, 'anna@activities.test', ADMIN_PASSWORD);
    const refused = await anna.patch(`/activities/${mine.body.id}`, { responsibleId: server.admin.user.id, version: mine.body.version });
    expect(refused.status).toBe(403);
    expect((await server.admin.get(`/activities/${mine.body.id}`)).body.responsibleId).toBe(user.body.id);
  });
});
