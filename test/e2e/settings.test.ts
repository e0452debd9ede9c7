import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, englishLabels, loginAs, startE2E, waitForHeading, type E2E, typeUntilOffered } from './support/e2e.js';

// Settings against the real server: pipelines and stages (create, rename, reorder by drag, delete
// with a target for its deals), a loss reason, a department and a manager, the CRM mode (without
// leads the Leads link, the leads screen and leads in the search go; back with leads they return);
// roles in the permission matrix (and the last administrator role kept), a stage's colour, the
// workspace profile; a manager is told that settings are for administrators.

/** Picks an option of a Mantine Select by its label. */
async function pick(page: Page, label: string, option: string, scope = page.locator('body')) {
  await scope.getByLabel(label).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('settings', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-settings-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  const pipelineNamed = async (name: string) => {
    const res = await e.server.admin.get('/pipelines');
    return (res.body.items as Array<{ id: number; name: string; stages: Array<{ id: number; name: string }> }>).find((p) => p.name === name);
  };

  it('creates a pipeline with a stage, renames and reorders stages by drag, deletes a stage with deals', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/settings`);
    await waitForHeading(page, 'Настройки');
    await page.waitForURL(/\/settings\/pipelines/);

    // a new pipeline (it gets the basic stages) and a stage of our own
    await page.getByRole('button', { name: 'Новая воронка' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название воронки').fill('Оптовые продажи');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('textbox', { name: 'Название воронки' }).and(page.locator('[value="Оптовые продажи"]')).waitFor();
    await page.getByLabel('Новый этап').fill('Переговоры');
    await page.getByRole('button', { name: 'Добавить этап' }).click();
    await page.getByRole('textbox', { name: 'Название этапа «Переговоры»' }).waitFor();
    let p = await pipelineNamed('Оптовые продажи');
    expect(p?.stages.map((s) => s.name)).toEqual(['Новая', 'В работе', 'Переговоры', 'Успешно', 'Провалена']);

    // rename in place
    const nameInput = page.getByRole('textbox', { name: 'Название этапа «Переговоры»' });
    await nameInput.fill('Переговоры о цене');
    await nameInput.press('Enter');
    await page.getByRole('textbox', { name: 'Название этапа «Переговоры о цене»' }).waitFor();
    await expect.poll(async () => (await pipelineNamed('Оптовые продажи'))?.stages.map((s) => s.name)[2]).toBe('Переговоры о цене');

    // reorder by drag: "Переговоры о цене" onto the first stage
    const handle = page.getByRole('button', { name: 'Переместить этап «Переговоры о цене»' });
    const target = page.getByRole('button', { name: 'Переместить этап «Новая»' });
    const from = (await handle.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 - 6, { steps: 12 });
    await page.mouse.up();
    await expect
      .poll(async () => (await pipelineNamed('Оптовые продажи'))?.stages.map((s) => s.name))
      .toEqual(['Переговоры о цене', 'Новая', 'В работе', 'Успешно', 'Провалена']);
    await e.screenshot('settings');
    expect(await englishLabels(e.page)).toEqual([]); // no English for a screen reader in the Russian interface

    // a stage holding a deal: its deal moves to the chosen stage
    p = await pipelineNamed('Оптовые продажи');
    const inWork = p!.stages.find((s) => s.name === 'В работе')!;
    const first = p!.stages.find((s) => s.name === 'Переговоры о цене')!;
    const deal = await server.admin.post('/deals', { title: 'Партия кресел', pipelineId: p!.id, stageId: inWork.id });
    expect(deal.status).toBe(201);
    await page.getByRole('button', { name: 'Удалить этап «В работе»' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('В этапе 1 сделка. Выберите этап, куда её перенести.').waitFor();
    await pick(page, 'Перенести сделки в этап', 'Переговоры о цене', confirm);
    await confirm.getByRole('button', { name: 'Удалить этап' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await pipelineNamed('Оптовые продажи'))?.stages.map((s) => s.name)).toEqual(['Переговоры о цене', 'Новая', 'Успешно', 'Провалена']);
    const moved = await server.admin.get(`/deals/${deal.body.id}`);
    expect(moved.body.stageId).toBe(first.id);
  });

  it('refuses a stage order against the rules with a message', async () => {
    const { page } = e;
    // the success stage cannot go before the in-progress ones
    const handle = page.getByRole('button', { name: 'Переместить этап «Успешно»' });
    await handle.focus();
    // @dnd-kit's keyboard sensor measures the layout between steps: give each key its frame.
    for (const key of ['Space', 'ArrowUp', 'ArrowUp', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(200);
    }
    await page.getByText('Порядок этапов: сначала рабочие, затем успешный, затем этапы провала.').waitFor();
    expect((await pipelineNamed('Оптовые продажи'))?.stages.map((s) => s.name)).toEqual(['Переговоры о цене', 'Новая', 'Успешно', 'Провалена']);
  });

  it('adds a loss reason', async () => {
    const { page, server } = e;
    await page.getByRole('tab', { name: 'Справочники' }).click();
    await page.waitForURL(/\/settings\/reference-lists/);
    await page.getByRole('tab', { name: 'Причины проигрыша' }).click();
    await page.getByRole('textbox', { name: 'Название: Дорого' }).waitFor();
    await page.getByLabel('Новое значение').fill('Нет бюджета');
    await page.getByRole('button', { name: 'Добавить', exact: true }).click();
    await page.getByRole('textbox', { name: 'Название: Нет бюджета' }).waitFor();
    const reasons = await server.admin.get('/reference-lists/loss-reasons/items');
    expect(reasons.body.items.map((i: { name: string }) => i.name)).toContain('Нет бюджета');
  });

  it('creates a department and a manager in it', async () => {
    const { page, server } = e;
    await page.getByRole('tab', { name: 'Отделы' }).click();
    await page.getByRole('button', { name: 'Новый отдел' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название').fill('Отдел продаж Юг');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('department-row').filter({ hasText: 'Отдел продаж Юг' }).waitFor();

    await page.getByRole('tab', { name: 'Пользователи' }).click();
    await page.getByRole('button', { name: 'Новый пользователь' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Имя').fill('Иван Продажников');
    await dialog.getByLabel('E-mail').fill('ivan@south.test');
    await dialog.getByLabel('Пароль').fill(ADMIN_PASSWORD);
    await pick(page, 'Отдел', 'Отдел продаж Юг', dialog);
    // the manager role is offered by default
    await dialog.getByText('Менеджер').first().waitFor();
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('user-row').filter({ hasText: 'Иван Продажников' }).waitFor();

    const users = (await server.admin.get('/users', { q: 'ivan@south.test' })).body.items;
    const roles = (await server.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const deps = (await server.admin.get('/departments')).body.items as Array<{ id: number; name: string }>;
    expect(users).toHaveLength(1);
    expect(users[0].roleIds).toEqual([roles.find((r) => r.code === 'manager')!.id]);
    expect(users[0].departmentId).toBe(deps.find((d) => d.name === 'Отдел продаж Юг')!.id);
  });

  it('switches the CRM mode', async () => {
    const { page, server } = e;
    await page.getByRole('tab', { name: 'Компания' }).click();
    await page.getByRole('radio', { name: /Без лидов/ }).check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').first().waitFor();
    expect((await server.admin.get('/workspace')).body.crmMode).toBe('without_leads');
  });

  it('without leads: the Leads link goes at once, /leads explains, search skips leads; switching back brings them', async () => {
    const { page, server } = e;
    const nav = page.getByRole('navigation', { name: 'Основное меню' });
    // the mode was saved just above, with no reload: the navigation has followed it
    await nav.getByRole('link', { name: 'Сделки' }).waitFor();
    await expect.poll(() => nav.getByRole('link', { name: 'Лиды' }).count()).toBe(0);

    // the server still takes leads in this mode (the mode is the UI's): the search does not offer them
    const lead = await server.admin.post('/leads', { title: 'Заявка на стеллажи' });
    expect(lead.status).toBe(201);
    await page.getByRole('searchbox', { name: 'Поиск', exact: true }).fill('Заявка на стеллажи');
    await page.getByTestId('global-search-results').getByText('Ничего не найдено', { exact: false }).waitFor();
    await page.keyboard.press('Escape');

    // an old link to the leads explains instead of showing them, and leads to the setting
    await page.goto(`${e.baseUrl}/leads`);
    await waitForHeading(page, 'Лиды');
    await page.getByText('Лиды отключены').waitFor();
    await page.getByText('Настройки → Компания → Режим работы', { exact: false }).waitFor();
    expect(await nav.getByRole('link', { name: 'Лиды' }).count()).toBe(0);
    await e.screenshot('settings-leads-off');
    await page.getByRole('link', { name: 'Открыть режим работы' }).click();
    await page.waitForURL(/\/settings\/workspace/);

    // back to the mode with leads: the link returns at once and the leads screen is there again
    await page.getByRole('radio', { name: /С лидами/ }).check();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await nav.getByRole('link', { name: 'Лиды' }).click();
    await page.waitForURL(/\/leads$/);
    await waitForHeading(page, 'Лиды');
    await page.getByText('Заявка на стеллажи').first().waitFor();
    expect(await page.getByText('Лиды отключены').count()).toBe(0);
    expect((await server.admin.get('/workspace')).body.crmMode).toBe('with_leads');
  });

  it('changes a role in the permission matrix: the manager reads deals of the department, a new role gets its own rights', async () => {
    const { page, server } = e;
    type Grant = { entity: string; action: string; level: string; pipelineId: number | null };
    type RoleBody = { id: number; name: string; code: string | null; isAdmin: boolean; permissions: Grant[] };
    const roleCoded = async (code: string) => ((await server.admin.get('/roles')).body.items as RoleBody[]).find((r) => r.code === code)!;
    const level = (r: RoleBody, entity: string, action: string, pipelineId: number | null = null) =>
      r.permissions.find((g) => g.entity === entity && g.action === action && g.pipelineId === pipelineId)?.level ?? 'none';
    const others = (r: RoleBody) => r.permissions.filter((g) => !(g.entity === 'deal' && g.action === 'read' && g.pipelineId === null)).map((g) => `${g.entity}/${g.action}/${g.pipelineId}=${g.level}`).sort();

    const manager = await roleCoded('manager');
    expect(level(manager, 'deal', 'read')).toBe('own');
    await page.goto(`${e.baseUrl}/settings/roles`);
    await waitForHeading(page, 'Настройки');
    const roleList = page.getByRole('navigation', { name: 'Роли' });
    await roleList.getByRole('button', { name: /^Менеджер/ }).click();
    await page.getByRole('textbox', { name: 'Название роли' }).and(page.locator('[value="Менеджер"]')).waitFor();
    const dealRead = page.getByTestId('permission-matrix').getByRole('combobox', { name: 'Сделки — Просмотр' });
    expect(await dealRead.inputValue()).toBe('own');
    await dealRead.selectOption({ label: 'Своего отдела' });
    await page.getByText('Есть несохранённые изменения').waitFor();
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByText('Роль «Менеджер» сохранена').waitFor();
    const saved = (await server.admin.get(`/roles/${manager.id}`)).body as RoleBody;
    expect(level(saved, 'deal', 'read')).toBe('department');
    expect(others(saved)).toEqual(others(manager)); // only the cell that was changed
    expect(await page.getByRole('button', { name: 'Сохранить', exact: true }).isDisabled()).toBe(true);
    // a reload shows what was saved
    await page.reload();
    await roleList.getByRole('button', { name: /^Менеджер/ }).click();
    await page.getByRole('textbox', { name: 'Название роли' }).and(page.locator('[value="Менеджер"]')).waitFor();
    expect(await dealRead.inputValue()).toBe('department');

    // a new role starts with no rights; it gets contacts to read and its own rights in one pipeline
    await page.getByRole('button', { name: 'Новая роль' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Название роли').fill('Аналитик');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('textbox', { name: 'Название роли' }).and(page.locator('[value="Аналитик"]')).waitFor();
    const matrix = page.getByTestId('permission-matrix');
    expect(await matrix.getByRole('combobox', { name: 'Контакты — Просмотр' }).inputValue()).toBe('none');
    await matrix.getByRole('combobox', { name: 'Контакты — Просмотр' }).selectOption({ label: 'Все' });
    await matrix.getByRole('combobox', { name: 'Сделки — Выгрузка' }).selectOption({ label: 'Отдела и подотделов' });
    await pick(page, 'Воронка', 'Оптовые продажи');
    await page.getByRole('button', { name: 'Задать права для воронки' }).click();
    await page.getByRole('combobox', { name: 'Оптовые продажи — Просмотр' }).selectOption({ label: 'Свои' });
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByText('Роль «Аналитик» сохранена').waitFor();
    const analyst = ((await server.admin.get('/roles')).body.items as RoleBody[]).find((r) => r.name === 'Аналитик')!;
    const wholesale = (await pipelineNamed('Оптовые продажи'))!;
    expect(analyst.isAdmin).toBe(false);
    expect(level(analyst, 'contact', 'read')).toBe('all');
    expect(level(analyst, 'contact', 'update')).toBe('none');
    expect(level(analyst, 'deal', 'export')).toBe('department_tree');
    expect(level(analyst, 'deal', 'read', wholesale.id)).toBe('own');
    // the pipeline's row starts from the general deal row
    expect(level(analyst, 'deal', 'export', wholesale.id)).toBe('department_tree');
    expect(await englishLabels(page)).toEqual([]);
  });

  it('refuses to take the administrator rights from the last administrator role with a message', async () => {
    const { page, server } = e;
    const admin = ((await server.admin.get('/roles')).body.items as Array<{ id: number; code: string | null; isAdmin: boolean; version: number }>).find((r) => r.code === 'admin')!;
    await page.getByRole('navigation', { name: 'Роли' }).getByRole('button', { name: /^Администратор/ }).click();
    await page.getByRole('textbox', { name: 'Название роли' }).and(page.locator('[value="Администратор"]')).waitFor();
    // the matrix does not apply to an administrator role
    expect(await page.getByTestId('permission-matrix').getByRole('combobox', { name: 'Сделки — Просмотр' }).isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /^Администратор/ }).uncheck();
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    // the reason in the interface's language (the server names the rule: last_admin)
    await page.getByRole('alert').filter({ hasText: 'Так нельзя' }).filter({ hasText: 'В компании должен остаться хотя бы один активный администратор.' }).waitFor();
    const after = (await server.admin.get(`/roles/${admin.id}`)).body;
    expect(after.isAdmin).toBe(true);
    expect(after.version).toBe(admin.version);
    await page.getByRole('button', { name: 'Отменить изменения' }).click();
    expect(await page.getByRole('checkbox', { name: /^Администратор/ }).isChecked()).toBe(true);
  });

  it('recolours a stage: saved at once and kept after a reload', async () => {
    const { page } = e;
    const wholesale = (await pipelineNamed('Оптовые продажи'))!;
    const colourOf = async (name: string) => ((await e.server.admin.get(`/pipelines/${wholesale.id}`)).body.stages as Array<{ name: string; color: string }>).find((s) => s.name === name)?.color;
    expect(await colourOf('Новая')).toBe('#39a8ef');
    await page.goto(`${e.baseUrl}/settings/pipelines?pipeline=${wholesale.id}`);
    const colour = page.getByRole('textbox', { name: 'Цвет этапа «Новая»' });
    await colour.waitFor();
    expect(await colour.inputValue()).toBe('#39a8ef');

    // every save the screen sends for the stage (a pick must be sent once, a typed colour not by its prefixes)
    const stageId = wholesale.stages.find((s) => s.name === 'Новая')!.id;
    const saves: string[] = [];
    const onResponse = (r: import('playwright-core').Response) => {
      if (r.request().method() === 'PATCH' && r.url().endsWith(`/stages/${stageId}`)) saves.push(`${r.status()} ${r.request().postDataJSON().color}`);
    };
    page.on('response', onResponse);

    // typed as a person types it, then the field is left
    await colour.click();
    await colour.press('ControlOrMeta+a');
    await colour.pressSequentially('#9f6eea');
    await colour.press('Tab');
    await expect.poll(() => colourOf('Новая')).toBe('#9f6eea');
    expect(await colour.inputValue()).toBe('#9f6eea');
    expect(await page.getByText('Так нельзя').count() + (await page.getByText('Что-то пошло не так').count())).toBe(0);

    // a swatch of the palette
    await colour.click();
    await page.getByRole('button', { name: '#ff8b3d' }).click();
    await page.getByRole('textbox', { name: 'Название этапа «Новая»' }).click();
    await expect.poll(() => colourOf('Новая')).toBe('#ff8b3d');
    expect(await colour.inputValue()).toBe('#ff8b3d');

    await page.reload();
    await colour.waitFor();
    expect(await colour.inputValue()).toBe('#ff8b3d');
    const row = page.getByTestId('stage-row').filter({ has: colour });
    // the stage's stripe has the colour too
    const stripe = await row.locator('.mantine-Paper-root').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(el: unknown): { borderLeftColor: string } }).getComputedStyle(el).borderLeftColor);
    expect(stripe).toBe('rgb(255, 139, 61)');
    expect(await colourOf('Новая')).toBe('#ff8b3d');
    page.off('response', onResponse);
    expect(saves).toEqual(['200 #9f6eea', '200 #ff8b3d']);
  });

  it('changes the workspace profile: name, currency, time zone and language', async () => {
    const { page, server } = e;
    const before = (await server.admin.get('/workspace')).body;
    expect(before.locale).toBe('ru');
    await page.getByRole('tab', { name: 'Компания' }).click();
    await page.waitForURL(/\/settings\/workspace/);
    const name = page.getByRole('textbox', { name: 'Название компании' });
    await name.waitFor();
    expect(await name.inputValue()).toBe(before.name);
    await name.fill('ООО «Ромашка»');
    await page.getByRole('combobox', { name: 'Основная валюта' }).click();
    await (await typeUntilOffered(page, page.getByRole('combobox', { name: 'Основная валюта' }), 'KZT', { name: /^KZT — / })).click();
    await page.getByRole('combobox', { name: 'Часовой пояс' }).click();
    await (await typeUntilOffered(page, page.getByRole('combobox', { name: 'Часовой пояс' }), 'Yekaterinburg', { name: 'Asia/Yekaterinburg', exact: true })).click();
    await pick(page, 'Язык по умолчанию', 'English');
    await page.getByText('Есть несохранённые изменения').waitFor();
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.getByText('Сохранено').first().waitFor();

    const ws = (await server.admin.get('/workspace')).body;
    expect({ name: ws.name, currency: ws.currency, timeZone: ws.timeZone, locale: ws.locale, crmMode: ws.crmMode }).toEqual({
      name: 'ООО «Ромашка»',
      currency: 'KZT',
      timeZone: 'Asia/Yekaterinburg',
      locale: 'en',
      crmMode: before.crmMode,
    });
    // the top bar shows the new name at once; the administrator's own language stays Russian
    await page.getByTestId('workspace-name').filter({ hasText: 'ООО «Ромашка»' }).waitFor();
    await waitForHeading(page, 'Настройки');
    expect(await page.getByText('Есть несохранённые изменения').count()).toBe(0);

    // after a reload the form shows what was saved
    await page.reload();
    await name.waitFor();
    expect(await name.inputValue()).toBe('ООО «Ромашка»');
    expect(await page.getByRole('combobox', { name: 'Основная валюта' }).inputValue()).toMatch(/^KZT — /);
    expect(await page.getByRole('combobox', { name: 'Часовой пояс' }).inputValue()).toBe('Asia/Yekaterinburg');
    expect(await page.getByRole('combobox', { name: 'Язык по умолчанию' }).inputValue()).toBe('English');
    await page.getByTestId('workspace-name').filter({ hasText: 'ООО «Ромашка»' }).waitFor();
    await waitForHeading(page, 'Настройки');

    // back as it was for the tests after this one (the manager's screens are in Russian)
    const restored = await server.admin.patch('/workspace', { name: before.name, currency: before.currency, timeZone: before.timeZone, locale: before.locale, version: ws.version });
    expect(restored.status).toBe(200);
  });

  it('tells a manager that settings are for administrators', async () => {
    const { page } = e;
    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'ivan@south.test');
    await page.goto(`${e.baseUrl}/settings/users`);
    await page.getByText('Настройки доступны только администраторам', { exact: false }).waitFor();
    expect(await page.getByRole('link', { name: 'Настройки' }).count()).toBe(0);
    expect(await page.getByTestId('user-row').count()).toBe(0);
  });
});
