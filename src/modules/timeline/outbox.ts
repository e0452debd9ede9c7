import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

// The outbox: the timeline's rows read in commit order by consumers that must see every event
// exactly once (the automation engine). Why commit order needs the transaction id on PostgreSQL
// is in migration 020. A consumer's position moves in the same transaction as what it does with
// a batch, so a crash between the two repeats nothing and loses nothing; two processes running
// the same consumer take turns on its cursor row.

/** A position in the outbox: after this transaction (PostgreSQL; null on SQLite) and row id. */
export interface OutboxPosition {
  tx: string | null;
  id: number;
}

export interface OutboxEvent {
  id: number;
  workspaceId: number;
  entityType: string;
  entityId: number;
  kind: string;
  authorId: number | null;
  createdAt: string;
  data: Record<string, unknown>;
  /** where the consumer stands once it has handled this event */
  position: OutboxPosition;
}

export const OUTBOX_START: OutboxPosition = { tx: null, id: 0 };

interface Row {
  id: number;
  workspace_id: number;
  entity_type: string;
  entity_id: number;
  kind: string;
  author_id: number | null;
  created_at: string;
  data: string;
  tx: string | null;
}

/**
 * Up to `limit` events after `after` whose transactions have committed, in commit order. On
 * PostgreSQL an event of a transaction still running (or of one that started before a running
 * one) waits for a later read rather than being passed over for good.
 */
export async function readCommitted(exec: Executor, dialect: Db['dialect'], after: OutboxPosition, limit: number): Promise<OutboxEvent[]> {
  const cols = sql`id, workspace_id, entity_type, entity_id, kind, author_id, created_at, data`;
  const { rows } =
    dialect === 'postgres'
      ? await sql<Row>`select ${cols}, tx_id::text as tx from timeline_entries
          where (tx_id, id) > (cast(${after.tx ?? '0'} as xid8), ${after.id})
            and tx_id < pg_snapshot_xmin(pg_current_snapshot())
          order by tx_id, id limit ${limit}`.execute(exec)
      : await sql<Row>`select ${cols}, null as tx from timeline_entries where id > ${after.id} order by id limit ${limit}`.execute(exec);
  return rows.map((r) => ({
    id: Number(r.id),
    workspaceId: Number(r.workspace_id),
    entityType: r.entity_type,
    entityId: Number(r.entity_id),
    kind: r.kind,
    authorId: r.author_id === null ? null : Number(r.author_id),
    createdAt: r.created_at,
    data: JSON.parse(r.data) as Record<string, unknown>,
    position: { tx: r.tx, id: Number(r.id) },
  }));
}

export type OutboxHandler = (trx: Transaction<Database>, events: OutboxEvent[]) => Promise<void>;

/**
 * One named consumer of the outbox. `poll()` handles the next batch: it locks the consumer's
 * cursor row (PostgreSQL; SQLite's write lock does the same), reads the events after it, hands
 * them to the handler inside that transaction and moves the cursor past them. An error in the
 * handler rolls the whole batch back, cursor included, so the batch comes again.
 */
export class OutboxConsumer {
  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly handle: OutboxHandler,
    private readonly now: () => string,
    /** after a batch was handled and committed (e.g. to wake the job worker for the jobs it enqueued) */
    private readonly afterCommit: () => void = () => undefined,
  ) {}

  /** The events handled, 0 when the outbox had nothing new. */
  async poll(limit = 500): Promise<number> {
    const n = await inTransaction(this.db.kysely, async (trx) => {
      const at = await this.lockCursor(trx);
      const events = await readCommitted(trx, this.db.dialect, at, limit);
      if (events.length === 0) return 0;
      await this.handle(trx, events);
      const last = events[events.length - 1]!.position;
      await trx
        .updateTable('outbox_cursors')
        .set({ tx_id: last.tx, last_id: last.id, updated_at: this.now() })
        .where('consumer', '=', this.name)
        .execute();
      return events.length;
    });
    if (n > 0) this.afterCommit();
    return n;
  }

  /**
   * How many entries lie after the consumer's position, committed and readable or not yet (on
   * PostgreSQL an entry waits while an older transaction anywhere on the server is still open):
   * 0 means it has handled everything written so far.
   */
  async behind(exec: Executor = this.db.kysely): Promise<number> {
    const at = await this.position(exec);
    const { rows } =
      this.db.dialect === 'postgres'
        ? await sql<{ n: string }>`select count(*) as n from timeline_entries where (tx_id, id) > (cast(${at.tx ?? '0'} as xid8), ${at.id})`.execute(exec)
        : await sql<{ n: string }>`select count(*) as n from timeline_entries where id > ${at.id}`.execute(exec);
    return Number(rows[0]?.n ?? 0);
  }

  /** Handles every batch there is now; the number of events handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.poll(); n > 0; n = await this.poll()) total += n;
    return total;
  }

  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<unknown> | null = null;

  /** Drains every `intervalMs` until stopped, one drain at a time; a failed one is reported and its batch comes again. */
  start(intervalMs: number, onError: (message: string) => void): void {
    this.timer = setInterval(() => {
      if (this.draining) return;
      this.draining = this.drain()
        .catch((err: Error) => onError(err.message))
        .finally(() => (this.draining = null));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops polling; resolves once a drain in progress has ended. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Where the consumer stands (created at the start of the outbox on first use). */
  async position(exec: Executor = this.db.kysely): Promise<OutboxPosition> {
    const row = await exec.selectFrom('outbox_cursors').select(['tx_id', 'last_id']).where('consumer', '=', this.name).executeTakeFirst();
    return row ? { tx: row.tx_id, id: Number(row.last_id) } : OUTBOX_START;
  }

  private async lockCursor(trx: Transaction<Database>): Promise<OutboxPosition> {
    // the insert takes SQLite's write lock at once, so two SQLite processes do not both read the same batch
    await trx
      .insertInto('outbox_cursors')
      .values({ consumer: this.name, tx_id: null, last_id: 0, updated_at: this.now() })
      .onConflict((oc) => oc.column('consumer').doNothing())
      .execute();
    let q = trx.selectFrom('outbox_cursors').select(['tx_id', 'last_id']).where('consumer', '=', this.name);
    if (this.db.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirstOrThrow();
    return { tx: row.tx_id, id: Number(row.last_id) };
  }
}
