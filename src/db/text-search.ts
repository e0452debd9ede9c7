import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, DialectName } from './connection.js';
import { escapeLike, recordNumber } from '../server/http/text.js';

// Substring search over the search_text columns: the one place where the dialects differ.
// SQLite: the FTS5 trigram table beside each table (`<table>_fts`, migration 015) answers a GLOB
// pattern from its index when the needle has three characters or more (shorter ones read every
// row); GLOB rather than LIKE because an ESCAPE clause would keep FTS5 from using its index. The
// index is written in batches (migration 019, sqlite-search-flusher.ts): the rows written since the
// last flush are noted in `<table>_fts_pending` and matched by their own text instead.
// PostgreSQL: LIKE on the column, answered by its pg_trgm GIN index.
// The app lower-cases both sides (search_text is stored lower-cased; SQLite's folding is ASCII-only).

/** The tables with a search_text column and, on SQLite, an FTS5 index beside them. */
export const SEARCH_TABLES = ['deals', 'contacts', 'companies', 'leads'] as const;
export type SearchTable = (typeof SEARCH_TABLES)[number];

/** A GLOB pattern that matches `s` literally: `*`, `?` and `[` each in a bracket expression. */
const globLiteral = (s: string): string => s.replace(/[*?[]/g, (c) => `[${c}]`);

/**
 * `select id …` of the rows of `table` whose search_text contains any of the needles (lower-cased).
 * On SQLite the index spans workspaces: the caller keeps its own `workspace_id` condition.
 */
export function idsContaining(dialect: DialectName, table: SearchTable, workspaceId: number, needles: string[]): RawBuilder<{ id: number }> {
  if (needles.length === 0) throw new Error('idsContaining needs a needle');
  const one = (n: string) => {
    if (dialect === 'postgres') return sql`select id from ${sql.table(table)} where workspace_id = ${workspaceId} and search_text like ${`%${escapeLike(n)}%`}`;
    // the index for the rows it is up to date for, the rows noted since the last flush by their own text
    const pattern = `*${globLiteral(n)}*`;
    const pending = sql.table(`${table}_fts_pending`);
    return sql`select rowid as id from ${sql.table(`${table}_fts`)} where search_text glob ${pattern} and rowid not in (select id from ${pending})
      union select p.id from ${pending} p cross join ${sql.table(table)} r on r.id = p.id where r.search_text glob ${pattern}`;
  };
  return sql<{ id: number }>`${sql.join(needles.map(one), sql` union `)}`;
}

/** The record a search names by its number (`123`, `#123`, `№ 123`) as a `select id`, or none. */
export function numberedId(q: string): RawBuilder<{ id: number }>[] {
  const n = recordNumber(q);
  return n === null ? [] : [sql<{ id: number }>`select cast(${n} as integer) as id`];
}

/**
 * `<idColumn> in (a union b …)`: one semi-join on the primary key whichever way a row matched,
 * rather than an OR of subqueries, which PostgreSQL can only answer by reading every row.
 */
export function idIn(idColumn: string, parts: RawBuilder<{ id: number }>[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(idColumn)} in (${sql.join(parts, sql` union `)})`;
}

/** Up to this many matching ids are read once and handed on as a list; more stay a subquery. */
let matchesReadOnce = 2000;

/** For tests: the other branch of idInOnce on small data (0 = always the subquery). */
export function setMatchesReadOnce(n: number): number {
  const before = matchesReadOnce;
  matchesReadOnce = n;
  return before;
}

/**
 * `<table>.id in (a union b …)` for a read that runs several queries under the same condition
 * (the board: its counts and each column): the matching ids of the workspace are read once, and
 * when they are few (a phone, an e-mail, a number, a name) the queries get them as one bound list
 * instead of each searching the indexes again. Many matches keep the subquery (idIn).
 */
export async function idInOnce(db: Db, table: SearchTable, workspaceId: number, parts: RawBuilder<{ id: number }>[]): Promise<RawBuilder<SqlBool>> {
  const idColumn = `${table}.id`;
  const { rows } = await sql<{ id: number }>`select m.id from (${sql.join(parts, sql` union `)}) m
    join ${sql.table(table)} w on w.id = m.id where w.workspace_id = ${workspaceId} limit ${matchesReadOnce + 1}`.execute(db.kysely);
  if (rows.length > matchesReadOnce) return idIn(idColumn, parts);
  if (rows.length === 0) return sql<SqlBool>`1 = 0`;
  const ids = rows.map((r) => Number(r.id));
  return db.dialect === 'sqlite'
    ? sql<SqlBool>`${sql.ref(idColumn)} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<SqlBool>`${sql.ref(idColumn)} = any(cast(${ids} as integer[]))`;
}
