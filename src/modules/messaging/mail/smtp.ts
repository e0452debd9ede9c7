import SMTPConnection from 'nodemailer/lib/smtp-connection';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailMessage, MailProvider, MessagingError, SendResult } from './mail-provider.js';

// E-mail through the workspace's SMTP server, with nodemailer's own SMTP connection and message
// composer (the transport layer that nodemailer.createTransport wraps), driven stage by stage so
// that we know how far a failed session got — nodemailer's transport reports every timeout as a
// connect failure. What a failure means:
// - connect, greeting, STARTTLS or login failed: nothing was sent → rejected (retryable unless
//   the server refused the login);
// - the server refused the sender, a recipient or the message with a reply code: rejected,
//   retryable for 4xx (a temporary refusal), not for 5xx;
// - the connection broke or timed out during the envelope or the message without a reply: the
//   server may have taken it → uncertain. SMTP has no look-up; the Message-ID is ours, so the
//   admin can find the message in the recipient's mailbox or the server's log.

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the start (465); otherwise STARTTLS when the server offers it */
  secure: boolean;
  user?: string;
  password?: string;
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** idle time allowed on the open connection (also: waiting for the reply to the message) */
  socketTimeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

type Stage = 'connect' | 'login' | 'send';

export class SmtpMailProvider implements MailProvider {
  readonly kind = 'smtp' as const;
  constructor(private readonly opts: SmtpOptions) {}

  async send(message: MailMessage): Promise<SendResult> {
    const mime = new MailComposer({
      from: message.from,
      to: message.to,
      subject: message.subject,
      ...(message.html !== undefined && { html: message.html }),
      ...(message.text !== undefined && { text: message.text }),
      messageId: message.messageId,
      disableFileAccess: true,
      disableUrlAccess: true,
    }).compile();
    const raw = await mime.build();
    const envelope = mime.getEnvelope();

    const conn = new SMTPConnection({
      host: this.opts.host,
      port: this.opts.port,
      secure: this.opts.secure,
      connectionTimeout: this.opts.connectionTimeoutMs ?? 10_000,
      greetingTimeout: this.opts.greetingTimeoutMs ?? 10_000,
      socketTimeout: this.opts.socketTimeoutMs ?? 30_000,
    });
    let stage: Stage = 'connect';
    return new Promise<SendResult>((resolve) => {
      let done = false;
      const finish = (r: SendResult) => {
        if (done) return;
        done = true;
        if (r.outcome === 'sent') conn.quit();
        conn.close();
        resolve(r);
      };
      conn.on('error', (err: SmtpError) => finish(failure(stage, err)));
      conn.once('end', () => finish(failure(stage, Object.assign(new Error('the SMTP server closed the connection'), { code: 'ECONNECTION' }))));
      conn.connect(() => {
        const deliver = () => {
          stage = 'send';
          conn.send(envelope, raw, (err, info) => {
            if (err) return finish(failure(stage, err as SmtpError));
            if (info.accepted.length === 0) return finish({ outcome: 'rejected', error: { code: 'smtp_rejected', message: `the server refused ${info.rejected.join(', ')}`, retryable: false } });
            finish({ outcome: 'sent', providerMessageId: message.messageId });
          });
        };
        if (!this.opts.user) return deliver();
        stage = 'login';
        conn.login({ credentials: { user: this.opts.user, pass: this.opts.password ?? '' } }, (err) => (err ? finish(failure(stage, err as SmtpError)) : deliver()));
      });
    });
  }
}

function failure(stage: Stage, err: SmtpError): SendResult {
  const message = (err.response ?? err.message ?? String(err)).trim();
  if (err.responseCode && err.responseCode >= 400) {
    // the server answered no: nothing was taken
    const error: MessagingError = { code: `smtp_${err.responseCode}`, message, retryable: err.responseCode < 500 && err.code !== 'EAUTH' };
    return { outcome: 'rejected', error };
  }
  const code = err.code === 'ETIMEDOUT' ? 'timeout' : err.code === 'EAUTH' ? 'smtp_auth' : err.code === 'ETLS' ? 'smtp_tls' : stage === 'connect' ? 'connection_failed' : (err.code ?? 'smtp_error').toLowerCase();
  if (stage !== 'send') return { outcome: 'rejected', error: { code, message, retryable: err.code !== 'EAUTH' } };
  return { outcome: 'uncertain', error: { code, message, retryable: true } };
}
