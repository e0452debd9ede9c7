import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './connection.js';
import type { CheckpointResult } from './sqlite-checkpointer.js';

describe('background WAL checkpoints of a SQLite file', () => {
  let db: Db | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voronka-checkpoint-'));
  afterEach(async () => {
    await db?.close();
    db = null;
  });

  it('copies the WAL into the database file from its own thread, and leaves the writer a fallback', async () => {
    const file = path.join(dir, 'a.db');
    db = openDb(`sqlite:${file}`, { backgroundCheckpoint: true });
    expect(db.checkpointer).toBeDefined();
    const errors: string[] = [];
    db.checkpointer!.onError = (m) => errors.push(m);
    const done = new Promise<CheckpointResult>((resolve) => {
      db!.checkpointer!.onCheckpoint = (r) => r.checkpointed === r.log && resolve(r);
    });
    // the writer itself checkpoints only past the fallback size (the default would be 1000 pages)
    expect((await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely)).rows[0]!.wal_autocheckpoint).toBe(10_000);
    await sql`create table t (id integer primary key, v text)`.execute(db.kysely);
    for (let i = 0; i < 50; i++) await sql`insert into t (v) values (${'x'.repeat(500)})`.execute(db.kysely);
    const r = await done;
    expect(r.log).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    // what the thread wrote into the file is the writer's data, read by a third connection
    const other = new SqliteDatabase(file, { readonly: true });
    expect(other.prepare('select count(*) as n from t').get()).toEqual({ n: 50 });
    other.close();
  });

  it('is not started for :memory: nor unless asked, and its thread ends with the connection', async () => {
    const memory = openDb(':memory:', { backgroundCheckpoint: true });
    expect(memory.checkpointer).toBeUndefined();
    await memory.close();
    const plain = openDb(`sqlite:${path.join(dir, 'b.db')}`);
    expect(plain.checkpointer).toBeUndefined();
    await plain.close();
    db = openDb(`sqlite:${path.join(dir, 'c.db')}`, { backgroundCheckpoint: true });
    await db.close(); // resolves only once the thread has exited
    await db.checkpointer!.close(); // a second close is harmless
    db = null;
  });
});
