// The provider layer for SMS (docs/messaging.md). Robots and the test-SMS route call these
// adapters; the adapters speak the providers' documented HTTP APIs
// (/work/shared/specs/sms-providers.md is the reference they follow).

/** What went wrong, in the provider's words, and whether trying again later may help. */
export interface MessagingError {
  /** stable code: `smsru_<n>` / `smsc_<n>` for the provider's own error codes, else a transport code (`connection_refused`, `timeout`, `http_500`, ...) */
  code: string;
  message: string;
  /** a later attempt may succeed (a transient cause); for an `uncertain` outcome only after reconciliation */
  retryable: boolean;
}

/**
 * - `sent`: the provider accepted the message.
 * - `rejected`: it was not sent (the provider refused it, or the request never reached it).
 * - `uncertain`: it may have been sent (a timeout or a broken answer after the request went out):
 *   reconcile with `lookup` where the provider supports it, and never resend blindly.
 */
export type SendOutcome = 'sent' | 'rejected' | 'uncertain';

export interface SendResult {
  outcome: SendOutcome;
  providerMessageId?: string;
  /** the price the provider reported, in its currency (roubles), when it reports one */
  cost?: number;
  error?: MessagingError;
}

export interface SmsMessage {
  /** E.164, e.g. +79255070602 */
  to: string;
  text: string;
  /** the sender name (must be approved at the provider); the account default when absent */
  sender?: string;
  /** our idempotency key (see idempotency.ts): at most 40 chars of [A-Za-z0-9._-] */
  ourId: string;
}

export type SmsStatus = 'queued' | 'sent' | 'delivered' | 'failed';

/**
 * The look-up of one message for reconciliation: found (with its state), not found (the provider
 * has no such message), or unknown (the look-up itself failed: trust neither answer).
 */
export type SmsLookupResult =
  | { found: true; status: SmsStatus; providerStatus: string; statusText?: string; cost?: number; providerMessageId?: string }
  | { found: false }
  | { found: 'unknown'; error: MessagingError };

export interface SmsLookupQuery {
  ourId: string;
  /** E.164; SMSC.ru keys its messages on (id, phone) */
  to: string;
  /** the provider's id from the send answer, when it gave one */
  providerMessageId?: string;
}

/** One delivery report from a provider's callback. */
export interface SmsDeliveryReport {
  providerMessageId: string;
  status: SmsStatus;
  providerStatus: string;
  /** ISO time the provider gives for the change */
  at: string;
}

export interface SmsCallbackResult {
  /** false: the signature did not match, ignore the reports */
  valid: boolean;
  reports: SmsDeliveryReport[];
  /** the body the provider expects in answer */
  reply: string;
}

export type SmsProviderKind = 'log' | 'smsru' | 'smsc';

export interface SmsProvider {
  readonly kind: SmsProviderKind;
  /** can it find a message by our own id (so that an uncertain send can be reconciled)? */
  readonly lookupByOurId: boolean;
  send(message: SmsMessage): Promise<SendResult>;
  /** `'unsupported'` when the provider cannot look this message up (SMS.ru without its sms_id) */
  lookup(query: SmsLookupQuery): Promise<SmsLookupResult | 'unsupported'>;
  /** delivery callbacks, for providers whose callbacks are documented */
  parseCallback?(body: Record<string, unknown>): SmsCallbackResult;
}

/** Timeouts of one HTTP call to a provider, in ms. */
export interface HttpTimeouts {
  /** until the connection is open and the request written: failing here, nothing was sent */
  connectTimeoutMs?: number;
  /** from the request written to the whole answer read: failing here, it may have been sent */
  responseTimeoutMs?: number;
}
