import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { closedPortUrl, SmscImitation, SmsRuImitation } from '../support/sms-gateways.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { signBody } from '../../src/modules/automation/robot-types/webhook.js';

// The robot types that call out — SMS to the client (SMS.ru, SMSC.ru), e-mail to the client
// (SMTP), outgoing webhook — end to end through the API on both databases: what arrives where it
// lands (the imitation gateways' ledgers, a real SMTP inbox, a local HTTP receiver), exactly once;
// the providers' error answers fail the run with their words or retry it with backoff; a provider
// that keeps failing ends failed with the reason while other runs keep flowing.

const HOUR = 3_600_000;
const SECRET = 'whsec-0123456789abcdef-very-secret';

describe.each(testDialects())('robots that call out, on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number }>;
  let smsru: SmsRuImitation;
  let smsc: SmscImitation;
  let inbox: SmtpInbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let phoneSeq = 0;
  const robots: number[] = [];

  const settings = async (body: Record<string, unknown>) => {
    const version = (await s.admin.get('/settings/messaging')).body.version;
    const res = await s.admin.patch('/settings/messaging', { version, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const useSmsc = () => settings({ smsProvider: 'smsc', smscLogin: 'test', smscPassword: 'secret', smsApiUrl: smsc.url });
  const useSmsRu = () => settings({ smsProvider: 'smsru', smsruApiId: 'TEST-API-ID', smsApiUrl: smsru.url });
  const robot = async (body: Record<string, unknown>) => {
    const res = await s.admin.post('/automation/robots', { stageId: stages[1]!.id, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    robots.push(res.body.id);
    return res.body as { id: number; version: number; params: Record<string, unknown>; secretsSet: string[] };
  };
  /** a deal whose client is a new contact (with this phone / e-mail), moved into the robots' stage */
  const dealEntering = async (title: string, client: { phone?: string | null; email?: string } = {}) => {
    const phone = client.phone === undefined ? `+7925${String(10_000_000 + ++phoneSeq).slice(1)}` : client.phone;
    const contact = await s.admin.post('/contacts', {
      firstName: 'Иван',
      lastName: `Клиентов ${phoneSeq}`,
      ...(phone && { phones: [{ value: phone }] }),
      ...(client.email && { emails: [{ value: client.email }] }),
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const deal = await s.admin.post('/deals', { title, stageId: stages[0]!.id, contactIds: [contact.body.id] });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const moved = await s.admin.post(`/deals/${deal.body.id}/move`, { stageId: stages[1]!.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    return { id: deal.body.id as number, phone };
  };
  const runsOf = async (dealId: number) => {
    const res = await s.admin.get(`/deals/${dealId}/automation`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Array<Record<string, any>>;
  };
  const timeline = async (dealId: number) => (await s.admin.get(`/deals/${dealId}/timeline`)).body.items as Array<Record<string, any>>;
  /** settles, moving the clock past each backoff, until nothing is waiting (at most `hours` hours) */
  const settleAll = async (hours = 3) => {
    for (let i = 0; i < hours * 4; i++) {
      await engine.settle();
      s.clock.advance(HOUR / 4);
    }
    await engine.settle();
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    smsru = await new SmsRuImitation({ apiIds: ['TEST-API-ID'], clock: s.clock }).start();
    smsc = await new SmscImitation({ clock: s.clock }).start();
    inbox = await startSmtpInbox();
    receiver = await startReceiver();
    const p = (await s.admin.get('/pipelines')).body.items[0];
    stages = p.stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
    await smsru?.close();
    await smsc?.close();
    await inbox?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    for (const id of robots.splice(0)) await s.admin.delete(`/automation/robots/${id}`);
    await engine.settle();
  });

  it('an SMS through SMSC.ru arrives once with the deal’s values, and is in the timeline; a deal without a phone is skipped with the reason', async () => {
    await useSmsc();
    await robot({ type: 'send_sms', params: { text: 'Здравствуйте, {{contact.firstName}}! Сделка «{{deal.title}}» принята.' } });
    const deal = await dealEntering('Кресла');
    await engine.settle();
    await engine.settle();
    const ledger = smsc.ledgerFor(deal.phone!);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ text: 'Здравствуйте, Иван! Сделка «Кресла» принята.', charset: 'utf-8' });
    const [run] = await runsOf(deal.id);
    expect(run).toMatchObject({ status: 'done', error: null });
    expect(run!.result.summary).toBe(`sent an SMS to ${deal.phone} through smsc`);
    const sms = (await timeline(deal.id)).find((e) => e.kind === 'sms_sent');
    expect(sms?.data).toMatchObject({ to: deal.phone, text: 'Здравствуйте, Иван! Сделка «Кресла» принята.', provider: 'smsc' });
    expect(sms?.robot?.id).toBe(robots[0]);

    const none = await dealEntering('Без телефона', { phone: null });
    await engine.settle();
    expect((await runsOf(none.id))[0]).toMatchObject({ status: 'skipped', reason: 'the deal has no client phone (neither its contact nor its company has one)' });
  });

  it('an SMS through SMS.ru arrives once; its error answers fail the run with SMS.ru’s words, and a lost answer is uncertain, never resent', async () => {
    await useSmsRu();
    await robot({ type: 'send_sms', params: { text: 'Сделка {{deal.title}}' } });
    const ok = await dealEntering('Стулья');
    await engine.settle();
    expect(smsru.ledgerFor(ok.phone!).map((e) => e.text)).toEqual(['Сделка Стулья']);
    expect((await runsOf(ok.id))[0]).toMatchObject({ status: 'done' });

    smsru.fail({ error: 201 });
    const broke = await dealEntering('Нет денег');
    await engine.settle();
    const [failed] = await runsOf(broke.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.error).toContain('Не хватает средств на лицевом счету');
    expect(smsru.ledgerFor(broke.phone!)).toEqual([]);

    // the message was taken and the answer lost: SMS.ru cannot be asked by our id — uncertain, not sent again
    smsru.fail('commitThenReset');
    const lost = await dealEntering('Ответ потерян');
    await settleAll(1);
    const [uncertain] = await runsOf(lost.id);
    expect(uncertain).toMatchObject({ status: 'uncertain' });
    expect(uncertain!.result.summary).toContain('may or may not have been sent');
    expect(smsru.ledgerFor(lost.phone!)).toHaveLength(1);
  });

  it('SMSC.ru: a refusal fails at once with its words; a temporary one is retried with backoff and then sent once', async () => {
    await useSmsc();
    await robot({ type: 'send_sms', params: { text: 'Привет' } });
    smsc.fail({ error: 8 });
    const blocked = await dealEntering('Недоставляемый');
    await engine.settle();
    const [failed] = await runsOf(blocked.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.error).toContain('message to the specified number cannot be delivered');

    smsc.fail({ error: 4 });
    const later = await dealEntering('Позже');
    await engine.settle();
    const [retrying] = await runsOf(later.id);
    expect(retrying).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(retrying!.lastError).toContain('IP address is temporarily blocked');
    expect(Date.parse(retrying!.nextAttemptAt) - s.clock.now().getTime()).toBe(15_000);
    s.clock.advance(15_000);
    await engine.settle();
    expect((await runsOf(later.id))[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect(smsc.ledgerFor(later.phone!)).toHaveLength(1);
  });

  it('SMSC.ru: a lost answer is looked up by our id — found, it is not sent again; not there (twice, a while apart), it is sent again with the same id', async () => {
    await useSmsc();
    await robot({ type: 'send_sms', params: { text: 'Ваш заказ готов: {{deal.title}}' } });
    smsc.fail('commitThenReset');
    const taken = await dealEntering('Принято, ответ потерян');
    smsc.fail('closeBeforeCommit');
    const dropped = await dealEntering('Не дошло');
    await settleAll(1);
    expect(smsc.ledgerFor(taken.phone!)).toHaveLength(1);
    const takenRun = (await runsOf(taken.id))[0]!;
    expect(takenRun).toMatchObject({ status: 'done' });
    expect(takenRun.result.summary).toContain('found at the provider after an interrupted attempt');
    const droppedLedger = smsc.ledgerFor(dropped.phone!);
    expect(droppedLedger).toHaveLength(1);
    expect((await runsOf(dropped.id))[0]).toMatchObject({ status: 'done' });
    const effects = await s.ctx.db.kysely.selectFrom('automation_effects').selectAll().where('key', 'in', [droppedLedger[0]!.id, smsc.ledgerFor(taken.phone!)[0]!.id]).execute();
    expect(effects.map((e) => e.status)).toEqual(['sent', 'sent']);
    // the same key both times; one SMS each
    expect(new Set(effects.map((e) => e.key)).size).toBe(2);
    expect(Math.max(...effects.map((e) => e.attempts))).toBe(2);
  });

  it('a provider that keeps failing (HTTP 500) retries with backoff and ends failed with the reason, while other runs keep flowing', async () => {
    await useSmsc();
    await robot({ type: 'send_sms', params: { text: 'Напоминание' } });
    smsc.fail(...Array<'http500'>(20).fill('http500'));
    const stuck = await dealEntering('Шлюз лежит');
    await engine.settle();
    expect((await runsOf(stuck.id))[0]).toMatchObject({ status: 'waiting', attempts: 1 });
    await settleAll(3);
    const [failed] = await runsOf(stuck.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 8 });
    expect(failed!.error).toContain('http_500');
    expect(smsc.ledgerFor(stuck.phone!)).toEqual([]);
    smsc.reset();
    const fine = await dealEntering('Шлюз поднялся');
    await engine.settle();
    expect((await runsOf(fine.id))[0]).toMatchObject({ status: 'done' });
    expect(smsc.ledgerFor(fine.phone!)).toHaveLength(1);
  });

  it('an e-mail arrives at the SMTP inbox once, with the values HTML-escaped and a {{ in a field as text; it is an outgoing e-mail activity, done', async () => {
    await settings({ smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpSecure: false, mailFromAddress: 'sales@romashka.test', mailFromName: 'Ромашка' });
    await robot({ type: 'send_email', params: { subject: 'Сделка {{deal.title}}', body: '<p>Здравствуйте, <b>{{contact.firstName}}</b>!</p><p>{{deal.title}}</p>' } });
    const email = `client-${dialect}@example.test`;
    const contact = await s.admin.post('/contacts', { firstName: 'Анна <i>', emails: [{ value: email }] });
    const deal = await s.admin.post('/deals', { title: '<script>alert(1)</script> {{deal.amount}}', stageId: stages[1]!.id, contactIds: [contact.body.id] });
    expect(deal.status).toBe(201);
    await engine.settle();
    await engine.settle();
    const got = inbox.messages.filter((m) => m.envelope.to.includes(email));
    expect(got).toHaveLength(1);
    const html = String(got[0]!.mail.html);
    expect(html).toContain('<b>Анна &lt;i&gt;</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{deal.amount}}');
    expect(html).not.toContain('<script>');
    expect(got[0]!.mail.subject).toBe('Сделка <script>alert(1)</script> {{deal.amount}}');
    expect(got[0]!.mail.messageId).toMatch(/^<vr-\d+-deal\d+-\d+@romashka\.test>$/);
    const [run] = await runsOf(deal.body.id);
    expect(run).toMatchObject({ status: 'done' });
    const acts = (await s.admin.get(`/deals/${deal.body.id}/activities`)).body.items as Array<Record<string, any>>;
    expect(acts).toHaveLength(1);
    expect(acts[0]).toMatchObject({ type: 'email', direction: 'outgoing', status: 'done', subject: 'Сделка <script>alert(1)</script> {{deal.amount}}' });
    expect(run!.result.links).toEqual([{ entityType: 'activity', id: acts[0]!.id, label: acts[0]!.subject }]);

    const noMail = await dealEntering('Без почты');
    await engine.settle();
    expect((await runsOf(noMail.id))[0]).toMatchObject({ status: 'skipped', reason: 'the deal has no client e-mail (neither its contact nor its company has one)' });

    // SMTP refuses the recipient for good: failed with its words
    inbox.refuse.add(`refused-${dialect}@example.test`);
    const refused = await dealEntering('Отказ', { email: `refused-${dialect}@example.test` });
    await engine.settle();
    const [failed] = await runsOf(refused.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.error).toContain('smtp_550');
  });

  it('a webhook POSTs the deal with a valid signature and the Idempotency-Key; the secret is never answered, and kept when a change leaves it out', async () => {
    const r = await robot({ type: 'webhook', params: { url: receiver.url, secret: SECRET } });
    expect(r.secretsSet).toEqual(['secret']);
    expect(JSON.stringify(r)).not.toContain(SECRET);
    const got = await s.admin.get(`/automation/robots/${r.id}`);
    expect(JSON.stringify(got.body)).not.toContain(SECRET);
    const patched = await s.admin.patch(`/automation/robots/${r.id}`, { version: r.version, params: { url: receiver.url, timeoutSeconds: 5 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.secretsSet).toEqual(['secret']);
    expect((await s.admin.post('/automation/robots', { stageId: stages[1]!.id, type: 'webhook', params: { url: 'ftp://x.test/', secret: 'short' } })).body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['params.secret', 'params.url']);

    receiver.received.length = 0;
    const deal = await dealEntering('Вебхук');
    await engine.settle();
    await engine.settle();
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0]!;
    expect(req.headers['x-voronka-signature']).toBe(signBody(SECRET, req.body));
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ event: 'automation.robot', idempotencyKey: req.headers['idempotency-key'], deal: { id: deal.id, title: 'Вебхук' } });
    const [run] = await runsOf(deal.id);
    expect(run).toMatchObject({ status: 'done' });
    expect(JSON.stringify(run)).not.toContain(SECRET);
    expect(JSON.stringify(run)).not.toContain('token=abc');
    expect((await timeline(deal.id)).find((e) => e.kind === 'webhook_sent')?.data).toEqual({ url: receiver.url.split('?')[0], status: 200, idempotencyKey: req.headers['idempotency-key'] });
    const dry = await s.admin.post(`/automation/robots/${r.id}/dry-run`, { dealId: deal.id });
    expect(JSON.stringify(dry.body)).not.toContain(SECRET);
  });

  it('a webhook that answers 500 or times out is sent again with the same key and body; a refused connection retries until failed, while other runs flow; a 4xx fails at once', async () => {
    await robot({ type: 'webhook', params: { url: receiver.url, secret: SECRET, timeoutSeconds: 1 } });
    receiver.received.length = 0;
    receiver.answers.push(500, 'hang');
    const deal = await dealEntering('Повторы');
    for (let i = 0; i < 3; i++) {
      await engine.settle();
      s.clock.advance(HOUR);
    }
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((x) => x.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(receiver.received.map((x) => x.body)).size).toBe(1);
    expect((await runsOf(deal.id))[0]).toMatchObject({ status: 'done', attempts: 3 });

    for (const id of robots.splice(0)) await s.admin.delete(`/automation/robots/${id}`);
    await robot({ type: 'webhook', params: { url: `${await closedPortUrl()}/x`, secret: SECRET } });
    const dead = await dealEntering('Никто не слушает');
    await engine.settle();
    expect((await runsOf(dead.id))[0]).toMatchObject({ status: 'waiting', attempts: 1 });
    await useSmsc();
    const smsRobot = await robot({ type: 'send_sms', params: { text: 'Тем временем' } });
    const meanwhile = await dealEntering('Тем временем');
    await engine.settle();
    expect((await runsOf(meanwhile.id)).find((x) => x.robotId === smsRobot.id)).toMatchObject({ status: 'done' });
    await settleAll(3);
    const deadRun = (await runsOf(dead.id))[0]!;
    expect(deadRun).toMatchObject({ status: 'failed', attempts: 8 });
    expect(deadRun.error).toContain('connection refused');

    for (const id of robots.splice(0)) await s.admin.delete(`/automation/robots/${id}`);
    await robot({ type: 'webhook', params: { url: receiver.url, secret: SECRET } });
    receiver.answers.push(422);
    const bad = await dealEntering('422');
    await engine.settle();
    const [failed] = await runsOf(bad.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.error).toContain('HTTP 422: receiver says 422');
  });
});
