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
    db.pragma('cache_size = -400000'); // 400 MB
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

/** `{1,NULL,3}` or `{"a","b \\"q\\""}` from column `ci` of the rows. */
function arrayLiteral(rows: unknown[][], ci: number, numeric: boolean): string {
  let s = '{';
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][ci];
    if (r) s += ',';
    if (v === null || v === undefined) s += 'NULL';
    else if (numeric) s += String(v);
    else s += '"' + String(v).replace(/[\\"]/g, '\\$&') + '"';
  }
  return s + '}';
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
      // one statement per batch: insert … select * from unnest($1::int4[], $2::text[], …), each
      // array sent as one array literal (3× cheaper than letting pg serialise JS arrays)
      const literals = spec.columns.map((c, ci) => arrayLiteral(rows, ci, c.pg === 'int4' || c.pg === 'int8'));
      const casts = spec.columns.map((c, i) => `$${i + 1}::${c.pg}[]`).join(', ');
      await client.query(`insert into ${spec.table} (${spec.columns.map((c) => c.name).join(', ')}) select * from unnest(${casts})`, literals);
    },
    async close() {
      await client.end();
    },
  };
}
