import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishLabels, loginAs, reportFailures, startE2E, waitForHeading, type E2E } from './support/e2e.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { SmsRuImitation } from '../support/sms-gateways.js';
import { setUpSmsRu } from './support/automation-screens.js';

// Settings → «Рассылки» against the real server: SMTP settings pointing at a real SMTP server
// started here (with a login), the password write-only, a test e-mail that arrives; a bad port
// refused by the server at the field; SMS.ru (the imitation gateway) with a test SMS that reaches
// its ledger, and its refusal shown in the provider's words.

const SMTP_USER = 'robot@romashka.test';
const SMTP_PASSWORD = 'smtp-pass-Ω-123';
const API_ID = 'TEST-API-ID';

describe('messaging settings', () => {
  let e: E2E;
  let inbox: SmtpInbox;
  let smsru: SmsRuImitation;
  beforeAll(async () => {
    inbox = await startSmtpInbox({ user: SMTP_USER, password: SMTP_PASSWORD });
    smsru = await new SmsRuImitation({ apiIds: [API_ID], senders: ['Romashka'] }).start();
    e = await startE2E();
    await loginAs(e.page, e.baseUrl, e.adminEmail);
  });
  afterAll(async () => {
    await Promise.all([e?.close(), inbox?.close(), smsru?.close()]);
  });
  reportFailures(() => e, 'messaging');

  const settings = async () => (await e.server.admin.get('/settings/messaging')).body;

  it('saves the SMTP settings and sends a test e-mail that arrives', async () => {
    const { page } = e;
    await page.goto(`${e.baseUrl}/settings/messaging`);
    await waitForHeading(page, 'Настройки');
    await page.getByRole('tab', { name: 'Рассылки' }).waitFor();
    await page.getByRole('heading', { name: 'Почта (SMTP)' }).waitFor();

    await page.getByLabel('Сервер SMTP').fill('127.0.0.1');
    await page.getByLabel('Порт', { exact: true }).fill(String(inbox.port));
    await page.getByLabel('Логин', { exact: true }).fill(SMTP_USER);
    await page.getByLabel('Пароль SMTP', { exact: true }).fill(SMTP_PASSWORD);
    await page.getByLabel('Адрес отправителя').fill('robot@romashka.test');
    await page.getByLabel('Имя отправителя', { exact: true }).fill('Ромашка');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await settings()).version).toBe(1);
    expect(await settings()).toMatchObject({ smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpUser: SMTP_USER, smtpPasswordSet: true, mailFromAddress: 'robot@romashka.test', mailFromName: 'Ромашка' });
    // the password is write-only: the form shows it is set, not what it is
    const password = page.getByLabel('Пароль SMTP', { exact: true });
    await expect.poll(() => password.inputValue()).toBe('');
    await page.getByText('Задан. Оставьте поле пустым, чтобы не менять').waitFor();
    expect(await englishLabels(page)).toEqual([]);

    const test = page.getByTestId('test-email');
    await test.getByLabel('Кому (e-mail)').fill('boss@example.test');
    await test.getByRole('button', { name: 'Отправить тестовое письмо' }).click();
    const result = page.getByTestId('test-email-result');
    await result.waitFor();
    expect(await result.getAttribute('data-outcome')).toBe('sent');
    expect(await result.textContent()).toContain('Отправлено (SMTP)');
    await expect.poll(() => inbox.messages.length).toBe(1);
    expect(inbox.messages[0]!.envelope.to).toEqual(['boss@example.test']);
    expect(inbox.messages[0]!.mail.subject).toBe('Voronka: test e-mail');
    await e.screenshot('messaging-settings');
  });

  it('shows a bad port at the field, and keeps the password when saved empty', async () => {
    const { page } = e;
    const port = page.getByLabel('Порт', { exact: true });
    await port.fill('70000');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => port.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await port.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    expect((await page.locator(`[id="${errorId}"]`).textContent())?.length).toBeGreaterThan(0);
    expect((await settings()).smtpPort).toBe(inbox.port);

    await port.fill(String(inbox.port));
    await page.getByLabel('Имя отправителя', { exact: true }).fill('Ромашка и партнёры');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(async () => (await settings()).mailFromName).toBe('Ромашка и партнёры');
    expect(await settings()).toMatchObject({ smtpPasswordSet: true, version: 2 });
  });

  it('sets up SMS.ru and sends a test SMS through it; a refusal is shown with its reason', async () => {
    const { page } = e;
    await setUpSmsRu(page, { apiId: API_ID, sender: 'Romashka', url: smsru.url });
    await expect.poll(async () => (await settings()).smsProvider).toBe('smsru');
    expect(await settings()).toMatchObject({ smsruApiIdSet: true, smsSender: 'Romashka', smsApiUrl: smsru.url });

    const test = page.getByTestId('test-sms');
    await test.getByLabel('Номер телефона').fill('+7 925 507-06-02');
    await test.getByRole('button', { name: 'Отправить тестовое SMS' }).click();
    const result = page.getByTestId('test-sms-result');
    await expect.poll(() => result.getAttribute('data-outcome')).toBe('sent');
    expect(await result.textContent()).toContain('Отправлено (SMS.ru)');
    expect(smsru.ledgerFor('+79255070602')).toMatchObject([{ text: 'Voronka: test SMS', from: 'Romashka' }]);

    smsru.fail({ error: 201 });
    await test.getByRole('button', { name: 'Отправить тестовое SMS' }).click();
    await expect.poll(() => result.getAttribute('data-outcome')).toBe('rejected');
    expect(await result.textContent()).toContain('Не хватает средств на лицевом счету');
    expect(smsru.ledgerFor()).toHaveLength(1);

    // a phone the server refuses is named at the input
    await test.getByLabel('Номер телефона').fill('12');
    await test.getByRole('button', { name: 'Отправить тестовое SMS' }).click();
    await expect.poll(() => test.getByLabel('Номер телефона').getAttribute('aria-invalid')).toBe('true');
  });

  it('reads in English: every label and hint of the screen', async () => {
    const { page } = e;
    await page.locator('[data-testid="language-switch"]:visible').getByText('EN').click();
    await page.reload();
    await waitForHeading(page, 'Settings');
    await page.getByRole('heading', { name: 'E-mail (SMTP)' }).waitFor();
    await page.getByRole('button', { name: 'Send a test SMS' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Messaging' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('main').innerText()).not.toMatch(/[А-Яа-яЁё]/);
    await page.locator('[data-testid="language-switch"]:visible').getByText('RU').click();
    await waitForHeading(page, 'Настройки');
  });
});
