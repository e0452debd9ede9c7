import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { englishLabels, loginAs, waitForHeading, startE2E, type E2E } from './support/e2e.js';

// Settings → «Рабочий календарь» against the real server: the working hours, an exception set by
// a click on a day (a Saturday made working), the warning on a year with no decree and the loading
// of that decree (bad dates named by their path first). The years are named in the address, so the
// test does not depend on the date it runs at.

describe('working calendar settings', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-working-calendar-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  const calendar = async () => (await e.server.admin.get('/settings/working-calendar')).body;

  it('edits the hours and makes a Saturday working with a click', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/working-calendar?year=2026`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('heading', { name: 'Календарь на 2026 год' }).waitFor();
    await expect.poll(() => page.locator('[data-date]').count()).toBe(365);
    expect(await page.locator('[data-date="2026-01-01"]').getAttribute('data-reason')).toBe('holiday');
    expect(await page.locator('[data-date="2026-04-30"]').getAttribute('data-kind')).toBe('short');
    await page.getByText('Рабочих дней: 247').waitFor();
    expect(await page.getByTestId('calendar-provisional').count()).toBe(0);

    await page.getByLabel('Начало дня').fill('10:00');
    await page.getByRole('button', { name: 'Сохранить' }).first().click();
    await expect.poll(async () => (await calendar()).dayStartMinute).toBe(600);

    const saturday = page.locator('[data-date="2026-09-19"]');
    expect(await saturday.getAttribute('data-kind')).toBe('off');
    await saturday.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Рабочий' }).check();
    await dialog.getByLabel('Примечание').fill('Субботник');
    await dialog.getByRole('button', { name: 'Сохранить' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => saturday.getAttribute('data-reason')).toBe('override');
    expect(await saturday.getAttribute('data-kind')).toBe('work');
    expect((await calendar()).overrides).toMatchObject([{ date: '2026-09-19', kind: 'work', note: 'Субботник' }]);
    const wt = await e.server.ctx.services.workingCalendar.workingTime(e.server.ctx.db.kysely, e.server.workspaceId);
    expect(new Date(wt.addWorkingDays(Date.parse('2026-09-18T07:00:00Z'), 1, true)).toISOString()).toBe('2026-09-19T07:00:00.000Z');
    await e.screenshot('working-calendar');
    expect(await englishLabels(page)).toEqual([]);

    // and removed again
    await saturday.click();
    await dialog.getByRole('button', { name: 'Убрать исключение' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => saturday.getAttribute('data-reason')).toBe('weekend');
    expect((await calendar()).overrides).toEqual([]);
  });

  it('flags a year without a decree and loads it, naming bad dates by their path', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/working-calendar?year=2028`);
    await page.getByTestId('calendar-provisional').waitFor();
    const box = page.getByRole('textbox', { name: 'Постановление на 2028 год' });
    // the template is the year as shown: Art. 112 alone, to be corrected after the decree
    await page.getByRole('button', { name: 'Заполнить по календарю' }).click();
    const template = JSON.parse(await box.inputValue());
    expect(template.decree).toContain('2028');
    expect(template.holidays).toEqual(expect.arrayContaining(['2028-01-03', '2028-01-07', '2028-02-23']));
    expect(template.holidays).not.toContain('2028-01-10');
    await box.fill(JSON.stringify({ holidays: ['2029-01-01'], workingWeekends: [], shortDays: [] }));
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByText('holidays[0]: 2029-01-01 is not in 2028').waitFor();

    await box.fill(JSON.stringify({ decree: 'Постановление о переносе выходных дней в 2028 году', holidays: ['2028-01-03', '2028-01-04', '2028-01-05', '2028-01-06', '2028-01-07', '2028-01-10'], workingWeekends: [], shortDays: [] }));
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByTestId('calendar-provisional').waitFor({ state: 'detached' });
    await page.getByText('Постановление о переносе выходных дней в 2028 году').waitFor();
    await expect.poll(() => page.locator('[data-date="2028-01-10"]').getAttribute('data-reason')).toBe('moved_day_off');
    expect((await calendar()).years.map((y: { year: number; source: string }) => [y.year, y.source])).toContainEqual([2028, 'loaded']);
  });
});
