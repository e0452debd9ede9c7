import type { Selectable, Transaction } from 'kysely';
import type { Database, AutomationEffectsTable, EffectChannel } from '../../db/schema.js';
import { PermanentJobError } from '../../jobs/index.js';
import { nowIso, type Clock } from '../../server/clock.js';
import { inTransaction, type Executor } from '../../server/context.js';
import type { SendResult } from '../messaging/sms/sms-provider.js';
import type { RobotOutcome } from './robot-type.js';

// Exactly-once external effects of robots (docs/automation.md § External effects, and
// docs/messaging.md § Exactly once). Each effect has one row in automation_effects, keyed by the
// run's idempotency key:
//
//   1. the attempt (key, recipient, provider) is written and committed BEFORE the call out;
//   2. the outcome after it: sent (with the timeline entry, in one transaction), retry (known not
//      sent, the job retries with backoff), failed (refused for good), uncertain;
//   3. a job that finds an attempt without an outcome (a crash, a lost answer) reconciles by the
//      provider's means instead of sending again:
//      - `lookup` (SMSC.ru, the log providers): found → sent; not found (twice, a while apart) →
//        send again with the same key; the look-up failed → retry later, never resend blindly;
//      - `resend` (webhooks: the receiver de-duplicates on the Idempotency-Key header; the log
//        mail provider, idempotent on the Message-ID): send again with the same key;
//      - `none` (SMS.ru, SMTP): the run ends **uncertain**, shown to the administrator, never sent
//        twice.

export type EffectRow = Selectable<AutomationEffectsTable>;

export type ReconcileMode = 'lookup' | 'resend' | 'none';

export type LookupAnswer = { found: true; providerMessageId?: string } | { found: false } | { found: 'unknown'; message: string };

export interface EffectSpec {
  channel: EffectChannel;
  provider: string;
  recipient: string;
  /** how an attempt without an outcome is settled */
  reconcile: ReconcileMode;
  /** calls out once (the same key every time) */
  send(): Promise<SendResult>;
  /** the provider's look-up by our key (reconcile: 'lookup') */
  lookup?(): Promise<LookupAnswer>;
  /** writes what was sent (the timeline entry, the activity) in the transaction that records the outcome; returns the run's outcome */
  record(trx: Transaction<Database>, sent: { providerMessageId: string | null; recovered: boolean }): Promise<RobotOutcome>;
  /** the run's outcome when it may have been sent and cannot be checked */
  uncertain(why: string): RobotOutcome;
}

export interface EffectOptions {
  /**
   * A look-up that finds no message counts only when the attempt is at least this old and a
   * first "not found" was seen at least this long before (SMSC.ru does not document how soon a
   * message shows in its look-up): then it is sent again with the same key.
   */
  lookupGraceMs: number;
}

export const DEFAULT_EFFECT_OPTIONS: EffectOptions = { lookupGraceMs: 10_000 };

/** Thrown to retry the job later (with backoff); the message is the run's error if it is the last attempt. */
export class EffectRetry extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EffectRetry';
  }
}

export async function findEffect(exec: Executor, ws: number, key: string): Promise<EffectRow | undefined> {
  return exec.selectFrom('automation_effects').selectAll().where('workspace_id', '=', ws).where('key', '=', key).executeTakeFirst();
}

export async function effectsOfRuns(exec: Executor, ws: number, runIds: number[]): Promise<EffectRow[]> {
  if (runIds.length === 0) return [];
  return exec.selectFrom('automation_effects').selectAll().where('workspace_id', '=', ws).where('run_id', 'in', runIds).execute();
}

const errorText = (r: SendResult) => (r.error ? `${r.error.code}: ${r.error.message}` : 'no answer');

/**
 * Performs one external effect of a run exactly once in effect (or at most once, uncertain, where
 * the provider cannot be asked). Throws EffectRetry for a retryable failure (the job retries with
 * backoff) and PermanentJobError for a refusal (the run fails with the provider's words).
 */
