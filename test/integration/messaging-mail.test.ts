import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailProvider, type SmtpOptions } from '../../src/modules/messaging/mail/smtp.js';
import { messageIdFor } from '../../src/modules/messaging/mail/mail-provider.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { closedPortUrl } from '../support/sms-gateways.js';

// E-mail through nodemailer to a real SMTP server (smtp-server) in the test: what arrives is
// parsed with mailparser (subject, bodies, our Message-ID); each failure shows with its reason.

const FROM = '"ООО Ромашка" <sales@romashka.test>';

describe('SMTP mail provider', () => {
  let inbox: SmtpInbox;
  const provider = (over: Partial<SmtpOptions> = {}) =>
    new SmtpMailProvider({ host: '127.0.0.1', port: inbox.port, secure: false, user: 'robot', password: 'mail secret', socketTimeoutMs: 500, greetingTimeoutMs: 500, ...over });
  const message = (over: Partial<{ to: string; subject: string; messageId: string }> = {}) => ({
    from: FROM,
    to: 'client@example.test',
    subject: 'Ваш счёт готов',
    text: 'Здравствуйте! Счёт во вложении.',
    html: '<p>Здравствуйте! <b>Счёт</b> во вложении.</p>',
    messageId: messageIdFor('vr-1-deal7-3', FROM),
    ...over,
  });

  beforeAll(async () => {
    inbox = await startSmtpInbox({ user: 'robot', password: 'mail secret' });
  });
  afterEach(() => {
    inbox.messages.length = 0;
    inbox.refuse.clear();
    inbox.nextData = 'accept';
  });
  afterAll(() => inbox.close());

  it('delivers the message with our Message-ID, subject and both bodies', async () => {
    const res = await provider().send(message());
    expect(res).toEqual({ outcome: 'sent', providerMessageId: '<vr-1-deal7-3@romashka.test>' });
    expect(inbox.messages).toHaveLength(1);
    const { envelope, mail } = inbox.messages[0]!;
    expect(envelope).toEqual({ from: 'sales@romashka.test', to: ['client@example.test'] });
    expect(mail.messageId).toBe('<vr-1-deal7-3@romashka.test>');
    expect(mail.subject).toBe('Ваш счёт готов');
    expect(mail.text?.trim()).toBe('Здравствуйте! Счёт во вложении.');
    expect(mail.html).toContain('<b>Счёт</b>');
    expect(mail.from?.value[0]).toEqual({ address: 'sales@romashka.test', name: 'ООО Ромашка' });
  });

  it('a wrong password is rejected, not retryable, and nothing arrives', async () => {
    const res = await provider({ password: 'wrong' }).send(message());
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'smtp_535', retryable: false } });
    expect(res.error!.message).toContain('Invalid username or password');
    expect(inbox.messages).toHaveLength(0);
  });

  it('a refused recipient (550) is rejected, not retryable', async () => {
    inbox.refuse.add('nobody@example.test');
    const res = await provider().send(message({ to: 'nobody@example.test' }));
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'smtp_550', retryable: false } });
    expect(res.error!.message).toContain('No such user here');
  });

  it('a temporary refusal of the message (451) is rejected and retryable', async () => {
    inbox.nextData = 'tempfail';
    const res = await provider().send(message());
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'smtp_451', retryable: true } });
    expect(inbox.messages).toHaveLength(0);
  });

  it('no answer after the message went out is uncertain: it did arrive here', async () => {
    inbox.nextData = 'hang';
    const res = await provider().send(message());
    expect(res).toMatchObject({ outcome: 'uncertain', error: { code: 'timeout', retryable: true } });
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0]!.mail.messageId).toBe('<vr-1-deal7-3@romashka.test>');
  });

  it('a refused connection is rejected and retryable', async () => {
    const port = Number(new URL(await closedPortUrl()).port);
    const res = await provider({ port }).send(message());
    expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'connection_failed', retryable: true } });
    expect(res.error!.message).toContain('ECONNREFUSED');
  });

  it('a server that never greets times out before anything was sent: rejected, retryable', async () => {
    const silent = net.createServer(() => {});
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await provider({ port: (silent.address() as AddressInfo).port }).send(message());
      expect(res).toMatchObject({ outcome: 'rejected', error: { code: 'timeout', retryable: true } });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('derives the Message-ID from the key and the sender domain', () => {
    expect(messageIdFor('vr-2-lead9-1', 'a@b.example')).toBe('<vr-2-lead9-1@b.example>');
    expect(messageIdFor('k y', '"X" <x@mail.test>')).toBe('<k-y@mail.test>');
  });
});
