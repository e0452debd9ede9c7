import type { MessagingError, SmsLookupQuery, SmsProvider, SmsStatus } from './sms-provider.js';

/**
 * What to do with an SMS whose outcome is unknown (an attempt recorded without an outcome after a
 * crash, or an `uncertain` send), decided by the provider's look-up (docs/messaging.md):
 * - `sent`: the provider has it — record it, never resend;
 * - `resend`: the provider has no such message — send again with the same key;
 * - `lookupLater`: the look-up itself failed — ask again later, do not resend;
 * - `uncertain`: the provider cannot be asked (SMS.ru without its sms_id) — at most once: mark
 *   it uncertain for the admin, never resend.
 * SMSC does not document how soon a new message shows in its look-up, so a caller should act on
 * `resend` only after it has come back more than once, a while apart.
 */
export type ReconcileDecision =
  | { action: 'sent'; status: SmsStatus; providerMessageId?: string }
  | { action: 'resend' }
  | { action: 'lookupLater'; error: MessagingError }
  | { action: 'uncertain'; reason: string };

export async function reconcileSms(provider: SmsProvider, query: SmsLookupQuery): Promise<ReconcileDecision> {
  const found = await provider.lookup(query);
  if (found === 'unsupported') return { action: 'uncertain', reason: `${provider.kind} cannot look a message up by our id; it may or may not have been sent` };
  if (found.found === 'unknown') return { action: 'lookupLater', error: found.error };
  if (found.found) return { action: 'sent', status: found.status, ...(found.providerMessageId && { providerMessageId: found.providerMessageId }) };
  return { action: 'resend' };
}
