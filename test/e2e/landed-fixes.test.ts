import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs, startE2E, waitForHeading, type E2E, reportFailures } from './support/e2e.js';

// Browser tests for fixes that landed without one: typing in Settings → Компания and ticking
// «Обязательное поле» in a new field's dialog (both crashed: the event was read inside a state
// updater), the board's quick form asking for a required custom field (the deal could not be
// created), and the stage bar confirming a close and showing when the deal was closed.

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

async function noCrash(e: E2E, page: Page) {
  expect(await page.getByText('Что-то пошло не так').count()).toBe(0);
  expect(e.browserErrors.filter((m) => m.startsWith('pageerror'))).toEqual([]);
}

describe('fixes that landed without a browser test', () => {
  let e: E2E;

  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  reportFailures(() => e, 'landed');

  it('Settings → Компания: typing the company name key by key keeps the screen and saves it', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/workspace`);
    const name = page.getByRole('textbox', { name: 'Название компании' });
    await name.waitFor();
    await name.fill('');
    await name.pressSequentially('ООО Вектор', { delay: 10 });
    await noCrash(e, page);
    expect(await name.inputValue()).toBe('ООО Вектор');
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByText('Сохранено').first().waitFor();
    expect((await e.server.admin.get('/workspace')).body.name).toBe('ООО Вектор');
  });

  for (const type of ['Строка', 'Список'] as const) {
    it(`Settings → Поля → Новое поле: «Обязательное поле» ticked for a ${type === 'Строка' ? 'string' : 'list'} field is saved`, async () => {
      const { page } = e;
      await page.goto(`${e.baseUrl}/settings/custom-fields`);
      // the section header's button (an empty list offers a second one once it has loaded)
      await page.getByRole('button', { name: 'Новое поле' }).first().click();
      const dialog = page.getByRole('dialog');
      const code = type === 'Строка' ? 'contract_no' : 'delivery_kind';
      await dialog.getByRole('textbox', { name: /^Название/ }).pressSequentially(type === 'Строка' ? 'Номер договора' : 'Способ доставки', { delay: 5 });
      await dialog.getByRole('textbox', { name: /^Код/ }).fill(code);
      if (type === 'Список') {
        await dialog.getByRole('combobox', { name: 'Тип' }).click();
        await page.getByRole('option', { name: 'Список', exact: true }).click();
        await dialog.getByRole('textbox', { name: 'Вариант 1' }).pressSequentially('Курьер', { delay: 5 });
      }
      await dialog.getByRole('checkbox', { name: 'Обязательное поле' }).check();
      await noCrash(e, page);
      expect(await dialog.getByRole('checkbox', { name: 'Обязательное поле' }).isChecked()).toBe(true);
      await dialog.getByRole('button', { name: 'Сохранить' }).click();
      await dialog.waitFor({ state: 'detached' });
      const fields = (await e.server.admin.get('/custom-fields', { entity: 'deal' })).body.items as Array<{ code: string; required: boolean }>;
      expect(fields.find((f) => f.code === code)?.required).toBe(true);
    });
  }

  it('the board’s quick form asks for the required custom fields and creates the deal with them', async () => {
    const { page } = e;
    // the fields made required above: a string and a list
    await page.goto(`${e.baseUrl}/deals`);
    await waitForHeading(page, 'Сделки');
    await page.getByRole('button', { name: 'Новая сделка в стадии «Новая»' }).click();
    const form = page.getByRole('form', { name: 'Быстрое создание сделки в стадии «Новая»' });
    await form.getByRole('textbox', { name: 'Название сделки' }).fill('Доставка мебели');
    await form.getByRole('textbox', { name: /Номер договора/ }).waitFor();
    await form.getByRole('button', { name: 'Создать' }).click();
    // the missing field is named at the field, not on the title; nothing is created
    await form.locator('.mantine-InputWrapper-error').first().waitFor();
    expect(norm(await form.getByRole('textbox', { name: 'Название сделки' }).evaluate((el) => (el as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-invalid') ?? ''))).not.toBe('true');
    expect((await e.server.admin.get('/deals', { q: 'Доставка мебели' })).body.items).toEqual([]);
    await form.getByRole('textbox', { name: /Номер договора/ }).fill('Д-15');
    await form.getByRole('combobox', { name: /Способ доставки/ }).click();
    await page.getByRole('option', { name: 'Курьер' }).click();
    await form.getByRole('button', { name: 'Создать' }).click();
    await page.getByText('Сделка «Доставка мебели» создана').waitFor();
    const deal = (await e.server.admin.get('/deals', { q: 'Доставка мебели' })).body.items[0];
    expect(deal.custom.contract_no).toBe('Д-15');
    expect(typeof deal.custom.delivery_kind).toBe('string');
  });

  it('the stage bar asks before closing a deal, and the card then says when it was closed', async () => {
    const { page, server } = e;
    const fields = (await server.admin.get('/custom-fields', { entity: 'deal' })).body.items as Array<{ id: number; code: string; version: number }>;
    for (const f of fields) expect((await server.admin.delete(`/custom-fields/${f.id}`)).status).toBe(204);
    const deal = (await server.admin.post('/deals', { title: 'Закрываемая сделка' })).body;
    const stages = (await server.admin.get(`/pipelines/${deal.pipelineId}`)).body.stages as Array<{ id: number; name: string; semantic: string }>;
    const won = stages.find((s) => s.semantic === 'success')!;
    await page.goto(`${e.baseUrl}/deals/${deal.id}`);
    await waitForHeading(page, 'Закрываемая сделка');

    await page.getByRole('button', { name: `Перевести на стадию «${won.name}»` }).click();
    let dialog = page.getByRole('dialog', { name: 'Закрыть сделку как успешную?' });
    await dialog.getByText(`Сделка «Закрываемая сделка» будет закрыта на стадии «${won.name}»`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await server.admin.get(`/deals/${deal.id}`)).body.stageId).toBe(deal.stageId); // a misclick closes nothing

    await page.getByRole('button', { name: `Перевести на стадию «${won.name}»` }).click();
    dialog = page.getByRole('dialog', { name: 'Закрыть сделку как успешную?' });
    await dialog.getByRole('button', { name: `Перевести в «${won.name}»` }).click();
    await page.getByRole('button', { name: `Текущая стадия: ${won.name}` }).waitFor();
    const closed = (await server.admin.get(`/deals/${deal.id}`)).body;
    expect(closed.stageId).toBe(won.id);
    expect(closed.closedAt).toEqual(expect.any(String));
    // «Сделка выиграна 02.12.2026, 17:27» in the user's time zone: the day of the server's now
    const shown = norm(await page.getByText(/^Сделка выиграна /).innerText());
    const timeZone = (await server.admin.get('/auth/me')).body.user.timeZone ?? (await server.admin.get('/workspace')).body.timeZone;
    const day = new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(closed.closedAt));
    expect(shown).toContain(day);
  });
});
