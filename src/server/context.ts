import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { Clock } from './clock.js';
import { isRetryableConflict } from '../db/locks.js';
import type { Services } from '../modules/services.js';

/** Either the database or an open transaction: every repository function takes one. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface AppContext {
  db: Db;
  clock: Clock;
  log: Logger;
  services: Services;
  /** checks meant for tests (the test server sets it): every response against its schema, every timeline entry's data against its kind's */
  strict?: boolean;
  /** webhook robots may call private addresses (AppOptions.allowPrivateWebhooks) */
  allowPrivateWebhooks?: boolean;
}

const TRANSACTION_ATTEMPTS = 3;

/**
 * Runs fn in a transaction, or inside the caller's transaction if it already has one. A
 * transaction of its own that PostgreSQL aborts as a deadlock or serialization failure is run
 * again (up to 3 times); what still fails that way is answered 409 by the error handler.
 */
export async function inTransaction<T>(exec: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (exec.isTransaction) return fn(exec as Transaction<Database>);
  for (let attempt = 1; ; attempt++) {
    try {
      return await exec.transaction().execute(fn);
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableConflict(err)) throw err;
    }
  }
}
