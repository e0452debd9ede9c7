import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, englishLabels, fillLogin, horizontalOverflow, loginAs, startE2E, waitForHeading, type E2E, typeUntilOffered } from './support/e2e.js';

// The deal card in a real browser against the real server: in-place editing with server
// validation, product rows with server totals, activities and the timeline, the stage bar and
// the conflict dialog.

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('the deal card', () => {
  let e: E2E;
  let dealId: number;
  let stages: Array<{ id: number; name: string; semantic: string }>;

  beforeAll(async () => {
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
    const product = await e.server.admin.post('/products', { name: 'Стол переговорный', price: 100000, vatRate: '22', vatIncluded: false, unitName: 'шт' });
    expect(product.status).toBe(201);
    const field = await e.server.admin.post('/custom-fields', {
      entity: 'deal',
      code: 'delivery',
      name: 'Способ доставки',
      type: 'list',
      options: { choices: [{ id: 'pickup', label: 'Самовывоз' }, { id: 'courier', label: 'Курьер' }] },
    });
    expect(field.status).toBe(201);
    const deal = await e.server.admin.post('/deals', { title: 'Поставка столов', amount: 5000000 });
    expect(deal.status).toBe(201);
    dealId = deal.body.id;
    const pipeline = await e.server.admin.get(`/pipelines/${deal.body.pipelineId}`);
    stages = pipeline.body.stages;
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-deal-card-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('edits the title and a field in place; both are kept after a reload', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, 'Поставка столов');

    await page.getByRole('button', { name: 'Изменить: Название' }).click();
    const title = page.getByRole('textbox', { name: 'Название' });
    await title.fill('Поставка столов для офиса');
    await title.press('Enter');
    await waitForHeading(page, 'Поставка столов для офиса');

    await page.getByRole('button', { name: 'Изменить: Вероятность' }).click();
    await page.getByRole('textbox', { name: 'Вероятность' }).fill('40');
    await page.getByTestId('field-probability-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-probability-value').getByText(/40\s%/).waitFor();

    await page.reload();
    await waitForHeading(page, 'Поставка столов для офиса');
    expect(norm(await page.getByTestId('field-probability-value').innerText())).toBe('40 %');
    const saved = await e.server.admin.get(`/deals/${dealId}`);
    expect(saved.body).toMatchObject({ title: 'Поставка столов для офиса', probability: 40 });
    // the change is in the timeline
    await page.getByTestId('timeline').getByText('Вероятность:').first().waitFor();
  });

  it('edits a custom field by its type', async () => {
    const { page } = e;
    await page.getByRole('button', { name: 'Изменить: Способ доставки' }).click();
    await page.getByRole('combobox', { name: 'Способ доставки' }).click();
    await page.getByRole('option', { name: 'Курьер' }).click();
    await page.getByTestId('custom-delivery-editor').getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('custom-delivery-value').getByText('Курьер').waitFor();
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.custom).toEqual({ delivery: 'courier' });
    await page.getByTestId('timeline').getByText('Способ доставки:').first().waitFor();
  });

  it('adds an observer from the users and removes them again', async () => {
    const { page } = e;
    const roles = (await e.server.admin.get('/roles')).body.items as Array<{ id: number; code: string }>;
    const user = await e.server.admin.post('/users', { email: 'nina@observers.test', name: 'Нина Наблюдаева', password: 'nina password 123', roleIds: [roles.find((r) => r.code === 'manager')!.id] });
    expect(user.status).toBe(201);
    await page.reload(); // the card's user list is read when it opens
    await page.getByRole('button', { name: 'Изменить: Наблюдатели' }).click();
    const editor = page.getByTestId('field-observers-editor');
    await (await typeUntilOffered(page, editor.getByLabel('Наблюдатели'), 'Нина', { name: 'Нина Наблюдаева' })).click();
    await page.keyboard.press('Escape'); // closes the list (it stays open for more choices), not the editor
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-observers-value').getByText('Нина Наблюдаева').waitFor();
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.observerIds).toEqual([user.body.id]);

    await page.getByRole('button', { name: 'Изменить: Наблюдатели' }).click();
    await editor.getByLabel('Наблюдатели').press('Backspace'); // the last chosen one goes
    await page.keyboard.press('Escape');
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-observers-value').getByText('Нина Наблюдаева').waitFor({ state: 'detached' });
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.observerIds).toEqual([]);
  });

  it('shows the server validation message at the field', async () => {
    const { page } = e;
    await page.getByRole('button', { name: 'Изменить: Вероятность' }).click();
    const input = page.getByRole('textbox', { name: 'Вероятность' });
    await input.fill('150');
    await input.press('Enter');
    const editor = page.getByTestId('field-probability-editor');
    await editor.getByText('Не больше 100').waitFor();
    // still editing, nothing saved
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.probability).toBe(40);
    await editor.getByRole('button', { name: 'Отмена' }).click();
    await page.getByTestId('field-probability-value').waitFor();
  });

  it('adds a product row from the catalog and shows the totals the server computed', async () => {
    const { page } = e;
    await page.getByRole('button', { name: 'Добавить товар' }).click();
    await (await typeUntilOffered(page, page.getByRole('combobox', { name: 'Товар, строка 1' }), 'Стол', { name: /Стол переговорный/ })).click();
    expect(await page.getByLabel('Цена, строка 1').inputValue()).toBe('1000,00');
    await page.getByRole('textbox', { name: 'Количество, строка 1' }).fill('3');
    await page.getByRole('button', { name: 'Сохранить товары' }).click();

    // 3 × 1 000,00 ₽ + 22 % VAT on top = 3 660,00 ₽
    const total = page.getByTestId('products-grand-total');
    await total.getByText(/3\s660,00\s₽/).waitFor();
    expect(norm(await page.getByTestId('product-row-total').first().innerText())).toContain('3 660,00 ₽');
    expect(norm(await page.getByTestId('product-totals').innerText())).toContain('НДС 22 %: 660,00 ₽');
    // the amount follows the rows and is read-only now
    await page.getByTestId('deal-amount').getByText(/3\s660,00\s₽/).waitFor();
    expect(await page.getByRole('button', { name: 'Изменить: Сумма' }).count()).toBe(0);
    const rows = await e.server.admin.get(`/deals/${dealId}/products`);
    expect(rows.body.totals.total).toBe(366000);
  });

  it('plans a call with a deadline and marks it done with a result; it appears in the timeline', async () => {
    const { page } = e;
    await page.getByRole('button', { name: 'Запланировать дело' }).click();
    const dialog = page.getByRole('dialog', { name: 'Новое дело' });
    await dialog.getByRole('textbox', { name: 'Тема' }).fill('Позвонить по договору');
    await dialog.getByLabel('Срок').fill('2030-01-15T10:30');
    await dialog.getByRole('button', { name: 'Запланировать' }).click();
    await dialog.waitFor({ state: 'detached' });

    const activity = page.getByTestId('activity').filter({ hasText: 'Позвонить по договору' });
    await activity.waitFor();
    expect(norm(await activity.innerText())).toContain('15.01.2030, 10:30');
    await page.getByRole('button', { name: 'Выполнено: Позвонить по договору' }).click();
    const done = page.getByRole('dialog', { name: 'Дело выполнено' });
    await done.getByRole('textbox', { name: 'Результат' }).fill('Договорились о встрече в среду');
    await done.getByRole('button', { name: 'Отметить выполненным' }).click();
    await done.waitFor({ state: 'detached' });

    await activity.waitFor({ state: 'detached' });
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="activity_done"]');
    await entry.getByText('Договорились о встрече в среду', { exact: false }).waitFor();
    expect(await entry.innerText()).toContain('Позвонить по договору');
    const list = await e.server.admin.get(`/deals/${dealId}/activities?status=done`);
    expect(list.body.items[0]).toMatchObject({ subject: 'Позвонить по договору', result: 'Договорились о встрече в среду' });
  });

  it('moves the deal with the stage bar', async () => {
    const { page } = e;
    const next = stages.filter((s) => s.semantic === 'in_progress')[1]!;
    await page.getByRole('button', { name: `Перевести на стадию «${next.name}»` }).click();
    await page.getByRole('button', { name: `Текущая стадия: ${next.name}` }).waitFor();
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.stageId).toBe(next.id);
    await page.locator('[data-testid="timeline-entry"][data-kind="stage_moved"]').first().getByText(next.name).waitFor();
  });

  it('asks for the loss reason before moving into a failure stage', async () => {
    const { page } = e;
    const reasons = await e.server.admin.get('/reference-lists/loss-reasons/items');
    const failure = stages.find((s) => s.semantic === 'failure')!;
    await page.getByRole('button', { name: `Перевести на стадию «${failure.name}»` }).click();
    const dialog = page.getByRole('dialog', { name: 'Причина провала' });
    await dialog.waitFor();
    if (reasons.body.items.length > 0) {
      await dialog.getByRole('combobox', { name: /^Причина/ }).click();
      await page.getByRole('option', { name: reasons.body.items[0].name }).click();
      await dialog.getByRole('button', { name: 'Провалить сделку' }).click();
      await page.getByRole('button', { name: `Текущая стадия: ${failure.name}` }).waitFor();
      // back into work
      const first = stages.find((s) => s.semantic === 'in_progress')!;
      await page.getByRole('button', { name: `Перевести на стадию «${first.name}»` }).click();
      await page.getByRole('button', { name: `Текущая стадия: ${first.name}` }).waitFor();
    } else {
      await dialog.getByRole('button', { name: 'Отмена' }).click();
    }
  });

  it('shows what changed when someone else saved first, and reloads their version', async () => {
    const { page } = e;
    await page.getByRole('button', { name: 'Изменить: Комментарий' }).click();
    await page.getByRole('textbox', { name: 'Комментарий' }).first().fill('Клиент просит скидку');

    // meanwhile a colleague renames the deal
    const before = await e.server.admin.get(`/deals/${dealId}`);
    const other = await e.server.admin.patch(`/deals/${dealId}`, { title: 'Поставка столов (согласовано)', version: before.body.version });
    expect(other.status).toBe(200);

    await page.getByTestId('field-comment-editor').getByRole('button', { name: 'Сохранить' }).click();
    const dialog = page.getByTestId('conflict-dialog');
    await dialog.waitFor();
    const text = norm(await dialog.innerText());
    expect(text).toContain('Название');
    expect(text).toContain('Поставка столов для офиса');
    expect(text).toContain('Поставка столов (согласовано)');
    expect(text).toContain('Клиент просит скидку');
    await e.screenshot('deal-card-conflict');
    await page.getByRole('button', { name: 'Загрузить актуальную версию' }).click();
    await waitForHeading(page, 'Поставка столов (согласовано)');
    // nothing was overwritten
    expect((await e.server.admin.get(`/deals/${dealId}`)).body.comment).toBeNull();
    await e.screenshot('deal-card');
    expect(await englishLabels(e.page)).toEqual([]); // no English for a screen reader in the Russian interface
  });

  it('fits a phone-sized screen', async () => {
    const { page } = e;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await waitForHeading(page, 'Поставка столов (согласовано)');
    await page.getByTestId('product-row').first().waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await e.screenshot('deal-card-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps a comment typed when the session had expired: after logging in again it is there to send', async () => {
    const { page } = e;
    const { title } = (await e.server.admin.get(`/deals/${dealId}`)).body; // edited by the tests above
    await page.goto(`${e.baseUrl}/deals/${dealId}`);
    await waitForHeading(page, title);
    await page.getByTestId('timeline').getByRole('textbox', { name: 'Комментарий' }).fill('Клиент согласовал спецификацию');
    await e.context.clearCookies(); // the session is gone (expired, or ended elsewhere)
    // sending finds out; so may a request the page makes by itself first (then the button is gone)
    await page
      .getByTestId('timeline')
      .getByRole('button', { name: 'Отправить' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await page.waitForURL(/\/login\?next=%2Fdeals%2F\d+&reason=expired$/);
    await page.getByText('Сессия истекла. Войдите снова — введённые данные сохранены.').waitFor();
    await fillLogin(page, e.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL(new RegExp(`/deals/${dealId}$`));
    await waitForHeading(page, title);
    expect(await page.getByTestId('timeline').getByRole('textbox', { name: 'Комментарий' }).inputValue()).toBe('Клиент согласовал спецификацию');
    await page.getByTestId('timeline').getByRole('button', { name: 'Отправить' }).click();
    await page.getByTestId('timeline-entry').filter({ hasText: 'Клиент согласовал спецификацию' }).waitFor();
    expect(await page.getByTestId('timeline').getByRole('textbox', { name: 'Комментарий' }).inputValue()).toBe('');
    const entries = (await e.server.admin.get(`/deals/${dealId}/timeline?limit=50`)).body.items as Array<{ kind: string; text?: string; payload?: { text?: string } }>;
    expect(entries.filter((x) => JSON.stringify(x).includes('Клиент согласовал спецификацию'))).toHaveLength(1);
  });

  it('deletes a deal after a confirmation; one changed by someone else meanwhile is not deleted unseen', async () => {
    const { page } = e;
    const deal = await e.server.admin.post('/deals', { title: 'Сделка на удаление', amount: 1_000_00 });
    const act = await e.server.admin.post('/activities', { type: 'task', subject: 'Задача по удаляемой сделке', deadlineAt: '2030-01-10T09:00:00.000Z', entityType: 'deal', entityId: deal.body.id });
    expect(act.status).toBe(201);
    await page.goto(`${e.baseUrl}/deals/${deal.body.id}`);
    await waitForHeading(page, 'Сделка на удаление');

    // someone renames it while the card is open: the delete is refused, the card shows their version
    const before = (await e.server.admin.get(`/deals/${deal.body.id}`)).body;
    expect((await e.server.admin.patch(`/deals/${deal.body.id}`, { title: 'Сделка на удаление (важно)', version: before.version })).status).toBe(200);
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить сделку' }).click();
    let dialog = page.getByRole('dialog', { name: 'Удалить сделку?' });
    await dialog.getByText('Сделка «Сделка на удаление» будет удалена.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Удалить' }).click();
    await page.getByText('Запись изменил кто-то другой', { exact: false }).first().waitFor();
    await waitForHeading(page, 'Сделка на удаление (важно)');
    expect((await e.server.admin.get(`/deals/${deal.body.id}`)).status).toBe(200);

    // cancelled: nothing happens; confirmed: gone, back on its board
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить сделку' }).click();
    dialog = page.getByRole('dialog', { name: 'Удалить сделку?' });
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await e.server.admin.get(`/deals/${deal.body.id}`)).status).toBe(200);
    await page.getByRole('button', { name: 'Действия' }).click();
    await page.getByRole('menuitem', { name: 'Удалить сделку' }).click();
    await page.getByRole('dialog', { name: 'Удалить сделку?' }).getByRole('button', { name: 'Удалить' }).click();
    await page.getByText('Сделка «Сделка на удаление (важно)» удалена').waitFor();
    await page.waitForURL(new RegExp(`/deals\\?pipeline=${deal.body.pipelineId}$`));
    await waitForHeading(page, 'Сделки');
    expect(await page.getByTestId('deal-card').filter({ hasText: 'Сделка на удаление' }).count()).toBe(0);
    expect((await e.server.admin.get(`/deals/${deal.body.id}`)).status).toBe(404);
    // its activity stays, no longer linked to the deal
    const kept = await e.server.admin.get(`/activities/${act.body.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.entityId ?? null).toBeNull();
  });

  it('keeps a field being edited and unsaved product rows through a session expiry and a reload', async () => {
    const { page } = e;
    const deal = await e.server.admin.post('/deals', { title: 'Черновики на карточке', amount: 10_000_00 });
    await page.goto(`${e.baseUrl}/deals/${deal.body.id}`);
    await waitForHeading(page, 'Черновики на карточке');

    // product rows typed but not saved: a reload keeps them, still unsaved
    await page.getByRole('button', { name: 'Добавить товар' }).click();
    await page.getByRole('combobox', { name: 'Товар, строка 1' }).fill('Монтаж стеллажей');
    await page.getByLabel('Цена, строка 1').fill('4 500');
    await page.reload();
    await waitForHeading(page, 'Черновики на карточке');
    expect(await page.getByRole('combobox', { name: 'Товар, строка 1' }).inputValue()).toBe('Монтаж стеллажей');
    await page.getByRole('button', { name: 'Сохранить товары' }).waitFor();
    expect((await e.server.admin.get(`/deals/${deal.body.id}/products`)).body.rows).toEqual([]);
    await page.getByRole('button', { name: 'Отменить изменения' }).click();
    await page.getByText('Товаров пока нет.', { exact: false }).waitFor();

    // a comment being written when the session goes: back after logging in, in its editor
    await page.getByRole('button', { name: 'Изменить: Комментарий' }).click();
    await page.getByTestId('field-comment-editor').getByRole('textbox', { name: 'Комментарий' }).fill('Доставка до 15-го, въезд со двора');
    await e.context.clearCookies();
    await page
      .getByTestId('field-comment-editor')
      .getByRole('button', { name: 'Сохранить' })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await page.waitForURL(/\/login\?next=%2Fdeals%2F\d+&reason=expired$/);
    await fillLogin(page, e.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL(new RegExp(`/deals/${deal.body.id}$`));
    const editor = page.getByTestId('field-comment-editor');
    expect(await editor.getByRole('textbox', { name: 'Комментарий' }).inputValue()).toBe('Доставка до 15-го, въезд со двора');
    await editor.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByTestId('field-comment-value').getByText('Доставка до 15-го, въезд со двора').waitFor();
    expect((await e.server.admin.get(`/deals/${deal.body.id}`)).body.comment).toBe('Доставка до 15-го, въезд со двора');
    // saved: a reload shows the value, not the editor
    await page.reload();
    await page.getByTestId('field-comment-value').getByText('Доставка до 15-го, въезд со двора').waitFor();
    expect(await page.getByTestId('field-comment-editor').count()).toBe(0);
  });

  it('says so when the deal does not exist or is not accessible', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/999999`);
    await page.getByText('Сделка не найдена или нет доступа').waitFor();
    await page.getByRole('link', { name: 'К доске сделок' }).waitFor();
    // no uncaught errors in the page along the way (failed requests the card handles are fine)
    expect(e.browserErrors.filter((m) => m.startsWith('pageerror') || (m.includes('Warning') && !m.includes('Failed to load resource')))).toEqual([]);
  });
});
