import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';
import { automationDriver } from '../support/automation.js';

// The workspace's automation log against the real server: two robots on a stage, a deal moved
// there; the engine is driven from the test (the outbox consumer's pump, then a JobWorker over the
// due jobs). The log lists the run done at once and the one waiting for its delay, links the deal,
// filters by status (kept in the address), shows the queue's health, and «Повторить сейчас» makes
// the waiting one due, after which it is done.

describe('automation log', () => {
  let e: E2E;
  let engine: ReturnType<typeof automationDriver>;
  let dealId: number;
  beforeAll(async () => {
    e = await startE2E();
    engine = automationDriver(e.server);
    // the clock runs with real time: start just past a full hour, with what fell due on the way done,
    // so that no hourly job (the overdue scan) falls due between the queue-health counts below
    const HOUR = 3_600_000;
    await e.setNow(new Date(Math.ceil(e.now().getTime() / HOUR) * HOUR + 5 * 60_000));
    await engine.settle();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(async () => {
    await engine?.stop();
    await e?.close();
  });
  reportFailures(() => e, 'automation-log');

  it('lists the runs of a deal moved into a stage with robots, done and waiting', async () => {
    const api = e.server.admin;
    const pipeline = (await api.get('/pipelines')).body.items[0];
    const stages = pipeline.stages.filter((s: { semantic: string }) => s.semantic === 'in_progress') as Array<{ id: number }>;
    const now = await api.post('/automation/robots', { stageId: stages[1]!.id, type: 'add_comment', name: 'Комментарий сразу', params: { text: 'Сделка в работе' } });
    expect(now.status, JSON.stringify(now.body)).toBe(201);
    const later = await api.post('/automation/robots', { stageId: stages[1]!.id, type: 'add_comment', name: 'Комментарий через час', params: { text: 'Прошёл час' }, timing: { kind: 'delay', amount: 60, unit: 'minutes' } });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    const deal = await api.post('/deals', { title: 'Кресла для офиса', stageId: stages[0]!.id });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    dealId = deal.body.id;
    expect((await api.post(`/deals/${dealId}/move`, { stageId: stages[1]!.id })).status).toBe(200);
    await engine.settle();

    const { page } = e;
    await page.goto(`${e.baseUrl}/automation/log`);
    await page.waitForURL(/\/settings\/automation-log/);
    await waitForHeading(page, 'Настройки');
    const rows = page.locator('[data-testid="automation-runs"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const done = page.locator('tr[data-status="done"]');
    await done.getByText('Комментарий сразу').waitFor();
    expect(await done.getByTestId('run-status').textContent()).toBe('выполнен');
    const link = done.getByRole('link', { name: 'Кресла для офиса' });
    expect(await link.getAttribute('href')).toBe(`/deals/${dealId}`);
    const waiting = page.locator('tr[data-status="waiting"]');
    expect(await waiting.getByTestId('run-status').textContent()).toMatch(/^ожидает до /);
    expect(await done.getByRole('button', { name: 'Повторить сейчас' }).count()).toBe(0);

    // the queue: the delayed run's job is scheduled, nothing due or failed
    await expect.poll(() => page.getByTestId('health-due').textContent()).toBe('0');
    expect(await page.getByTestId('health-failed').textContent()).toBe('0');
    expect(await page.getByTestId('health-lag').textContent()).toBe('нет');
    await e.screenshot('automation-log');
    expect(await englishLabels(page)).toEqual([]);
  });

  it('filters by status, kept in the address', async () => {
    const { page } = e;
    await page.getByRole('combobox', { name: 'Статус' }).click();
    await page.getByRole('option', { name: 'Выполнен' }).click();
    await page.waitForURL(/status=done/);
    const rows = page.locator('[data-testid="automation-runs"] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-status')).toBe('done');

    await page.reload();
    await expect.poll(() => rows.count()).toBe(1);
    await page.goto(`${e.baseUrl}/settings/automation-log?status=failed`);
    await page.getByText('Запусков нет').waitFor();
  });

  it('«Повторить сейчас» makes a waiting run due; the worker then does it', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/automation-log?status=waiting`);
    const waiting = page.locator('tr[data-status="waiting"]');
    await waiting.getByRole('button', { name: 'Повторить сейчас' }).click();
    await page.getByText('Запуск поставлен в очередь').waitFor();
    await expect.poll(() => page.getByTestId('health-due').textContent()).toBe('1');

    await engine.settle();
    const runs = (await e.server.admin.get(`/deals/${dealId}/automation`)).body.items as Array<{ status: string }>;
    expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
    await page.getByRole('button', { name: 'Обновить' }).click();
    await page.getByText('Запусков нет').waitFor();
    await page.goto(`${e.baseUrl}/settings/automation-log?status=done`);
    await expect.poll(() => page.locator('tr[data-status="done"]').count()).toBe(2);
  });

  it('reads in English', async () => {
    const { page } = e;
    await page.locator('[data-testid="language-switch"]:visible').getByText('EN').click();
    await page.reload();
    await waitForHeading(page, 'Settings');
    await page.getByRole('heading', { name: 'Job queue' }).waitFor();
    const done = page.locator('tr[data-status="done"]');
    await expect.poll(() => done.count()).toBe(2);
    expect(await done.first().getByTestId('run-status').textContent()).toBe('done');
    // nothing Russian but the data (the deal's title, the robots' names)
    const text = (await page.locator('main').innerText()).replace(/Кресла для офиса|Комментарий (сразу|через час)/g, '');
    expect(text).not.toMatch(/[А-Яа-яЁё]/);
    await page.locator('[data-testid="language-switch"]:visible').getByText('RU').click();
    await waitForHeading(page, 'Настройки');
  });
});
