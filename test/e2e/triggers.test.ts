import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// Triggers on the robots screen against a real server running the automation engine: an
// administrator puts a trigger «дело выполнено» (a call) on the third in-progress stage and a
// robot «Добавить комментарий» on that stage; a deal in the second stage gets a call planned and
// completed (API), and its card shows the deal in the third stage, the trigger's firing, the move
// authored by the trigger and the robot's comment. A bad parameter is shown at its field.

describe('triggers', () => {
  let e: E2E;
  let stages: Array<{ id: number; name: string; semantic: string }>;
  let pipelineId: number;

  beforeAll(async () => {
    e = await startE2E({ automation: true });
    const p = (await e.server.admin.get('/pipelines')).body.items.find((x: { isDefault: boolean }) => x.isDefault);
    pipelineId = p.id;
    stages = p.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress');
    expect(stages.length).toBeGreaterThanOrEqual(3);
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'triggers');

  const addTrigger = async (stageName: string, typeTitle: string) => {
    const { page } = e;
    await page.getByRole('button', { name: `Добавить триггер в стадию «${stageName}»` }).click();
    const picker = page.getByRole('dialog', { name: 'Какой триггер?' });
    await picker.getByRole('button', { name: new RegExp(`^${typeTitle}`) }).click();
    const form = page.getByRole('dialog', { name: `Новый триггер: ${typeTitle}` });
    await form.waitFor();
    return form;
  };

  it('a completed call moves the deal by the trigger to its stage, whose robot writes a comment; the deal card shows it all', async () => {
    const { page } = e;
    const target = stages[2]!;
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await waitForHeading(page, 'Роботы');

    let form = await addTrigger(target.name, 'Выполнено дело');
    await form.getByRole('textbox', { name: 'Название' }).fill('Звонок состоялся');
    await form.getByLabel('Тип дела').first().click();
    await page.getByRole('option', { name: 'Звонок', exact: true }).click();
    expect(await englishLabels(page)).toEqual([]);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: `Добавить робота в стадию «${target.name}»` }).click();
    await page.getByRole('dialog', { name: 'Какой робот?' }).getByRole('button', { name: /^Добавить комментарий/ }).click();
    form = page.getByRole('dialog', { name: 'Новый робот: Добавить комментарий' });
    await form.getByRole('textbox', { name: 'Текст' }).fill('Сделка «{{deal.title}}» после звонка');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });

    const column = page.locator(`[data-testid="robot-stage"][data-stage-id="${target.id}"]`);
    const card = column.getByTestId('trigger-card');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.getByTestId('trigger-type').textContent()).toBe('Выполнено дело: Звонок');
    await expect.poll(() => column.getByTestId('robot-card').count()).toBe(1);
    const triggers = (await e.server.admin.get('/automation/triggers', { pipelineId })).body as Array<Record<string, unknown>>;
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ stageId: target.id, type: 'activity_done', name: 'Звонок состоялся', params: { activityType: 'call' }, allowBack: false, enabled: true });
    await e.screenshot('triggers');
    expect(await englishLabels(page)).toEqual([]);

    // a deal in the second stage: a call planned and completed (through the API)
    const deal = (await e.server.admin.post('/deals', { title: 'Кресла для офиса', stageId: stages[1]!.id })).body;
    const call = (await e.server.admin.post('/activities', { type: 'call', subject: 'Позвонить клиенту', entityType: 'deal', entityId: deal.id })).body;
    expect((await e.server.admin.post(`/activities/${call.id}/complete`, {})).status).toBe(200);
    await expect.poll(async () => (await e.server.admin.get(`/deals/${deal.id}`)).body.stageId, { timeout: 20_000 }).toBe(target.id);
    await expect
      .poll(async () => ((await e.server.admin.get(`/deals/${deal.id}/automation`)).body.items as Array<{ status: string }>).map((r) => r.status), { timeout: 20_000 })
      .toEqual(['done']);

    await page.goto(`${e.baseUrl}/deals/${deal.id}`);
    await page.getByTestId('deal-card').waitFor();
    const firing = page.getByTestId('automation-panel').getByTestId('trigger-firing');
    await expect.poll(() => firing.count()).toBe(1);
    expect(await firing.getAttribute('data-status')).toBe('moved');
    expect(await firing.textContent()).toContain(`Триггер «Звонок состоялся»: перевёл в «${target.name}»`);
    const moved = page.locator('[data-testid="timeline-entry"][data-kind="stage_moved"]').filter({ has: page.locator('[data-robot-kind="trigger"]') });
    await moved.first().waitFor();
    expect(await moved.first().getByTestId('timeline-author').textContent()).toBe('Триггер «Звонок состоялся»');
    const comment = page.locator('[data-testid="timeline-entry"][data-kind="comment"]');
    await comment.getByText('Сделка «Кресла для офиса» после звонка').waitFor();
    expect(await comment.getByTestId('timeline-author').textContent()).toBe('Робот «Добавить комментарий»');
    expect(await page.getByTestId('automation-panel').getByTestId('run-status').allTextContents()).toEqual(['выполнен']);
    await e.screenshot('triggers-deal-card');
  });

  it('disables a trigger from its card and shows an inbound webhook’s URL', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await waitForHeading(page, 'Роботы');
    const form = await addTrigger(stages[0]!.name, 'Входящий вебхук');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });
    const card = page.locator(`[data-testid="robot-stage"][data-stage-id="${stages[0]!.id}"]`).getByTestId('trigger-card');
    await expect.poll(() => card.count()).toBe(1);
    const url = await card.getByTestId('trigger-url').inputValue();
    expect(url).toMatch(new RegExp(`^${e.baseUrl}/api/v1/automation/hooks/.+`));
    await card.getByRole('button', { name: 'Действия с триггером «Входящий вебхук»' }).click();
    await page.getByRole('menuitem', { name: 'Выключить' }).click();
    await expect.poll(() => card.getAttribute('data-enabled')).toBe('false');
    await card.getByText('выключен').waitFor();
  });

  it('shows the server’s error at the field: no days for «Нет активности»', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/automation/robots?pipelineId=${pipelineId}`);
    await waitForHeading(page, 'Роботы');
    const form = await addTrigger(stages[1]!.name, 'Нет активности');
    const days = form.getByRole('textbox', { name: 'Дней без активности' });
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => days.getAttribute('aria-invalid')).toBe('true');
    const errorId = ((await days.getAttribute('aria-describedby')) ?? '').split(/\s+/).find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect(((await page.locator(`[id="${errorId}"]`).textContent()) ?? '').length).toBeGreaterThan(0);
    expect(await form.getByTestId('trigger-form-error').count()).toBe(0);
    await form.getByRole('button', { name: 'Отмена' }).click();
    await form.waitFor({ state: 'hidden' });
    expect((await e.server.admin.get('/automation/triggers', { pipelineId })).body.filter((r: { stageId: number }) => r.stageId === stages[1]!.id)).toEqual([]);
  });
});
