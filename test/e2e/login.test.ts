import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, fillLogin, loginAs, startE2E, type E2E, waitForHeading } from './support/e2e.js';

describe('log in, the shell in two languages, log out', () => {
  let e: E2E;
  /** Content-Security-Policy violations reported by every page of the context (securitypolicyviolation events) */
  const cspViolations: string[] = [];
  beforeAll(async () => {
    e = await startE2E();
    await e.context.exposeBinding('__voronkaCspViolation', (_source, text: string) => void cspViolations.push(text));
    // an init script runs outside the page's policy, so it can watch for refusals
    await e.context.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (ev) => window.__voronkaCspViolation(ev.violatedDirective + ' ' + ev.blockedURI + ' ' + ev.sourceFile + ':' + ev.lineNumber));",
    });
  });
  afterAll(() => e?.close());
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      if (e?.browserErrors.length) console.error(`browser errors:\n${e.browserErrors.join('\n')}`);
      await e?.screenshot(`failed-${ctx.task.name.replace(/\W+/g, '-')}`).catch(() => undefined);
    });
  });

  it('sends the anonymous to the log-in page and refuses a wrong password', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/deals/42`);
    await page.waitForURL(/\/login\?next=%2Fdeals%2F42$/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Вход в Воронку');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');

    await fillLogin(page, e.adminEmail, 'wrong password');
    await expect(page.getByTestId('login-error').textContent()).resolves.toBe('Неверный e-mail или пароль.');
    expect(page.url()).toContain('/login');
  });

  it('logs in, shows the shell in Russian, switches to English and back (saved per user), logs out', async () => {
    const { page, server } = e;
    await page.goto(`${e.baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await fillLogin(page, e.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL(/\/deals$/);

    // the shell, in Russian
    const nav = page.getByRole('navigation', { name: 'Основное меню' });
    await nav.waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Сделки', 'Лиды', 'Контакты', 'Компании', 'Мой день', 'Корзина', 'Роботы', 'Настройки']);
    await waitForHeading(page, 'Сделки');
    expect(await page.title()).toBe('Сделки — Воронка');
    expect(await page.getByRole('searchbox', { name: 'Поиск', exact: true }).getAttribute('placeholder')).toBe('Поиск: название, телефон, e-mail');
    await expect(page.getByTestId('workspace-name').textContent()).resolves.toBe('Тестовая компания');
    await e.screenshot('shell');

    // to English: the interface changes at once and the choice is stored in the user's profile
    await page.locator('header').getByText('EN', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await waitForHeading(page, 'Deals');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(async () => (await server.admin.get('/auth/me')).body.user.locale).toBe('en');

    // it survives a reload and a visit to another screen
    await page.reload();
    await page.getByRole('link', { name: 'Companies' }).click();
    await page.waitForURL(/\/companies$/);
    await waitForHeading(page, 'Companies');
    await e.screenshot('shell-en');

    // back to Russian
    await page.locator('header').getByText('RU', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Основное меню' }).waitFor();
    await waitForHeading(page, 'Компании');
    await expect.poll(async () => (await server.admin.get('/auth/me')).body.user.locale).toBe('ru');

    // log out: back on the log-in page, and the app is closed to this browser
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${e.baseUrl}/my-day`);
    await page.waitForURL(/\/login\?next=%2Fmy-day$/);
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
    expect(me).toBe(401);
  });

  it('changes the own password: field messages first, then other sessions end and only the new password logs in', async () => {
    const { page, server } = e;
    const roles = (await server.admin.get('/roles')).body.items as Array<{ id: number; code: string }>;
    const user = await server.admin.post('/users', {
      email: 'olga@password.test',
      name: 'Ольга Паролева',
      password: 'old password 123',
      roleIds: [roles.find((r) => r.code === 'manager')!.id],
    });
    expect(user.status).toBe(201);
    const apiLogin = (password: string) =>
      fetch(`${e.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'olga@password.test', password }) });
    const other = await apiLogin('old password 123'); // a second session, e.g. on her phone
    expect(other.status).toBe(200);
    const otherCookie = /voronka_session=[^;]*/.exec(other.headers.get('set-cookie') ?? '')![0];
    const otherMe = () => fetch(`${e.baseUrl}/api/v1/auth/me`, { headers: { cookie: otherCookie } }).then((r) => r.status);
    expect(await otherMe()).toBe(200);

    await e.context.clearCookies();
    await loginAs(page, e.baseUrl, 'olga@password.test', 'old password 123');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Сменить пароль' }).click();
    const dialog = page.getByRole('dialog', { name: 'Смена пароля' });
    const submit = dialog.getByRole('button', { name: 'Сменить пароль' });
    // too short and not repeated: said at the fields, nothing sent
    await dialog.getByLabel('Текущий пароль').fill('old password 123');
    await dialog.getByLabel(/^Новый пароль\s*\*?$/).fill('short');
    await dialog.getByLabel('Новый пароль ещё раз').fill('shorter');
    await submit.click();
    await dialog.getByText('Пароли не совпадают').waitFor();
    await dialog.locator('.mantine-InputWrapper-error', { hasText: 'Не короче 8 символов' }).waitFor();
    // a wrong current password: the server refuses, the field says so
    await dialog.getByLabel('Текущий пароль').fill('not my password');
    await dialog.getByLabel(/^Новый пароль\s*\*?$/).fill('new password 456');
    await dialog.getByLabel('Новый пароль ещё раз').fill('new password 456');
    await submit.click();
    await dialog.getByText('Текущий пароль введён неверно').waitFor();
    expect(await apiLogin('new password 456').then((r) => r.status)).toBe(401);
    // right: done, the other session is over, this one goes on
    await dialog.getByLabel('Текущий пароль').fill('old password 123');
    await submit.click();
    await page.getByText('Пароль изменён. Другие сеансы завершены.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await otherMe()).toBe(401);
    expect(await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status))).toBe(200);
    expect(await apiLogin('old password 123').then((r) => r.status)).toBe(401);
    expect(await apiLogin('new password 456').then((r) => r.status)).toBe(200);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login$/);
    await fillLogin(page, 'olga@password.test', 'new password 456');
    await page.locator('[data-testid="user-menu"]').waitFor();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Выйти' }).click();
    await page.waitForURL(/\/login$/);
  });

  it('after the session expires, returns to the log-in page and then to where the user was', async () => {
    const { page, context } = e;
    await loginAs(page, e.baseUrl, e.adminEmail, ADMIN_PASSWORD, '/contacts');
    await page.waitForURL(/\/contacts$/);
    // the screen's own reads done first: one of them meeting the gone session would leave for the
    // log-in page before anything is typed (seen on a loaded machine)
    await waitForHeading(page, 'Контакты');
    await page.waitForLoadState('networkidle');
    await context.clearCookies(); // the session is gone (expired, or ended elsewhere)

    await page.getByRole('searchbox', { name: 'Поиск', exact: true }).fill('Иванов');
    await page.waitForURL(/\/login\?next=%2Fcontacts&reason=expired$/);
    await page.getByText('Сессия истекла. Войдите снова — введённые данные сохранены.').waitFor();
    await fillLogin(page, e.adminEmail, ADMIN_PASSWORD);
    await page.waitForURL(/\/contacts$/);
    await waitForHeading(page, 'Контакты');
  });

  it('runs under the Content-Security-Policy: the page is served with it, its early-requests script ran (allowed by its hash) and nothing was refused', async () => {
    const { page } = e;
    const res = await page.goto(`${e.baseUrl}/contacts`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline[^;]*;.*script-src|script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    await waitForHeading(page, 'Контакты');
    expect(await page.evaluate('typeof window.__voronkaEarly')).toBe('object');
    // the API docs page works under its own policy
    await page.goto(`${e.baseUrl}/api/docs/`);
    await page.locator('.swagger-ui .information-container').waitFor();
    await page.getByText('/api/v1/auth/login').first().waitFor();
    expect(cspViolations).toEqual([]);
    expect(e.browserErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  });
});
