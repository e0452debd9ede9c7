import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';

// The lead-less CRM mode and the lead statuses on the robots screen, against a real server running
// the automation engine: the administrator switches the mode in Settings, the Leads link leaves the
// menu, the robots screen's «Лиды» shows the statuses with the built-in «convert every new lead»
// (on now), a lead robot is added with a lead placeholder, and a lead created through the API turns
// up as a deal on the board.

describe('the lead-less mode', () => {
  let e: E2E;

  beforeAll(async () => {
    e = await startE2E({ automation: true });
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'leadless');

  it('switches to «Без лидов»: the Leads link goes, the robots screen shows the built-in rule on the first lead status', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/workspace`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('radio', { name: /Без лидов/ }).check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').first().waitFor();
    const nav = page.getByRole('navigation', { name: 'Основное меню' });
    await nav.getByRole('link', { name: 'Сделки' }).waitFor();
    await expect.poll(() => nav.getByRole('link', { name: 'Лиды' }).count()).toBe(0);

    await page.goto(`${e.baseUrl}/automation/robots`);
    await waitForHeading(page, 'Роботы');
    await page.getByRole('combobox', { name: 'Воронка' }).click();
    await page.getByRole('option', { name: 'Лиды', exact: true }).click();
    await page.waitForURL(/entity=lead/);
    const statuses = (await e.server.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number; name: string; semantic: string }>;
    await expect.poll(() => page.getByTestId('robot-stage').count()).toBe(statuses.length);
    const first = page.locator(`[data-testid="robot-stage"][data-stage-id="${statuses[0]!.id}"]`);
    const builtIn = first.locator('[data-built-in="convert_new_leads"]');
    await builtIn.waitFor();
    expect(await builtIn.getAttribute('data-enabled')).toBe('true');
    await builtIn.getByText('встроенное правило').waitFor();
    await builtIn.getByText('Режим «Без лидов» включён', { exact: false }).waitFor();
    // no triggers on lead statuses
    expect(await page.getByTestId('stage-triggers').count()).toBe(0);

    // a lead robot on the second status, its text from the lead's catalogue
    const second = statuses.filter((s) => s.semantic === 'in_progress')[1]!;
    await page.getByRole('button', { name: `Добавить робота в статус «${second.name}»` }).click();
    const picker = page.getByRole('dialog', { name: 'Какой робот?' });
    expect(await picker.getByRole('button', { name: /^Изменить стадию/ }).count()).toBe(0);
    await picker.getByRole('button', { name: /^Добавить комментарий/ }).click();
    const form = page.getByRole('dialog', { name: 'Новый робот: Добавить комментарий' });
    const text = form.getByRole('textbox', { name: 'Текст' });
    await text.fill('Лид ');
    await form.getByRole('button', { name: 'Вставить поле в «Текст»' }).click();
    await page.getByRole('menuitem', { name: /Название лида/ }).click();
    await expect.poll(() => text.inputValue()).toBe('Лид {{lead.title}}');
    expect(await englishLabels(page)).toEqual([]);
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await form.waitFor({ state: 'hidden' });
    const column = page.locator(`[data-testid="robot-stage"][data-stage-id="${second.id}"]`);
    await expect.poll(() => column.getByTestId('robot-card').count()).toBe(1);
    const robots = (await e.server.admin.get('/automation/robots', { entityType: 'lead' })).body as Array<Record<string, any>>;
    expect(robots.filter((r) => !r.builtIn).map((r) => [r.type, r.stageId, r.params.text])).toEqual([['add_comment', second.id, 'Лид {{lead.title}}']]);
    await e.screenshot('robots-leads');
    expect(await englishLabels(page)).toEqual([]);
  });

  it('a lead created through the API becomes a deal on the board', async () => {
    const { page, server } = e;
    const lead = (await server.admin.post('/leads', { title: 'Заявка на стеллажи', firstName: 'Олег', phones: [{ value: '+79995554433' }] })).body;
    await expect
      .poll(async () => (await server.admin.get(`/leads/${lead.id}`)).body.convertedDealId as number | null, { timeout: 20_000 })
      .not.toBeNull();
    const dealId = (await server.admin.get(`/leads/${lead.id}`)).body.convertedDealId as number;
    const deal = (await server.admin.get(`/deals/${dealId}`)).body;
    await page.goto(`${e.baseUrl}/deals`);
    await waitForHeading(page, 'Сделки');
    await page.getByTestId('deal-card').filter({ hasText: deal.title }).first().waitFor();

    // the workspace's automation log has the built-in rule's run, linked to the lead
    await page.goto(`${e.baseUrl}/settings/automation-log`);
    const row = page.locator('tr[data-run-id]').filter({ hasText: 'Конвертация каждого нового лида' }).first();
    await row.waitFor();
    expect(await row.getByRole('link').getAttribute('href')).toBe(`/leads/${lead.id}`);
  });
});
