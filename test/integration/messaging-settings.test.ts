import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import type { ApiClient } from '../support/api-client.js';
import { SmscImitation, SmsRuImitation } from '../support/sms-gateways.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';

// The workspace's messaging settings over the real API on both databases: admin only, secrets
// stored but never returned (only "set"), clear field errors; the test e-mail and test SMS go
// through the configured provider to a real SMTP server and the imitation gateways, and answer
// the outcome with the provider's reason instead of failing.

const SMTP_PASSWORD = 'smtp-pass-Ω-123';
const SMSRU_API_ID = 'TEST-API-ID';
const SMSC_PASSWORD = 'secret';

describe.each(testDialects())('messaging settings on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient;
  let inbox: SmtpInbox;
  let smsru: SmsRuImitation;
  let smsc: SmscImitation;
  const current = async () => (await s.admin.get('/settings/messaging')).body as { version: number };
  const patch = async (body: Record<string, unknown>) => s.admin.patch('/settings/messaging', { version: (await current()).version, ...body });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    manager = (await addUser(s, `manager-${dialect}@test.local`)).client;
    inbox = await startSmtpInbox({ user: 'robot@romashka.test', password: SMTP_PASSWORD });
    smsru = await new SmsRuImitation({ apiIds: [SMSRU_API_ID], senders: ['Romashka'] }).start();
    smsc = await new SmscImitation({ accounts: [{ login: 'romashka', password: SMSC_PASSWORD }] }).start();
  });
  afterAll(async () => {
    await Promise.all([s?.close(), inbox?.close(), smsru?.close(), smsc?.close()]);
  });

  it('starts with log-only SMS, no SMTP and version 0', async () => {
    const res = await s.admin.get('/settings/messaging');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      smtpHost: null,
      smtpPort: null,
      smtpSecure: false,
      smtpUser: null,
      smtpPasswordSet: false,
      mailFromAddress: null,
      mailFromName: null,
      smsProvider: 'log',
      smsSender: null,
      smsApiUrl: null,
      smsruApiIdSet: false,
      smscLogin: null,
      smscPasswordSet: false,
      smscApiKeySet: false,
      updatedAt: null,
      version: 0,
    });
  });

  it('a test SMS and a test e-mail with nothing configured go to the log, once per message', async () => {
    const sms = await s.admin.post('/settings/messaging/test-sms', { to: '8 (925) 507-06-02' });
    expect(sms.status).toBe(200);
    expect(sms.body).toMatchObject({ provider: 'log', outcome: 'sent' });
    const rows = await s.ctx.db.kysely.selectFrom('messaging_log').selectAll().where('workspace_id', '=', s.workspaceId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'sms', recipient: '+79255070602', body: 'Voronka: test SMS' });

    // the log provider records one row per our id, however often it is asked
    const provider = await s.ctx.services.messaging.smsProvider(s.ctx.db.kysely, s.workspaceId);
    const first = await provider.send({ to: '+79255070602', text: 'Напоминание', ourId: 'vr-1-deal1-1' });
    const again = await provider.send({ to: '+79255070602', text: 'Напоминание', ourId: 'vr-1-deal1-1' });
    expect(again).toEqual(first);
    expect(await provider.lookup({ ourId: 'vr-1-deal1-1', to: '+79255070602' })).toMatchObject({ found: true });
    expect(await provider.lookup({ ourId: 'vr-1-deal1-2', to: '+79255070602' })).toEqual({ found: false });
    const count = await s.ctx.db.kysely.selectFrom('messaging_log').select((eb) => eb.fn.countAll<number>().as('n')).where('our_id', '=', 'vr-1-deal1-1').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    // e-mail needs a sender address first
    const noFrom = await s.admin.post('/settings/messaging/test-email', { to: 'client@example.test' });
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.error.fields).toEqual([{ path: 'mailFromAddress', message: expect.any(String) }]);
    expect((await patch({ mailFromAddress: 'sales@romashka.test', mailFromName: 'Ромашка' })).status).toBe(200);
    const mail = await s.admin.post('/settings/messaging/test-email', { to: 'client@example.test' });
    expect(mail.body).toMatchObject({ provider: 'log', outcome: 'sent', providerMessageId: expect.stringMatching(/^<test-\d+-[0-9a-f]{8}@romashka\.test>$/) });
    const logged = await s.ctx.db.kysely.selectFrom('messaging_log').selectAll().where('channel', '=', 'email').execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ our_id: mail.body.providerMessageId, recipient: 'client@example.test', sender: '"Ромашка" <sales@romashka.test>' });
  });

  it('stores SMTP and SMS.ru settings with their secrets, and never returns the secrets', async () => {
    const before = await current();
    const res = await s.admin.patch('/settings/messaging', {
      version: before.version,
      smtpHost: '127.0.0.1',
      smtpPort: inbox.port,
      smtpSecure: false,
      smtpUser: 'robot@romashka.test',
      smtpPassword: SMTP_PASSWORD,
      smsProvider: 'smsru',
      smsruApiId: SMSRU_API_ID,
      smsSender: 'Romashka',
      smsApiUrl: smsru.url,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpUser: 'robot@romashka.test', smtpPasswordSet: true, smsProvider: 'smsru', smsruApiIdSet: true, smsSender: 'Romashka', version: before.version + 1 });
    const got = await s.admin.get('/settings/messaging');
    expect(got.body).toEqual(res.body);
    for (const body of [JSON.stringify(res.body), JSON.stringify(got.body)]) {
      expect(body).not.toContain(SMTP_PASSWORD);
      expect(body).not.toContain(SMSRU_API_ID);
    }
    const row = await s.ctx.db.kysely.selectFrom('messaging_settings').selectAll().where('workspace_id', '=', s.workspaceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ smtp_password: SMTP_PASSWORD, smsru_api_id: SMSRU_API_ID });
    // the audit trail says a secret changed, not what it is
    const audit = await s.ctx.db.kysely.selectFrom('audit_log').selectAll().where('workspace_id', '=', s.workspaceId).execute();
    const text = JSON.stringify(audit);
    expect(text).toContain('messaging.smtpPassword');
    expect(text).not.toContain(SMTP_PASSWORD);
    expect(text).not.toContain(SMSRU_API_ID);
  });

  it('sends the test e-mail through the SMTP server, with our Message-ID', async () => {
    inbox.messages.length = 0;
    const res = await s.admin.post('/settings/messaging/test-email', { to: 'boss@example.test' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provider: 'smtp', outcome: 'sent' });
    expect(inbox.messages).toHaveLength(1);
    const { mail, envelope } = inbox.messages[0]!;
    expect(envelope.to).toEqual(['boss@example.test']);
    expect(mail.subject).toBe('Voronka: test e-mail');
    expect(mail.messageId).toBe(res.body.providerMessageId);
    expect(mail.from?.value[0]).toEqual({ address: 'sales@romashka.test', name: 'Ромашка' });
    expect(mail.text).toContain('the SMTP settings work');
  });

  it('a failing SMTP login answers rejected with the server’s words, not a 500', async () => {
    expect((await patch({ smtpPassword: 'wrong password' })).status).toBe(200);
    const res = await s.admin.post('/settings/messaging/test-email', { to: 'boss@example.test' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ provider: 'smtp', outcome: 'rejected', error: { code: 'smtp_535', retryable: false } });
    expect(res.body.error.message).toContain('Invalid username or password');
    expect((await patch({ smtpPassword: SMTP_PASSWORD })).status).toBe(200);
  });

  it('sends the test SMS through SMS.ru, and shows its failures as outcomes with the reason', async () => {
    const ok = await s.admin.post('/settings/messaging/test-sms', { to: '+7 925 507-06-02' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ provider: 'smsru', outcome: 'sent', providerMessageId: expect.stringMatching(/^\d{6}-\d+$/) });
    expect(smsru.ledgerFor('+79255070602')).toMatchObject([{ text: 'Voronka: test SMS', from: 'Romashka', smsId: ok.body.providerMessageId }]);

    smsru.fail('http500');
    const down = await s.admin.post('/settings/messaging/test-sms', { to: '+79255070602' });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ provider: 'smsru', outcome: 'uncertain', error: { code: 'http_500', retryable: true } });

    smsru.fail({ error: 201 });
    const poor = await s.admin.post('/settings/messaging/test-sms', { to: '+79255070602' });
    expect(poor.body).toMatchObject({ outcome: 'rejected', error: { code: 'smsru_201', message: 'Не хватает средств на лицевом счету', retryable: false } });

    const bad = await s.admin.post('/settings/messaging/test-sms', { to: 'not a phone' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'to', message: expect.any(String) }]);
    expect(smsru.ledgerFor()).toHaveLength(1);
  });

  it('switches to SMSC.ru: needs its credentials, then sends with our id', async () => {
    const missing = await patch({ smsProvider: 'smsc' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.fields).toEqual([{ path: 'smscLogin', message: expect.stringContaining('SMSC.ru needs') }]);

    const res = await patch({ smsProvider: 'smsc', smscLogin: 'romashka', smscPassword: SMSC_PASSWORD, smsApiUrl: smsc.url, smsSender: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ smsProvider: 'smsc', smscLogin: 'romashka', smscPasswordSet: true, smscApiKeySet: false, smsSender: null });
    expect(JSON.stringify(res.body)).not.toContain(SMSC_PASSWORD);

    const sent = await s.admin.post('/settings/messaging/test-sms', { to: '+79255070602' });
    expect(sent.body).toMatchObject({ provider: 'smsc', outcome: 'sent', providerMessageId: expect.stringMatching(/^vt-\d+-[0-9a-f]{8}$/) });
    expect(smsc.ledgerFor('+79255070602')).toMatchObject([{ id: sent.body.providerMessageId, text: 'Voronka: test SMS', charset: 'utf-8' }]);

    expect((await patch({ smscPassword: 'wrong' })).status).toBe(200);
    const refused = await s.admin.post('/settings/messaging/test-sms', { to: '+79255070602' });
    expect(refused.body).toMatchObject({ provider: 'smsc', outcome: 'rejected', error: { code: 'smsc_2', message: 'invalid login or password', retryable: false } });
  });

  it('names the field of bad input and refuses a stale version', async () => {
    const { version } = await current();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ smtpPort: 70000 }, 'smtpPort'],
      [{ mailFromAddress: 'not an address' }, 'mailFromAddress'],
      [{ smsProvider: 'twilio' }, 'smsProvider'],
      [{ smsApiUrl: 'ftp://example.test' }, 'smsApiUrl'],
      [{ smsSender: 'Ромашка' }, 'smsSender'],
      [{ smtpHost: '' }, 'smtpHost'],
    ];
    for (const [body, path] of cases) {
      const res = await s.admin.patch('/settings/messaging', { version, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    const unknown = await s.admin.patch('/settings/messaging', { version, smtpPasword: 'typo' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error)).toContain('smtpPasword');

    const stale = await s.admin.patch('/settings/messaging', { version: version - 1, mailFromName: 'Старое' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(JSON.stringify(stale.body)).not.toContain(SMTP_PASSWORD);
    const noVersion = await s.admin.patch('/settings/messaging', { mailFromName: 'Без версии' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields[0].path).toBe('version');
    expect((await current()).version).toBe(version);
  });

  it('clears a secret with null', async () => {
    const res = await patch({ smtpPassword: null, smtpUser: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ smtpPasswordSet: false, smtpUser: null });
  });

  it('is for administrators only', async () => {
    expect((await manager.get('/settings/messaging')).status).toBe(403);
    expect((await manager.patch('/settings/messaging', { version: 1, smsProvider: 'log' })).status).toBe(403);
    expect((await manager.post('/settings/messaging/test-email', { to: 'a@example.test' })).status).toBe(403);
    const sms = await manager.post('/settings/messaging/test-sms', { to: '+79255070602' });
    expect(sms.status).toBe(403);
    expect(sms.body.error.code).toBe('forbidden');
    expect((await s.anon().get('/settings/messaging')).status).toBe(401);
  });

  it('keeps each workspace’s settings to itself', async () => {
    const other = await s.newWorkspace('Другая компания');
    const res = await other.admin.get('/settings/messaging');
    expect(res.body).toMatchObject({ smsProvider: 'log', smtpHost: null, version: 0 });
  });
});
