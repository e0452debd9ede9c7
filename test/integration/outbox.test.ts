import { sql, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { OutboxConsumer, readCommitted, OUTBOX_START, type OutboxEvent } from '../../src/modules/timeline/outbox.js';
import { createTestDb, testDialects, type TestDb } from '../support/test-db.js';

// The outbox (the timeline's rows read in commit order, src/modules/timeline/outbox.ts): every
// committed event reaches a consumer exactly once, whatever the order in which concurrent
// transactions commit; events of rolled-back transactions never do; a consumer's position moves
// with what it does, and two processes running one consumer share the work without repeating it.

const NOW = '2026-03-02T09:00:00.000Z';

describe.each(testDialects())('outbox on %s', (dialect) => {
  let t: TestDb;
  let workspaceId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const ws = await t.db.kysely
      .insertInto('workspaces')
      .values({ name: 'Outbox', created_at: NOW, updated_at: NOW } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    workspaceId = Number(ws.id);
  });
  afterAll(() => t?.destroy());

  /** One event in a transaction of its own; `between` runs inside it before the commit, `fail` rolls it back. */
  async function write(db: Db, opts: { between?: (trx: Transaction<Database>) => Promise<void>; fail?: boolean } = {}): Promise<number | null> {
    const n = ++seq;
    try {
      return await db.kysely.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('timeline_entries')
          .values({ workspace_id: workspaceId, entity_type: 'deal', entity_id: n, kind: 'comment', author_id: null, created_at: NOW, data: JSON.stringify({ n }) })
          .returning('id')
          .executeTakeFirstOrThrow();
        await opts.between?.(trx);
        if (opts.fail) throw new Error('rolled back on purpose');
        return Number(row.id);
      });
    } catch (err) {
      if ((err as Error).message === 'rolled back on purpose') return null;
      throw err;
    }
  }

  const consumer = (db: Db, name: string, seen: number[]) =>
    new OutboxConsumer(db, name, async (_trx, events: OutboxEvent[]) => void seen.push(...events.map((e) => e.id)), () => NOW);

  const drain = async (c: OutboxConsumer) => {
    while ((await c.poll(50)) > 0);
  };

  it('hands each event on once, in order, and keeps its position', async () => {
    const ids = [await write(t.db), await write(t.db), await write(t.db)];
    const seen: number[] = [];
    const c = consumer(t.db, 'order', seen);
    await drain(c);
    expect(seen).toEqual(ids);
    const again: number[] = [];
    await drain(consumer(t.db, 'order', again)); // the same consumer, started anew
    expect(again).toEqual([]);
    const later = await write(t.db);
    await drain(c);
    expect(seen).toEqual([...ids, later]);
    expect((await c.position()).id).toBe(later);
  });

  it('a failing handler moves nothing: the batch comes again', async () => {
    const id = await write(t.db);
    let fail = true;
    const seen: number[] = [];
    const c = new OutboxConsumer(
      t.db,
      'failing',
      async (trx, events) => {
        // a write of the handler, rolled back with the batch when it fails
        await trx.insertInto('outbox_cursors').values({ consumer: `effect-${events[0]!.id}`, tx_id: null, last_id: 0, updated_at: NOW }).execute();
        if (fail) throw new Error('handler failed');
        seen.push(...events.map((e) => e.id));
      },
      () => NOW,
    );
    await expect(c.poll()).rejects.toThrow('handler failed');
    expect(await c.position()).toEqual(OUTBOX_START);
    expect(await t.db.kysely.selectFrom('outbox_cursors').select('consumer').where('consumer', 'like', 'effect-%').execute()).toEqual([]);
    fail = false;
    while ((await c.poll(1000)) > 0);
    expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.skipIf(dialect !== 'postgres')('an event whose transaction commits after a later one’s is not skipped', async () => {
    const c = consumer(t.db, 'late-commit', []);
    await drain(c);
    const seen: number[] = [];
    const late = consumer(t.db, 'late-commit', seen);
    // the first transaction takes its id, then waits until a second one has committed and been read
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = write(t.db, { between: () => held });
    await new Promise<void>((r) => setImmediate(r));
    // make sure the first transaction has inserted before the second starts: its id is the lower one
    for (let i = 0; i < 100 && (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where state = 'idle in transaction' and datname = current_database()`.execute(t.db.kysely)).rows[0]!.n === 0; i++) {
      await new Promise<void>((r) => setImmediate(r));
    }
    const second = await write(t.db);
    await drain(late);
    expect(seen).toEqual([]); // the second is held back while the older transaction runs
    release();
    const firstId = (await first)!;
    expect(firstId).toBeLessThan(second!);
    await drain(late);
    expect(seen.sort((a, b) => a - b)).toEqual([firstId, second]);
  });

  it('many concurrent writers, some rolling back, while two processes consume: every committed event once', async () => {
    const start: number[] = [];
    await drain(consumer(t.db, 'stress', start));
    // PostgreSQL: a second pool stands for a second process. SQLite: one process writes and runs
    // the consumers (two connections in one process would wait on each other's write lock).
    const other = dialect === 'postgres' ? openDb(t.url, { poolSize: 4 }) : t.db;
    const seenA: number[] = [];
    const seenB: number[] = [];
    const a = consumer(t.db, 'stress', seenA);
    const b = consumer(other, 'stress', seenB);
    const committed: number[] = [];
    let rolledBack = 0;
    let writing = true;
    // deterministic interleavings: each transaction runs a few extra statements before it commits
    let r = 42;
    const rand = () => ((r = (r * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const writer = async (w: number) => {
      for (let i = 0; i < 150; i++) {
        const extra = Math.floor(rand() * 4);
        const fail = rand() < 0.1;
        const id = await write(w % 2 ? other : t.db, {
          fail,
          between: async (trx) => {
            for (let k = 0; k < extra; k++) await sql`select 1`.execute(trx);
          },
        });
        if (id === null) rolledBack++;
        else committed.push(id);
      }
    };
    const reader = async (c: OutboxConsumer) => {
      while (writing) await c.poll(20);
    };
    try {
      const writers = Promise.all([0, 1, 2, 3, 4, 5].map(writer)).finally(() => (writing = false));
      await Promise.all([writers, reader(a), reader(b)]);
      await drain(a);
      await drain(b);
    } finally {
      if (other !== t.db) await other.close();
    }
    const seen = [...seenA, ...seenB];
    expect(rolledBack).toBeGreaterThan(0);
    expect(seenA.length + seenB.length).toBe(new Set(seen).size); // none twice
    expect(seen.sort((x, y) => x - y)).toEqual(committed.sort((x, y) => x - y)); // none missed, none rolled back
    // two processes share the work (on SQLite one connection serves both in turn)
    if (dialect === 'postgres') expect(Math.min(seenA.length, seenB.length)).toBeGreaterThan(0);
  });

  it('readCommitted reads nothing past the end', async () => {
    const all = await readCommitted(t.db.kysely, dialect, OUTBOX_START, 100_000);
    expect(await readCommitted(t.db.kysely, dialect, all[all.length - 1]!.position, 10)).toEqual([]);
  });
});
