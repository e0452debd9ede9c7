import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs, startE2E, transitionsDone, waitForHeading, type E2E } from './support/e2e.js';

// Every screen and the main dialogs checked by axe-core (the accessibility engine browser
// vendors' tools use) against WCAG 2.1 A and AA: names of controls and fields, colour contrast,
// ARIA used as specified, landmarks, headings, the document's language. A finding is reported with
// the rule, its help text and the elements it points at.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
}

async function axe(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await transitionsDone(page); // a dialog fading in has its final colours only at the end
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE); // run through the debugging protocol: the app's CSP refuses inline script tags
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((r) => r.violations)`)) as Violation[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${v.id === 'color-contrast' ? ` [${/contrast of [\d.]+ \(foreground color: #\w+, background color: #\w+/.exec(n.failureSummary ?? '')?.[0] ?? ''}]` : ''} ${n.html.slice(0, 160)}}`).join(' | ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`);
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  let e: E2E;
  const ids = {} as Record<'deal' | 'company' | 'contact' | 'lead', number>;

  beforeAll(async () => {
    e = await startE2E();
    const api = e.server.admin;
    const company = await api.post('/companies', { name: 'ООО «Северный склад»', phones: [{ value: '+7 495 123-45-67' }] });
    const contact = await api.post('/contacts', { firstName: 'Анна', lastName: 'Смирнова', companyIds: [company.body.id], emails: [{ value: 'anna@sklad.test' }] });
    const deal = await api.post('/deals', { title: 'Поставка стеллажей', amount: 350_000_00, companyId: company.body.id, contactIds: [contact.body.id], tags: ['склад'] });
    await api.post('/activities', { type: 'call', subject: 'Уточнить размеры', deadlineAt: new Date(e.now().getTime() - 3600_000).toISOString(), entityType: 'deal', entityId: deal.body.id });
    await api.post('/deals', { title: 'Ремонт погрузчика', amount: 80_000_00 });
    const lead = await api.post('/leads', { title: 'Заявка с сайта', lastName: 'Иванов', firstName: 'Пётр', phones: [{ value: '+7 916 000-00-01' }] });
    for (const [k, r] of Object.entries({ deal, company, contact, lead })) {
      expect(r.status, k).toBe(201);
      ids[k as keyof typeof ids] = r.body.id;
    }
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      await e?.screenshot(`failed-a11y-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('the log-in page', async () => {
    await e.page.goto(`${e.baseUrl}/login`);
    await e.page.locator('input[name="email"]').waitFor();
    expect(await axe(e.page)).toEqual([]);
  });

  it('the deal board, its filters and quick-create', async () => {
    await loginAs(e.page, e.baseUrl, e.adminEmail);
    await e.page.goto(`${e.baseUrl}/deals`);
    await e.page.getByTestId('deal-card').first().waitFor();
    const found = await axe(e.page);
    await e.page.getByRole('button', { name: 'Фильтры', exact: true }).click();
    await e.page.getByRole('dialog').waitFor();
    found.push(...(await axe(e.page)).map((f) => `filters: ${f}`));
    await e.page.keyboard.press('Escape');
    await e.page.getByRole('button', { name: 'Новая сделка в стадии «Новая»' }).click();
    await e.page.getByRole('button', { name: 'Создать', exact: true }).waitFor();
    found.push(...(await axe(e.page)).map((f) => `quick-create: ${f}`));
    expect(found).toEqual([]);
  });

  it('the deal card and its plan-an-activity dialog', async () => {
    await e.page.goto(`${e.baseUrl}/deals/${ids.deal}`);
    await waitForHeading(e.page, 'Поставка стеллажей');
    await e.page.getByTestId('activity').first().waitFor();
    const found = await axe(e.page);
    await e.page.getByRole('button', { name: 'Запланировать дело' }).click();
    await e.page.getByRole('dialog').waitFor();
    found.push(...(await axe(e.page)).map((f) => `plan an activity: ${f}`));
    expect(found).toEqual([]);
  });

  it('leads: list, board, card and the convert dialog', async () => {
    const found: string[] = [];
    await e.page.goto(`${e.baseUrl}/leads`);
    await waitForHeading(e.page, 'Лиды');
    await e.page.getByRole('link', { name: 'Заявка с сайта' }).first().waitFor();
    found.push(...(await axe(e.page)).map((f) => `list: ${f}`));
    await e.page.goto(`${e.baseUrl}/leads?view=board`);
    await e.page.getByTestId('lead-board').getByText('Заявка с сайта').waitFor();
    found.push(...(await axe(e.page)).map((f) => `board: ${f}`));
    await e.page.goto(`${e.baseUrl}/leads/${ids.lead}`);
    await waitForHeading(e.page, 'Заявка с сайта');
    found.push(...(await axe(e.page)).map((f) => `card: ${f}`));
    await e.page.getByRole('button', { name: 'Конвертировать' }).click();
    await e.page.getByRole('dialog').waitFor();
    found.push(...(await axe(e.page)).map((f) => `convert: ${f}`));
    expect(found).toEqual([]);
  });

  it('contacts and companies: lists and cards', async () => {
    const found: string[] = [];
    for (const [path, ready] of [
      ['/contacts', 'Смирнова'],
      [`/contacts/${ids.contact}`, 'Поставка стеллажей'],
      ['/companies', 'ООО «Северный склад»'],
      [`/companies/${ids.company}`, 'Поставка стеллажей'],
    ] as const) {
      await e.page.goto(e.baseUrl + path);
      await e.page.getByText(ready).first().waitFor();
      found.push(...(await axe(e.page)).map((f) => `${path}: ${f}`));
    }
    expect(found).toEqual([]);
  });

  it('my day', async () => {
    await e.page.goto(`${e.baseUrl}/my-day`);
    await waitForHeading(e.page, 'Мой день');
    await e.page.getByTestId('group-overdue').getByText('Уточнить размеры').waitFor();
    expect(await axe(e.page)).toEqual([]);
  });

  it('settings, every section', async () => {
    const found: string[] = [];
    // the working calendar on a year with no decree, so that its warning is checked too
    for (const section of ['pipelines', 'reference-lists', 'custom-fields', 'users', 'departments', 'roles', 'workspace', 'working-calendar?year=2028', 'overdue-control']) {
      await e.page.goto(`${e.baseUrl}/settings/${section}`);
      await waitForHeading(e.page, 'Настройки');
      found.push(...(await axe(e.page)).map((f) => `${section}: ${f}`));
    }
    expect(found).toEqual([]);
  });
  it('the robots screen and the robot form', async () => {
    const p = (await e.server.admin.get('/pipelines')).body.items.find((x: { isDefault: boolean }) => x.isDefault);
    const stage = p.stages[1];
    expect((await e.server.admin.post('/automation/robots', { stageId: stage.id, type: 'add_comment', params: { text: 'Проверка' }, timing: { kind: 'delay', amount: 1, unit: 'hours' } })).status).toBe(201);
    await e.page.goto(`${e.baseUrl}/automation/robots?pipelineId=${p.id}`);
    await waitForHeading(e.page, 'Роботы');
    await e.page.getByTestId('robot-card').first().waitFor();
    const found = await axe(e.page);
    await e.page.getByRole('button', { name: `Добавить робота в стадию «${stage.name}»` }).click();
    await e.page.getByRole('button', { name: /^Запланировать дело/ }).click();
    await e.page.getByRole('dialog', { name: 'Новый робот: Запланировать дело' }).waitFor();
    found.push(...(await axe(e.page)).map((f) => `robot form: ${f}`));
    // the lead statuses' robots, with the built-in rule of the lead-less mode
    await e.page.goto(`${e.baseUrl}/automation/robots?entity=lead`);
    await waitForHeading(e.page, 'Роботы');
    await e.page.locator('[data-built-in="convert_new_leads"]').waitFor();
    found.push(...(await axe(e.page)).map((f) => `lead robots: ${f}`));
    expect(found).toEqual([]);
  });
});
