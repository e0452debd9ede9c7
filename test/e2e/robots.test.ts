import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../support/test-server.js';
import { addRobot } from './support/automation-screens.js';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// The robots screen against a real server running the automation engine (the outbox consumer and
// a job worker, on the running clock): an administrator adds «Запланировать дело» and «Добавить
// комментарий» to a stage, a deal entering it gets the call planned and the comment written by the
// robot, and the deal card's automation says both were done. A bad placeholder is shown at its
// field; a manager has no way in — until an administrator grants their role «Роботы и триггеры»
// (automation.manage) in Settings → Роли: then the menu has «Роботы», and they hand deals out over a
// department with «Сменить ответственного».

describe('robots', () => {
  let e: E2E;
  let stages: Array<{ id: number; name: string; semantic: string }>;
  let pipelineId: number;

  beforeAll(async () => {
    e = await startE2E({ automation: true });
    const p = (await e.server.admin.get('/pipelines')).body.items.find((x: { isDefault: boolean }) => x.isDefault);
    pipelineId = p.id;
    stages = p.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'robots');

  it('adds two robots from the pipeline settings; a deal entering the stage gets the call and the robot’s comment', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/pipelines`);
    await waitForHeading(page, 'Настройки');
    await page.getByTestId('pipeline-robots').click();
    await waitForHeading(page, 'Роботы');
    expect(page.url()).toContain(`/automation/robots?pipelineId=${pipelineId}`);
    await expect.poll(() => page.getByTestId('robot-stage').count()).toBeGreaterThanOrEqual(stages.length);
    const target = stages[1]!;

    // «Запланировать дело»: a call, the subject with the deal's title put in by the picker, due in a day
    let form = await addRobot(page, target.name, 'Запланировать дело');
    await form.getByLabel('Тип дела').first().click();
    await page.getByRole('option', { name: 'Звонок', exact: true }).click();
    const subject = form.getByRole('textbox', { name: 'Тема' });
    await subject.fill('Позвонить по сделке ');
    await form.getByRole('button', { name: 'Вставить поле в «Тема»' }).click();
    await page.getByRole('menuitem', { name: /Название сделки/ }).click();
    await expect.poll(() => subject.inputValue()).toBe('Позвонить по сделке {{deal.title}}');
    await form.getByLabel('Срок').first().click();
    await page.getByRole('option', { name: 'Через время', exact: true }).click();
    expect(await englishLabels(page)).toEqual([]);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    form = await addRobot(page, target.name, 'Добавить комментарий');
    await form.getByRole('textbox', { name: 'Текст' }).fill('Сделка «{{deal.title}}» пришла к роботам');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    const column = page.locator(`[data-testid="robot-stage"][data-stage-id="${target.id}"]`);
    await expect.poll(() => column.getByTestId('robot-card').count()).toBe(2);
    const robots = (await e.server.admin.get('/automation/robots', { pipelineId })).body as Array<Record<string, any>>;
    expect(robots.map((r) => [r.type, r.stageId])).toEqual([
      ['plan_activity', target.id],
      ['add_comment', target.id],
    ]);
    expect(robots[0]).toMatchObject({ params: { activityType: 'call', subject: 'Позвонить по сделке {{deal.title}}', deadline: { kind: 'delay', amount: 1, unit: 'days' } } });
    await e.screenshot('robots');
    expect(await englishLabels(page)).toEqual([]);

    // a deal enters the stage (through the API, as the board does)
    const deal = (await e.server.admin.post('/deals', { title: 'Стулья для склада', stageId: stages[0]!.id })).body;
    expect((await e.server.admin.post(`/deals/${deal.id}/move`, { stageId: target.id })).status).toBe(200);
    await expect
      .poll(async () => ((await e.server.admin.get(`/deals/${deal.id}/automation`)).body.items as Array<{ status: string }>).map((r) => r.status), { timeout: 20_000 })
      .toEqual(['done', 'done']);

    await page.goto(`${e.baseUrl}/deals/${deal.id}`);
    await page.getByTestId('deal-card').waitFor();
    await page.getByTestId('activities-panel').getByText('Позвонить по сделке Стулья для склада').waitFor();
    const comment = page.locator('[data-testid="timeline-entry"][data-kind="comment"]');
    await comment.getByText('Сделка «Стулья для склада» пришла к роботам').waitFor();
    expect(await comment.getByTestId('timeline-author').textContent()).toBe('Робот «Добавить комментарий»');
    const runs = page.getByTestId('automation-panel').getByTestId('automation-run');
    await expect.poll(() => runs.count()).toBe(2);
    expect(await runs.getByTestId('run-status').allTextContents()).toEqual(['выполнен', 'выполнен']);
    expect(await runs.getByTestId('run-summary').allTextContents()).toEqual(['Добавлен комментарий', 'Запланировано дело (звонок) «Позвонить по сделке Стулья для склада»']);
    await page.getByTestId('automation-panel').getByText('Дело: Позвонить по сделке Стулья для склада').waitFor();
    await e.screenshot('robots-deal-card');
  });

  it('applies a robot to the deals already in its stage after showing how many, and dry-runs it on a deal', async () => {
    const { page } = e;
    const stage = stages[2]!;
    const a = (await e.server.admin.post('/deals', { title: 'Уже в стадии А', stageId: stage.id })).body;
    const b = (await e.server.admin.post('/deals', { title: 'Уже в стадии Б', stageId: stage.id })).body;
    const robot = (await e.server.admin.post('/automation/robots', { stageId: stage.id, type: 'add_comment', name: 'Отметка', params: { text: 'Отметка для «{{deal.title}}»' } })).body;
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await waitForHeading(page, 'Роботы');
    const card = page.locator(`[data-testid="robot-card"][data-robot-id="${robot.id}"]`);

    await card.getByRole('button', { name: 'Действия с роботом «Отметка»' }).click();
    await page.getByRole('menuitem', { name: 'Пробный запуск…' }).click();
    const dry = page.getByRole('dialog', { name: 'Пробный запуск «Отметка»' });
    await dry.getByLabel('Сделка').first().click();
    await page.getByRole('option', { name: 'Уже в стадии А', exact: true }).click();
    await dry.getByRole('button', { name: 'Проверить' }).click();
    const result = dry.getByTestId('dry-run-result');
    await result.getByText('Робот сработал бы').waitFor();
    await result.getByText('Добавит комментарий').waitFor();
    expect(await result.textContent()).toContain('Отметка для «Уже в стадии А»');
    await page.keyboard.press('Escape');
    await dry.waitFor({ state: 'hidden' });

    await card.getByRole('button', { name: 'Действия с роботом «Отметка»' }).click();
    await page.getByRole('menuitem', { name: 'Применить к сделкам в стадии…' }).click();
    const apply = page.getByRole('dialog', { name: 'Применить «Отметка» к сделкам в стадии' });
    await apply.getByText('Робот сработает для 2 сделок, которые уже в стадии.').waitFor();
    await apply.getByRole('button', { name: 'Применить' }).click();
    await apply.waitFor({ state: 'hidden' });
    for (const d of [a, b]) {
      await expect
        .poll(async () => ((await e.server.admin.get(`/deals/${d.id}/automation`)).body.items as Array<{ status: string }>).map((r) => r.status), { timeout: 20_000 })
        .toEqual(['done']);
    }
    await e.server.admin.delete(`/automation/robots/${robot.id}`);
  });

  it('shows the server’s error at the field: an unknown placeholder in the subject', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await waitForHeading(page, 'Роботы');
    const form = await addRobot(page, stages[0]!.name, 'Запланировать дело');
    const subject = form.getByRole('textbox', { name: 'Тема' });
    await subject.fill('Привет, {{contact.nickname}}');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => subject.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await subject.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain('contact.nickname');
    expect(await form.getByTestId('robot-form-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Отмена' }).click();
    await form.waitFor({ state: 'hidden' });
    expect((await e.server.admin.get('/automation/robots', { pipelineId })).body.filter((r: { stageId: number }) => r.stageId === stages[0]!.id)).toEqual([]);
  });

  it('a manager sees no robots screen and no way to it', async () => {
    const { page } = e;
    await addUser(e.server, 'robots-manager@e2e.test', 'manager', { name: 'Мария Менеджер' });
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'robots-manager@e2e.test', 'user password 1');
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await page.getByText('Недостаточно прав для этого действия. Обратитесь к администратору.').waitFor();
    expect(await page.getByTestId('robot-board').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Роботы' }).count()).toBe(0);
  });

  it('a manager whose role is granted «Роботы и триггеры» gets the robots in the menu and distributes deals over a department', async () => {
    const { page, server } = e;
    const sales = (await server.admin.post('/departments', { name: 'Отдел продаж (роботы)' })).body as { id: number; name: string };
    const role = (await server.admin.post('/roles', { name: 'Настройщик роботов', permissions: [] })).body as { id: number };
    const user = await addUser(server, 'robots-tuner@e2e.test', 'manager', { name: 'Тимур Настройщик', departmentId: sales.id });
    const profile = (await server.admin.get(`/users/${user.id}`)).body;
    expect((await server.admin.patch(`/users/${user.id}`, { roleIds: [...profile.roleIds, role.id], version: profile.version })).status).toBe(200);

    // the administrator ticks the right in the role's editor
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, e.adminEmail, undefined, '/settings/roles');
    await waitForHeading(page, 'Настройки');
    await page.getByRole('navigation', { name: 'Роли' }).getByRole('button', { name: /^Настройщик роботов/ }).click();
    await page.getByRole('textbox', { name: 'Название роли' }).and(page.locator('[value="Настройщик роботов"]')).waitFor();
    const right = page.getByTestId('role-capabilities').getByRole('checkbox', { name: 'Роботы и триггеры' });
    expect(await right.isChecked()).toBe(false);
    await right.check();
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByText('Роль «Настройщик роботов» сохранена').waitFor();
    expect((await server.admin.get(`/roles/${role.id}`)).body.capabilities).toEqual(['automation.manage']);

    // the manager: «Роботы» in the menu, the board, a robot over the department
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'robots-tuner@e2e.test', 'user password 1');
    await page.getByRole('navigation').getByRole('link', { name: 'Роботы' }).click();
    await waitForHeading(page, 'Роботы');
    await page.getByTestId('robot-board').waitFor();
    const form = await addRobot(page, stages[0]!.name, 'Сменить ответственного');
    const pool = form.getByTestId('param-pool');
    await pool.getByText('Отдел', { exact: true }).click();
    await pool.getByPlaceholder('Выберите отдел').click();
    await page.getByRole('option', { name: sales.name }).click();
    await pool.getByRole('switch', { name: 'Вместе с подотделами' }).check({ force: true });
    await form.getByLabel('Как выбирать').first().click();
    await page.getByRole('option', { name: 'По очереди', exact: true }).click();
    expect(await englishLabels(page)).toEqual([]);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });
    const robots = (await server.admin.get('/automation/robots', { pipelineId })).body as Array<{ type: string; params: Record<string, unknown> }>;
    expect(robots.find((r) => r.type === 'change_responsible')?.params).toMatchObject({ userIds: [], departmentId: sales.id, includeSubdepartments: true, mode: 'round_robin' });
    await e.screenshot('robots-department-pool');

    // the workspace's log, outside Settings, without the queue's health (the administrators')
    await page.getByRole('link', { name: 'Журнал автоматизации' }).click();
    await waitForHeading(page, 'Журнал автоматизации');
    expect(page.url()).toMatch(/\/automation\/log$/);
    expect(await page.getByTestId('queue-health').count()).toBe(0);
  });
});
