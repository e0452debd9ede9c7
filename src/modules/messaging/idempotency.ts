import { createHash } from 'node:crypto';

/**
 * The idempotency key of one external effect (an SMS, an e-mail) of a robot on a record at one
 * stage entry: the same inputs give the same key, on every process and after a crash. It fits
 * SMSC.ru's `id` (at most 40 chars of [A-Za-z0-9._-]) and a Message-ID's local part.
 */
export function idempotencyKey(parts: { robotId: number | string; recordType: string; recordId: number | string; stageEntryId: number | string }): string {
  const plain = `vr-${parts.robotId}-${parts.recordType}${parts.recordId}-${parts.stageEntryId}`;
  if (/^[A-Za-z0-9._-]{1,40}$/.test(plain)) return plain;
  const digest = createHash('sha256').update(`${parts.robotId}\u0000${parts.recordType}\u0000${parts.recordId}\u0000${parts.stageEntryId}`).digest('hex');
  return `vr-${digest.slice(0, 37)}`;
}
