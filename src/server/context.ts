import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import type { Clock } from './clock.js';
import type { Services } from '../modules/services.js';

/** Either the database or an open transaction: every repository function takes one. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface AppContext {
  db: Db;
  clock: Clock;
  log: Logger;
  services: Services;
}

/** Runs fn in a transaction, or inside the caller's transaction if it already has one. */
export async function inTransaction<T>(exec: Executor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (exec.isTransaction) return fn(exec as Transaction<Database>);
  return exec.transaction().execute(fn);
}
