import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmsRuProvider } from '../../src/modules/messaging/sms/smsru.js';
import { SmscProvider } from '../../src/modules/messaging/sms/smsc.js';
import type { SmsCallbackResult } from '../../src/modules/messaging/sms/sms-provider.js';
import { idempotencyKey } from '../../src/modules/messaging/idempotency.js';
import { reconcileSms } from '../../src/modules/messaging/sms/reconcile.js';
import { closedPortUrl, SmscImitation, SmsRuImitation } from '../support/sms-gateways.js';

// The SMS adapters against local servers that speak SMS.ru's and SMSC.ru's documented HTTP
// contracts (test/support/sms-gateways.ts): every answer class of the spec, the faults of the
// network (refused, 5xx, hangs and resets before and after the message is stored), and the
// look-ups that reconcile an uncertain send. A hang ends by the adapter's timeout, set short here.

const TIMEOUTS = { connectTimeoutMs: 2_000, responseTimeoutMs: 300 };
const TO = '+79255070602';
const TEXT = 'Здравствуйте! Ваш заказ готов.';

describe('SMS.ru adapter', () => {
  let gw: SmsRuImitation;
  const provider = (over: Partial<ConstructorParameters<typeof SmsRuProvider>[0]> = {}) => new SmsRuProvider({ apiId: gw.apiId, baseUrl: gw.url, ...TIMEOUTS, ...over });
  beforeAll(async () => {
    gw = await new SmsRuImitation({ senders: ['Voronka'], blocked: ['79990000207'], stopList: ['79990000209'], balance: 50 }).start();
  });
  afterEach(() => gw.reset());
  afterAll(() => gw.close());

  it('sends one SMS by POST with json=1 and answers its sms_id', async () => {
    const res = await provider().send({ to: TO, text: TEXT, sender: 'Voronka', ourId: 'vr-1-deal5-9' });
    expect(res.outcome).toBe('sent');
    expect(res.providerMessageId).toMatch(/^\d{6}-\d{7,8}$/);
    expect(res.error).toBeUndefined();
    const ledger = gw.ledgerFor(TO);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ smsId: res.providerMessageId, phone: '79255070602', text: TEXT, from: 'Voronka', test: false });
    const req = gw.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/sms/send' });
    expect(req.params).toMatchObject({ json: '1', api_id: gw.apiId, to: '79255070602', msg: TEXT, from: 'Voronka' });
    expect(gw.balance).toBe(50 - 3.5);
  });

  it('test mode sends nothing for real and charges nothing', async () => {
    const res = await provider({ test: true }).send({ to: TO, text: 'test', ourId: 'k1' });
    expect(res.outcome).toBe('sent');
    expect(gw.ledgerFor(TO)[0]!.test).toBe(true);
    expect(gw.balance).toBe(50);
  });

  it.each([
    ['a wrong api_id', { apiId: 'WRONG' }, { to: TO, text: TEXT }, 'smsru_200', 'api_id'],
    ['a sender not approved', {}, { to: TO, text: TEXT, sender: 'Other' }, 'smsru_204', 'отправителя'],
    ['an empty text', {}, { to: TO, text: ' ' }, 'smsru_203', 'текста'],
    ['a number with no route', {}, { to: '+79990000207', text: TEXT }, 'smsru_207', 'нельзя'],
    ['a number in the stop-list', {}, { to: '+79990000209', text: TEXT }, 'smsru_209', 'стоп-лист'],
    ['a foreign number', {}, { to: '+4930123456', text: TEXT }, 'smsru_202', 'номер'],
    ['a text longer than 8 SMS', {}, { to: TO, text: 'я'.repeat(67 * 8 + 1) }, 'smsru_205', '8'],
  ])('rejects %s with the provider error, not retryable', async (_name, over, msg, code, words) => {
    const res = await provider(over).send({ ourId: 'k', ...msg });
    expect(res.outcome).toBe('rejected');
    expect(res.error).toMatchObject({ code, retryable: false });
    expect(res.error!.message).toContain(words);
    expect(gw.ledgerFor()).toHaveLength(0);
  });

  it('rejects when the money runs out (201), and sends nothing', async () => {
    const poor = await new SmsRuImitation({ balance: 1 }).start();
    try {
      const res = await new SmsRuProvider({ apiId: poor.apiId, baseUrl: poor.url, ...TIMEOUTS }).send({ to: TO, text: TEXT, ourId: 'k' });
      expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'smsru_201', retryable: false } });
      expect(poor.ledgerFor()).toHaveLength(0);
    } finally {
      await poor.close();
    }
  });

  it('a daily limit (206) is retryable later, and the identical text within a minute (231) is not resent', async () => {
    gw.fail({ error: 206 });
    expect(await provider().send({ to: TO, text: TEXT, ourId: 'k' })).toMatchObject({ outcome: 'rejected', error: { code: 'smsru_206', retryable: true } });
    const strict = await new SmsRuImitation({ identicalPerMinute: true }).start();
    try {
      const p = new SmsRuProvider({ apiId: strict.apiId, baseUrl: strict.url, ...TIMEOUTS });
      expect((await p.send({ to: TO, text: TEXT, ourId: 'a' })).outcome).toBe('sent');
      expect(await p.send({ to: TO, text: TEXT, ourId: 'b' })).toMatchObject({ outcome: 'rejected', error: { code: 'smsru_231', retryable: false } });
      expect(strict.ledgerFor(TO)).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['220 (service unavailable) that stored nothing', { error: 220 }, 'smsru_220', 0],
    ['500 (server error) after the message was stored', { error: 500, commit: true }, 'smsru_500', 1],
  ] as const)('a body %s is uncertain: SMS.ru cannot be asked by our id', async (_name, fault, code, stored) => {
    gw.fail(fault);
    const res = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
    expect(res).toMatchObject({ outcome: 'uncertain', error: { code, retryable: true } });
    expect(gw.ledgerFor(TO)).toHaveLength(stored);
    expect(await provider().lookup({ ourId: 'k', to: TO })).toBe('unsupported');
  });

  it('HTTP 500 and 502 are uncertain and retryable, with the reason', async () => {
    gw.fail('http500', 'http502');
    const a = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
    expect(a).toMatchObject({ outcome: 'uncertain', error: { code: 'http_500', retryable: true } });
    expect(a.error!.message).toContain('500 Internal Server Error');
    expect(await provider().send({ to: TO, text: TEXT, ourId: 'k' })).toMatchObject({ outcome: 'uncertain', error: { code: 'http_502' } });
  });

  it('refuses a number that is not E.164 before calling', async () => {
    const before = gw.requests.length;
    expect(await provider().send({ to: '89255070602', text: TEXT, ourId: 'k' })).toMatchObject({ outcome: 'rejected', error: { code: 'bad_phone', retryable: false } });
    expect(gw.requests.length).toBe(before);
  });

  it('a refused connection sent nothing: rejected, retryable', async () => {
    const res = await new SmsRuProvider({ apiId: 'x', baseUrl: await closedPortUrl(), ...TIMEOUTS }).send({ to: TO, text: TEXT, ourId: 'k' });
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'connection_refused', retryable: true } });
  });

  it('a connection closed before the answer is uncertain (the request had gone out)', async () => {
    gw.fail('closeBeforeCommit');
    const res = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
    expect(res.outcome).toBe('uncertain');
    expect(gw.ledgerFor()).toHaveLength(0);
  });

  it.each([
    ['hangBeforeCommit', 'timeout', 0],
    ['commitThenHang', 'timeout', 1],
    ['commitThenReset', 'connection_reset', 1],
  ] as const)('%s: uncertain (%s), and the ledger shows what really happened', async (fault, code, stored) => {
    gw.fail(fault);
    const res = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
    expect(res).toMatchObject({ outcome: 'uncertain', error: { code, retryable: true } });
    expect(res.providerMessageId).toBeUndefined();
    expect(gw.ledgerFor(TO)).toHaveLength(stored);
    // no handle to look it up with: at most once, the admin decides
    expect(await provider().lookup({ ourId: 'k', to: TO })).toBe('unsupported');
  });

  it('looks a message up by its sms_id: queued, delivered, failed; an unknown id is not found', async () => {
    const sent = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
    const q = { ourId: 'k', to: TO, providerMessageId: sent.providerMessageId! };
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'queued', providerStatus: '100' });
    await gw.advance(sent.providerMessageId!, 103);
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'delivered', providerStatus: '103', statusText: 'Сообщение доставлено', cost: 3.5 });
    await gw.advance(sent.providerMessageId!, 104);
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'failed' });
    expect(await provider().lookup({ ...q, providerMessageId: '000000-999' })).toEqual({ found: false });
    // the api_id travels in the POST body, never in the URL
    const statusCalls = gw.requests.filter((r) => r.path === '/sms/status');
    expect(statusCalls.every((r) => r.method === 'POST' && r.query === '?json=1' && r.params.api_id === gw.apiId)).toBe(true);
    expect(gw.requests.filter((r) => r.query.includes(gw.apiId))).toEqual([]);
    gw.failLookup('http500');
    expect(await provider().lookup(q)).toMatchObject({ found: 'unknown', error: { code: 'http_500' } });
  });

  it('parses delivery callbacks (data[] + sha256 hash) and answers 100; a forged hash is refused', async () => {
    const received: SmsCallbackResult[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const parsed = provider().parseCallback({ 'data[]': form.getAll('data[]'), hash: form.get('hash') });
        received.push(parsed);
        res.end(parsed.reply);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms-callback`;
      await fetch(`${gw.url}/callback/add?api_id=${gw.apiId}&url=${encodeURIComponent(url)}&json=1`);
      const sent = await provider().send({ to: TO, text: TEXT, ourId: 'k' });
      await gw.advance(sent.providerMessageId!, 103);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ valid: true, reply: '100', reports: [{ providerMessageId: sent.providerMessageId, status: 'delivered', providerStatus: '103' }] });
      expect(received[0]!.reports[0]!.at).toBe(new Date(Math.floor(gw.clock.now().getTime() / 1000) * 1000).toISOString());
      expect(gw.callbackLog.at(-1)!.reply).toBe('100');

      const forged = provider().parseCallback({ 'data[]': [`sms_status\n${sent.providerMessageId}\n103\n1`], hash: 'ab'.repeat(32) });
      expect(forged).toEqual({ valid: false, reports: [], reply: '100' });
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});

describe('SMSC.ru adapter', () => {
  let gw: SmscImitation;
  const provider = (over: Partial<ConstructorParameters<typeof SmscProvider>[0]> = {}) =>
    new SmscProvider({ login: 'test', password: 'secret', baseUrl: gw.url, ...TIMEOUTS, ...over });
  beforeAll(async () => {
    gw = await new SmscImitation({ senders: ['Voronka'], blocked: ['79990000008'], apiKeys: ['KEY-1'], balance: 50 }).start();
  });
  afterEach(() => gw.reset());
  afterAll(() => gw.close());

  it('sends one SMS with our id, utf-8 and fmt=3, and answers the cost', async () => {
    const ourId = idempotencyKey({ robotId: 3, recordType: 'deal', recordId: 42, stageEntryId: 7 });
    const res = await provider().send({ to: TO, text: TEXT, sender: 'Voronka', ourId });
    expect(res).toEqual({ outcome: 'sent', providerMessageId: ourId, cost: 2.24 });
    const ledger = gw.ledgerFor(TO);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ id: ourId, phone: '79255070602', text: TEXT, charset: 'utf-8', sender: 'Voronka', virtual: false, attempt: 1 });
    expect(gw.requests.at(-1)!.params).toMatchObject({ fmt: '3', charset: 'utf-8', id: ourId, phones: TO, cost: '3' });
  });

  it('authenticates with an API key', async () => {
    const res = await provider({ login: undefined, password: undefined, apiKey: 'KEY-1' }).send({ to: TO, text: TEXT, ourId: 'k-1' });
    expect(res.outcome).toBe('sent');
    expect(gw.requests.at(-1)!.params.apikey).toBe('KEY-1');
  });

  it.each([
    ['a wrong password', { password: 'wrong' }, { to: TO }, 'smsc_2', 'login or password'],
    ['a sender not configured', {}, { to: TO, sender: 'Other' }, 'smsc_6', 'prohibited'],
    ['a bad phone', {}, { to: '+7925507' }, 'smsc_7', 'phone number format'],
    ['an undeliverable number', {}, { to: '+79990000008' }, 'smsc_8', 'cannot be delivered'],
  ])('rejects %s with the provider error, not retryable', async (_n, over, msg, code, words) => {
    const res = await provider(over).send({ text: TEXT, ourId: 'k-2', ...msg });
    expect(res.outcome).toBe('rejected');
    expect(res.error).toMatchObject({ code, retryable: false });
    expect(res.error!.message).toContain(words);
    expect(gw.ledgerFor()).toHaveLength(0);
  });

  it('rejects when the money runs out (3); an IP block (4) is retryable; an id SMSC cannot take is refused before the call', async () => {
    const poor = await new SmscImitation({ balance: 1 }).start();
    try {
      const res = await new SmscProvider({ login: 'test', password: 'secret', baseUrl: poor.url }).send({ to: TO, text: TEXT, ourId: 'k' });
      expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'smsc_3', retryable: false } });
    } finally {
      await poor.close();
    }
    gw.fail({ error: 4 });
    expect(await provider().send({ to: TO, text: TEXT, ourId: 'k' })).toMatchObject({ outcome: 'rejected', error: { code: 'smsc_4', retryable: true } });
    const before = gw.requests.length;
    expect(await provider().send({ to: TO, text: TEXT, ourId: 'has space' })).toMatchObject({ outcome: 'rejected', error: { code: 'bad_id' } });
    expect(gw.requests.length).toBe(before);
  });

  it('an identical request again is error 9: uncertain, and the look-up shows the first was taken', async () => {
    expect((await provider().send({ to: TO, text: TEXT, ourId: 'dup-1' })).outcome).toBe('sent');
    const again = await provider().send({ to: TO, text: TEXT, ourId: 'dup-1' });
    expect(again).toMatchObject({ outcome: 'uncertain', error: { code: 'smsc_9', retryable: true } });
    expect(await provider().lookup({ ourId: 'dup-1', to: TO })).toMatchObject({ found: true, status: 'queued' });
    expect(gw.ledgerFor(TO)).toHaveLength(1);
  });

  it.each(['commitThenHang', 'commitThenReset', 'commitThenEmptyBody'] as const)(
    '%s: uncertain, the look-up by our id finds it, so it is not sent again (exactly once)',
    async (fault) => {
      gw.fail(fault);
      const res = await provider().send({ to: TO, text: TEXT, ourId: 'crash-1' });
      expect(res.outcome).toBe('uncertain');
      const found = await provider().lookup({ ourId: 'crash-1', to: TO });
      expect(found).toMatchObject({ found: true, status: 'queued', providerStatus: '-1', providerMessageId: 'crash-1' });
      expect(gw.ledgerFor(TO)).toHaveLength(1);
    },
  );

  it.each(['hangBeforeCommit', 'closeBeforeCommit', 'http500', 'emptyBody200'] as const)(
    '%s: uncertain, the look-up finds nothing, and a resend with the same id lands once',
    async (fault) => {
      gw.fail(fault);
      const res = await provider().send({ to: TO, text: TEXT, ourId: 'lost-1' });
      expect(res.outcome).toBe('uncertain');
      expect(res.error!.retryable).toBe(true);
      expect(await provider().lookup({ ourId: 'lost-1', to: TO })).toEqual({ found: false });
      expect((await provider().send({ to: TO, text: TEXT, ourId: 'lost-1' })).outcome).toBe('sent');
      expect(gw.ledgerFor(TO).map((e) => e.id)).toEqual(['lost-1']);
    },
  );

  it('a refused connection sent nothing: rejected, retryable', async () => {
    const res = await new SmscProvider({ login: 'test', password: 'secret', baseUrl: await closedPortUrl() }).send({ to: TO, text: TEXT, ourId: 'k' });
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'connection_refused', retryable: true } });
    expect(res.error!.message).toContain('ECONNREFUSED');
  });

  it('follows the status: handed over, delivered, failed; a look-up that fails is unknown, not "not found"', async () => {
    await provider().send({ to: TO, text: TEXT, ourId: 'st-1' });
    const q = { ourId: 'st-1', to: TO };
    gw.advance('st-1', TO, 0);
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'sent', providerStatus: '0' });
    gw.advance('st-1', TO, 1);
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'delivered' });
    gw.advance('st-1', TO, 22);
    expect(await provider().lookup(q)).toMatchObject({ found: true, status: 'failed', providerStatus: '22' });
    expect(await provider().lookup({ ourId: 'st-1', to: '+79990001122' })).toEqual({ found: false });
    const statusCalls = gw.requests.filter((r) => r.path === '/sys/status.php');
    expect(statusCalls.map((r) => [r.method, r.query, r.params.psw, r.params.fmt])).toEqual(statusCalls.map(() => ['POST', '', 'secret', '3']));
    gw.failLookup('http500', 'commitThenHang');
    expect(await provider().lookup(q)).toMatchObject({ found: 'unknown', error: { code: 'http_500' } });
    expect(await provider().lookup(q)).toMatchObject({ found: 'unknown', error: { code: 'timeout' } });
    expect(await provider({ password: 'wrong' }).lookup(q)).toMatchObject({ found: 'unknown', error: { code: 'smsc_2' } });
  });

  it('the imitation decodes mes as windows-1251 when charset is left out (as SMSC does)', async () => {
    const body = new URLSearchParams({ login: 'test', psw: 'secret', phones: TO, mes: TEXT, fmt: '3', id: 'cp-1' });
    const res = await fetch(`${gw.url}/sys/send.php`, { method: 'POST', body });
    expect(await res.json()).toMatchObject({ id: 'cp-1', cnt: 1 });
    const entry = gw.ledgerFor(TO)[0]!;
    expect(entry.charset).toBe('windows-1251');
    expect(entry.text).not.toBe(TEXT);
  });
});

describe('reconciling an uncertain send', () => {
  let smsc: SmscImitation;
  let smsru: SmsRuImitation;
  beforeAll(async () => {
    smsc = await new SmscImitation().start();
    smsru = await new SmsRuImitation().start();
  });
  afterAll(async () => {
    await Promise.all([smsc.close(), smsru.close()]);
  });

  it('SMSC: a message stored before the answer was lost is sent (no resend); one never stored is resent once', async () => {
    const p = new SmscProvider({ login: 'test', password: 'secret', baseUrl: smsc.url, ...TIMEOUTS });
    smsc.fail('commitThenReset', 'hangBeforeCommit');
    for (const ourId of ['rc-1', 'rc-2']) {
      expect((await p.send({ to: TO, text: TEXT, ourId })).outcome).toBe('uncertain');
    }
    expect(await reconcileSms(p, { ourId: 'rc-1', to: TO })).toEqual({ action: 'sent', status: 'queued', providerMessageId: 'rc-1' });
    expect(await reconcileSms(p, { ourId: 'rc-2', to: TO })).toEqual({ action: 'resend' });
    expect((await p.send({ to: TO, text: TEXT, ourId: 'rc-2' })).outcome).toBe('sent');
    expect(smsc.ledgerFor(TO).map((e) => e.id)).toEqual(['rc-1', 'rc-2']);
    smsc.failLookup('http502');
    expect(await reconcileSms(p, { ourId: 'rc-1', to: TO })).toMatchObject({ action: 'lookupLater', error: { code: 'http_502' } });
  });

  it('SMS.ru: without its sms_id the send stays uncertain (at most once); with it, the status decides', async () => {
    const p = new SmsRuProvider({ apiId: smsru.apiId, baseUrl: smsru.url, ...TIMEOUTS });
    smsru.fail('commitThenHang');
    expect((await p.send({ to: TO, text: TEXT, ourId: 'k' })).outcome).toBe('uncertain');
    expect(await reconcileSms(p, { ourId: 'k', to: TO })).toMatchObject({ action: 'uncertain', reason: expect.stringContaining('cannot look a message up') });
    expect(smsru.ledgerFor(TO)).toHaveLength(1);
    const sent = await p.send({ to: TO, text: 'другой текст', ourId: 'k2' });
    expect(await reconcileSms(p, { ourId: 'k2', to: TO, providerMessageId: sent.providerMessageId! })).toEqual({ action: 'sent', status: 'queued', providerMessageId: sent.providerMessageId });
  });
});

describe('imitation test hooks over HTTP (for senders in another process)', () => {
  it('scripts faults, reads the ledger, moves a status and resets', async () => {
    const gw = await new SmscImitation().start();
    try {
      const p = new SmscProvider({ login: 'test', password: 'secret', baseUrl: gw.url, ...TIMEOUTS });
      const post = (path: string, body: unknown) => fetch(`${gw.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
      await post('/__imitation/faults', { faults: ['commitThenReset'] });
      expect((await p.send({ to: TO, text: TEXT, ourId: 'h-1' })).outcome).toBe('uncertain');
      const ledger = (await (await fetch(`${gw.url}/__imitation/ledger?phone=${encodeURIComponent(TO)}`)).json()) as { items: Array<{ id: string; text: string; attempt: number }> };
      expect(ledger.items).toMatchObject([{ id: 'h-1', text: TEXT, attempt: 1 }]);
      await post('/__imitation/advance', { id: 'h-1', phone: TO, status: 1 });
      expect(await p.lookup({ ourId: 'h-1', to: TO })).toMatchObject({ found: true, status: 'delivered' });
      await post('/__imitation/reset', {});
      expect(gw.ledgerFor()).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});

describe('idempotency keys', () => {
  it('are deterministic and fit SMSC ids, also for long parts', () => {
    const a = idempotencyKey({ robotId: 12, recordType: 'deal', recordId: 345, stageEntryId: 6789 });
    expect(a).toBe('vr-12-deal345-6789');
    const long = idempotencyKey({ robotId: 123456789, recordType: 'contact', recordId: 9876543210, stageEntryId: 1234567890123 });
    expect(long).toMatch(/^[A-Za-z0-9._-]{1,40}$/);
    expect(long).toBe(idempotencyKey({ robotId: 123456789, recordType: 'contact', recordId: 9876543210, stageEntryId: 1234567890123 }));
    expect(long).not.toBe(idempotencyKey({ robotId: 123456789, recordType: 'contact', recordId: 9876543210, stageEntryId: 1234567890124 }));
  });
});
