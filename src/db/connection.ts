import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent, type PostgresCursor, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Database } from './schema.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { pgListen, type ListenHandlers, type Listener } from './pg-listen.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** SQLite file opened with `backgroundCheckpoint`: the thread that checkpoints its WAL */
  checkpointer?: Checkpointer;
  /** PostgreSQL only: LISTEN on a connection of its own (pg-listen.ts) */
  listen?(channel: string, handlers: ListenHandlers): Promise<Listener>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: connections in the pool (default 10) */
  poolSize?: number;
  onIdleError?: (err: Error) => void;
  /** every statement's SQL text as it is sent (bench/core/profile-creates.ts lists a create's) */
  onQuery?: (sql: string) => void;
  /**
   * SQLite file: WAL checkpoints in a worker thread instead of inside a commit on the event loop
   * (sqlite-checkpointer.ts); the server's connection sets it, one-off commands need not.
   */
  backgroundCheckpoint?: boolean;
}

let pgParsersInstalled = false;

/** pg returns int8 as strings and times as Date objects; the app wants numbers and ISO strings. */
function installPgTypeParsers(): void {
  if (pgParsersInstalled) return;
  pgParsersInstalled = true;
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1082, (v) => v);
  const toIso = (v: string) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();
  pg.types.setTypeParser(1184, toIso);
  pg.types.setTypeParser(1114, (v) => toIso(v + 'Z'));
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Opens the database named by `url`: a postgres:// URL, or a SQLite file path
 * (`sqlite:./data/voronka.db`, a plain path, or `:memory:`).
 */
export function openDb(url: string, opts: OpenOptions = {}): Db {
  const onQuery = opts.onQuery;
  const log = onQuery
    ? (e: LogEvent) => {
        if (e.level === 'query') onQuery(e.query.sql);
      }
    : undefined;
  if (isPostgresUrl(url)) {
    installPgTypeParsers();
    // plan_cache_mode: the named statements below save parsing; every execution is still planned
    // for its values, as an unnamed statement would be (no generic plan for skewed columns)
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, options: '-c TimeZone=UTC -c plan_cache_mode=force_custom_plan' });
    // An idle connection the server closes (restart, failover, a dropped database) is removed
    // from the pool by pg itself; without a listener its 'error' event would crash the process.
    pool.on('error', (err) => opts.onIdleError?.(err));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }), log });
    return { kysely, dialect: 'postgres', listen: (channel, handlers) => pgListen(url, channel, handlers), close: () => kysely.destroy() };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  let checkpointer: Checkpointer | undefined;
  if (opts.backgroundCheckpoint && file !== ':memory:') {
    // the writer checkpoints itself only if the thread falls this far behind (~40 MB of WAL)
    sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path.resolve(file));
  }
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), log });
  return {
    kysely,
    dialect: 'sqlite',
    checkpointer,
    close: async () => {
      await kysely.destroy();
      await checkpointer?.close();
    },
  };
}

const STATEMENT_CACHE_SIZE = 1000;
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
const STAR_COLUMNS = /\*/;

/**
 * PostgreSQL's twin of the statement cache below: a statement with parameters is sent as a named
 * prepared statement (pg prepares it once per connection, then only binds values), so the server
 * does not parse the same text again on every request. Names are a hash of the text; at most
 * STATEMENT_CACHE_SIZE texts get one (each costs a little memory on every connection), the rest
 * go unnamed as before. Statements without parameters (begin, commit) stay simple queries, and so
 * do those whose columns are `*` (select *, "d".*, returning *): a prepared statement fails with
 * "cached plan must not change result type" once a migration adds a column to its table, which a
 * server still running beside a newer one must survive; a named column list does not change.
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (name === undefined && names.size < STATEMENT_CACHE_SIZE) {
      name = STAR_COLUMNS.test(text.replaceAll('count(*)', '')) ? '' : `v${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return name || undefined;
  };
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = {
          query: ((textOrCursor: string | PostgresCursor<unknown>, parameters?: unknown[]) => {
            if (typeof textOrCursor !== 'string') return client.query(textOrCursor as never);
            const name = parameters?.length ? nameOf(textOrCursor) : undefined;
            return name ? client.query({ name, text: textOrCursor, values: parameters }) : client.query(textOrCursor, parameters);
          }) as unknown as PostgresPoolClient['query'],
          // Kysely passes true for a connection it gave up on (a failed rollback): pg then closes it
          release: ((destroy?: boolean) => client.release(destroy)) as PostgresPoolClient['release'],
        };
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

/**
 * Kysely prepares every query anew, and preparing is a tenth of a deal create's CPU time on
 * SQLite. The app builds the same SQL text over and over (values are bound parameters), so
 * prepared statements are reused by their text. Safe because Kysely runs one query at a time
 * on its single SQLite connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}