export async function performEffect(
  db: Executor,
  clock: Clock,
  options: EffectOptions,
  run: { workspaceId: number; runId: number; key: string },
  spec: EffectSpec,
): Promise<RobotOutcome> {
  const ws = run.workspaceId;
  const now = () => nowIso(clock);
  const update = (id: number, set: Partial<Omit<EffectRow, 'id'>>, exec: Executor = db) =>
    exec.updateTable('automation_effects').set({ ...set, updated_at: now() }).where('id', '=', id).execute();

  let row = await findEffect(db, ws, run.key);
  let recovered = false;
  if (row?.status === 'sent' || row?.status === 'uncertain') return JSON.parse(row.result!) as RobotOutcome; // the outcome is known: a replay after a crash
  if (!row) {
    // 1. the attempt, committed before the call
    const at = now();
    const inserted = await db
      .insertInto('automation_effects')
      .values({ workspace_id: ws, run_id: run.runId, key: run.key, channel: spec.channel, provider: spec.provider, recipient: spec.recipient, status: 'attempting', attempts: 1, attempted_at: at, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) throw new EffectRetry('another attempt of this effect is being recorded; trying again later');
    row = inserted;
  } else if (row.status === 'retry' || row.status === 'failed') {
    // the last attempt is known not to have been sent: send again (same key)
    await update(row.id, { status: 'attempting', attempts: row.attempts + 1, attempted_at: now(), not_found_at: null, provider: spec.provider, recipient: spec.recipient });
  } else {
    // an attempt without an outcome: reconcile instead of sending again
    recovered = true;
    const outcome = await reconcile(db, clock, options, row, spec, update);
    if (outcome) return outcome;
    await update(row.id, { status: 'attempting', attempts: row.attempts + 1, attempted_at: now(), not_found_at: null });
  }

  // 2. the call, then its outcome
  const result = await spec.send();
  if (result.outcome === 'sent') return markSent(db, row, spec, result.providerMessageId ?? null, recovered, update);
  if (result.outcome === 'rejected') {
    const retryable = result.error?.retryable ?? false;
    await update(row.id, { status: retryable ? 'retry' : 'failed', error: errorText(result) });
    if (retryable) throw new EffectRetry(`${spec.provider}: ${errorText(result)}`);
    throw new PermanentJobError(`${spec.provider} refused it: ${errorText(result)}`);
  }
  // uncertain: it may have been sent
  if (spec.reconcile === 'none') return markUncertain(db, row, spec, `${spec.provider} gave no usable answer (${errorText(result)}); it may or may not have been sent, and ${spec.provider} cannot be asked — not sent again`, update);
  await update(row.id, { error: errorText(result) });
  throw new EffectRetry(`${spec.provider}: ${errorText(result)}; ${spec.reconcile === 'lookup' ? 'it will be looked up before anything is sent again' : 'it will be sent again with the same key'}`);
}

type Update = (id: number, set: Partial<Omit<EffectRow, 'id'>>, exec?: Executor) => Promise<unknown>;

async function reconcile(db: Executor, clock: Clock, options: EffectOptions, row: EffectRow, spec: EffectSpec, update: Update): Promise<RobotOutcome | null> {
  if (spec.reconcile === 'resend') return null;
  if (spec.reconcile === 'none' || !spec.lookup) {
    return markUncertain(db, row, spec, `an earlier attempt may or may not have reached ${spec.provider} (no answer was recorded), and ${spec.provider} cannot be asked — not sent again`, update);
  }
  const found = await spec.lookup();
  if (found.found === true) return markSent(db, row, spec, found.providerMessageId ?? row.provider_message_id, true, update);
  if (found.found === 'unknown') throw new EffectRetry(`${spec.provider}: the look-up of an earlier attempt failed (${found.message}); it will be looked up again before anything is sent`);
  // not found: trust it only once the attempt is old enough and a first "not found" was a while ago
  const now = clock.now().getTime();
  const grace = options.lookupGraceMs;
  const oldEnough = now - Date.parse(String(row.attempted_at)) >= grace;
  const seenBefore = row.not_found_at !== null && now - Date.parse(String(row.not_found_at)) >= grace;
  if (oldEnough && (seenBefore || grace === 0)) return null;
  if (row.not_found_at === null) await update(row.id, { not_found_at: nowIso(clock) });
  throw new EffectRetry(`${spec.provider} has no message with our key yet; it will be looked up again before it is sent again${row.error ? ` (the last attempt: ${row.error})` : ''}`);
}

async function markSent(db: Executor, row: EffectRow, spec: EffectSpec, providerMessageId: string | null, recovered: boolean, update: Update): Promise<RobotOutcome> {
  return inTransaction(db, async (trx) => {
    const outcome = await spec.record(trx, { providerMessageId, recovered });
    await update(row.id, { status: 'sent', provider_message_id: providerMessageId, error: null, result: JSON.stringify(outcome) }, trx);
    return outcome;
  });
}

async function markUncertain(db: Executor, row: EffectRow, spec: EffectSpec, why: string, update: Update): Promise<RobotOutcome> {
  const outcome = { ...spec.uncertain(why), uncertain: true };
  await update(row.id, { status: 'uncertain', error: why, result: JSON.stringify(outcome) }, db);
  return outcome;
}
