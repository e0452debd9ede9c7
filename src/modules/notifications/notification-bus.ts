import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../db/connection.js';
import type { Listener } from '../../db/pg-listen.js';
import type { Executor } from '../../server/context.js';

// "A user's notifications changed": how the live streams (notification-stream.ts) learn that
// they should send a new unread count.
//
// - SQLite (one process): the signal is published at once. A stream then reads the count through
//   the one connection, which the writing transaction holds until it commits, so the read sees
//   the committed rows (and a rolled-back change only re-sends nothing: the count is unchanged).
// - PostgreSQL (several processes): the signal is a NOTIFY sent in the writer's transaction;
//   PostgreSQL delivers it after the commit (never for a rollback) to every process that
//   LISTENs on the channel, this one included. A process listens only while it has streams open.

export const CHANNEL = 'voronka_notifications';
/** NOTIFY payloads must stay under 8000 bytes */
const IDS_PER_PAYLOAD = 500;

type Callback = () => void;

export class NotificationBus {
  private readonly subscribers = new Map<string, Set<Callback>>();
  private listener: Promise<Listener> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  private static key(workspaceId: number, userId: number): string {
    return `${workspaceId}:${userId}`;
  }

  /** Signals, in the writer's transaction, that these users' notifications changed. */
  async signal(exec: Executor, workspaceId: number, userIds: number[]): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return;
    if (!this.db.listen) {
      this.deliver(workspaceId, unique);
      return;
    }
    for (let i = 0; i < unique.length; i += IDS_PER_PAYLOAD) {
      const payload = `${workspaceId}:${unique.slice(i, i + IDS_PER_PAYLOAD).join(',')}`;
      await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(exec);
    }
  }

  /**
   * Calls `fn` whenever the user's notifications may have changed. Resolves once the signals
   * are being received (on PostgreSQL: LISTEN is in effect), so a change after it is not missed.
   */
  async subscribe(workspaceId: number, userId: number, fn: Callback): Promise<() => void> {
    const key = NotificationBus.key(workspaceId, userId);
    let set = this.subscribers.get(key);
    if (!set) this.subscribers.set(key, (set = new Set()));
    set.add(fn);
    const unsubscribe = () => {
      const s = this.subscribers.get(key);
      s?.delete(fn);
      if (s && s.size === 0) this.subscribers.delete(key);
    };
    try {
      await this.ensureListening();
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  private ensureListening(): Promise<unknown> {
    if (!this.db.listen) return Promise.resolve();
    if (!this.listener) {
      this.listener = this.db.listen(CHANNEL, {
        onMessage: (payload) => this.onPayload(payload),
        // messages may have been lost while disconnected: every stream re-reads its count
        onReconnect: () => this.deliverAll(),
        onError: (err) => this.log.warn({ err }, 'notifications: LISTEN connection error'),
      });
      this.listener.catch(() => {
        this.listener = null;
      });
    }
    return this.listener;
  }

  private onPayload(payload: string): void {
    const m = /^(\d+):([\d,]+)$/.exec(payload);
    if (!m) return;
    this.deliver(Number(m[1]), m[2]!.split(',').map(Number));
  }

  private deliver(workspaceId: number, userIds: number[]): void {
    for (const userId of userIds) {
      for (const fn of this.subscribers.get(NotificationBus.key(workspaceId, userId)) ?? []) fn();
    }
  }

  private deliverAll(): void {
    for (const set of this.subscribers.values()) for (const fn of set) fn();
  }

  /** Stops listening (server shutdown). */
  async close(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    if (l) await (await l.catch(() => null))?.close();
  }
}
