import type { SendResult } from '../sms/sms-provider.js';

export type { SendResult, MessagingError } from '../sms/sms-provider.js';

export interface MailMessage {
  /** an address, or `"Name" <address>` */
  from: string;
  to: string;
  subject: string;
  html?: string;
  text?: string;
  /** ours, from the idempotency key (messageIdFor): the message is recognisable wherever it lands */
  messageId: string;
}

export interface MailProvider {
  readonly kind: 'smtp' | 'log';
  send(message: MailMessage): Promise<SendResult>;
}

/** `<key@domain>` with the domain of the sender's address (RFC 5322 msg-id). */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? 'voronka.invalid';
  return `<${key.replace(/[^A-Za-z0-9._-]/g, '-')}@${domain}>`;
}
