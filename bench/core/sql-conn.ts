// A thin, driver-level connection used by the generator and the direct-SQL measurements:
// better-sqlite3 or pg, no Kysely, so that "direct SQL" really is the driver alone.
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { BenchDb, Target } from './target.js';

export interface Column {
  name: string;
  /** PostgreSQL array element type used by the unnest() bulk insert */
  pg: 'int4' | 'int8' | 'text' | 'timestamptz' | 'date';
}

export interface TableSpec {
  table: string;
  columns: Column[];
}

export interface RawConn {
  dialect: BenchDb;
  /** `?` placeholders on both databases */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
  /** inserts rows (arrays in column order); one transaction per call */
  insertMany(spec: TableSpec, rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

export interface ConnOptions {
  /** tuned for bulk loading: no fsync, no FK checks, a big cache */
  bulk?: boolean;
}

const toPgPlaceholders = (text: string): string => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

export async function openRaw(t: Target, opts: ConnOptions = {}): Promise<RawConn> {
  return t.db === 'sqlite' ? openSqlite(t.file!, opts) : openPg(t.url, opts);
}

function openSqlite(file: string, opts: ConnOptions): RawConn {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  if (opts.bulk) {
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = OFF');
    db.pragma('cache_size = -1000000');
    db.pragma('temp_store = MEMORY');
  } else {
    // the same settings as src/db/connection.ts
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
  }
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (text: string) => {
    let s = statements.get(text);
    if (!s) statements.set(text, (s = db.prepare(text)));
    return s;
  };
  return {
    dialect: 'sqlite',
    async query<T>(text: string, params: unknown[] = []) {
      const stmt = prepare(text);
      return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as T[];
    },
    async exec(text: string) {
      db.exec(text);
    },
    async insertMany(spec: TableSpec, rows: unknown[][]) {
      const cols = spec.columns.map((c) => c.name);
      const stmt = prepare(`insert into ${spec.table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
      db.transaction(() => {
        for (const row of rows) stmt.run(row);
      })();
    },
    async close() {
      db.close();
    },
  };
}

async function openPg(url: string, opts: ConnOptions): Promise<RawConn> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  if (opts.bulk) {
    await client.query('set synchronous_commit = off');
    await client.query('set maintenance_work_mem = \'512MB\'');
    try {
      // skips FK triggers during the load (the generator writes consistent data); needs a superuser
      await client.query('set session_replication_role = replica');
    } catch {
      /* not a superuser: FK checks stay on, the load is just slower */
    }
  }
  return {
    dialect: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      const r = await client.query(toPgPlaceholders(text), params);
      return r.rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    async insertMany(spec: TableSpec, rows: unknown[][]) {
      if (rows.length === 0) return;
      // one statement per batch: insert … select * from unnest($1::int4[], $2::text[], …)
      const columns: unknown[][] = spec.columns.map(() => new Array(rows.length));
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        for (let c = 0; c < columns.length; c++) columns[c][r] = row[c];
      }
      const casts = spec.columns.map((c, i) => `$${i + 1}::${c.pg}[]`).join(', ');
      await client.query(`insert into ${spec.table} (${spec.columns.map((c) => c.name).join(', ')}) select * from unnest(${casts})`, columns);
    },
    async close() {
      await client.end();
    },
  };
}
