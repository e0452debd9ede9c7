import nodemailer from 'nodemailer';
import type { MailMessage, MailProvider, MessagingError, SendResult } from './mail-provider.js';

// E-mail through the workspace's SMTP server (nodemailer). What a failure means:
// - no connection, greeting or login (refused, DNS, TLS, auth): nothing was sent → rejected;
// - the server refused the sender, a recipient or the message with a reply code: rejected,
//   retryable for 4xx (a temporary refusal), not for 5xx;
// - the connection broke or timed out once the message had gone out (during or after DATA):
//   the server may have taken it → uncertain. SMTP has no look-up; the Message-ID is ours, so the
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
  /** idle time allowed on the open connection */
  socketTimeoutMs?: number;
  /** tests against a local server with a self-signed certificate */
  rejectUnauthorized?: boolean;
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

const BEFORE_MESSAGE = new Set(['CONN', 'EHLO', 'HELO', 'STARTTLS', 'AUTH', 'AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', 'AUTH XOAUTH2', 'MAIL FROM', 'RCPT TO']);

export class SmtpMailProvider implements MailProvider {
  readonly kind = 'smtp' as const;
  constructor(private readonly opts: SmtpOptions) {}

  async send(message: MailMessage): Promise<SendResult> {
    const transport = nodemailer.createTransport({
      host: this.opts.host,
      port: this.opts.port,
      secure: this.opts.secure,
      ...(this.opts.user ? { auth: { user: this.opts.user, pass: this.opts.password ?? '' } } : {}),
      connectionTimeout: this.opts.connectionTimeoutMs ?? 10_000,
      greetingTimeout: this.opts.greetingTimeoutMs ?? 10_000,
      socketTimeout: this.opts.socketTimeoutMs ?? 30_000,
      tls: { rejectUnauthorized: this.opts.rejectUnauthorized ?? true },
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        ...(message.html !== undefined && { html: message.html }),
        ...(message.text !== undefined && { text: message.text }),
        messageId: message.messageId,
      });
      if (info.rejected.length > 0 && info.accepted.length === 0) {
        return { outcome: 'rejected', error: { code: 'smtp_rejected', message: `the server refused ${info.rejected.join(', ')}`, retryable: false } };
      }
      return { outcome: 'sent', providerMessageId: info.messageId };
    } catch (err) {
      return smtpFailure(err as SmtpError);
    } finally {
      transport.close();
    }
  }
}

function smtpFailure(err: SmtpError): SendResult {
  const text = (err.response ?? err.message ?? String(err)).trim();
  const command = err.command?.toUpperCase();
  if (err.responseCode && err.responseCode >= 400) {
    const error: MessagingError = { code: `smtp_${err.responseCode}`, message: text, retryable: err.responseCode < 500 };
    // a reply to DATA refuses the message itself: the server said no, nothing was taken
    return { outcome: 'rejected', error };
  }
  if (err.code === 'EAUTH') return { outcome: 'rejected', error: { code: 'smtp_auth', message: text, retryable: false } };
  if (err.code === 'EENVELOPE') return { outcome: 'rejected', error: { code: 'smtp_envelope', message: text, retryable: false } };
  if (err.code === 'ETLS') return { outcome: 'rejected', error: { code: 'smtp_tls', message: text, retryable: false } };
  const beforeMessage = command === undefined ? err.code === 'ECONNECTION' || err.code === 'EDNS' : BEFORE_MESSAGE.has(command);
  const code = err.code === 'ETIMEDOUT' ? 'timeout' : err.code === 'ECONNECTION' ? 'connection_failed' : (err.code ?? 'smtp_error').toLowerCase();
  if (beforeMessage) return { outcome: 'rejected', error: { code, message: text, retryable: true } };
  return { outcome: 'uncertain', error: { code, message: text, retryable: true } };
}
