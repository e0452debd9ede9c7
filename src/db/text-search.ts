import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from './connection.js';
import { escapeLike, recordNumber } from '../server/http/text.js';

// Substring search over the search_text columns: the one place where the dialects differ.
// SQLite: the FTS5 trigram table beside each table (`<table>_fts`, migration 014) answers a GLOB
// pattern from its index when the needle has three characters or more (shorter ones read every
// row); GLOB rather than LIKE because an ESCAPE clause would keep FTS5 from using its index.
// PostgreSQL: LIKE on the column, answered by its pg_trgm GIN index.
// The app lower-cases both sides (search_text is stored lower-cased; SQLite's folding is ASCII-only).

export type SearchTable = 'deals' | 'contacts' | 'companies' | 'leads';

/** A GLOB pattern that matches `s` literally: `*`, `?` and `[` each in a bracket expression. */
const globLiteral = (s: string): string => s.replace(/[*?[]/g, (c) => `[${c}]`);

/**
 * `select id …` of the rows of `table` whose search_text contains any of the needles (lower-cased).
 * On SQLite the index spans workspaces: the caller keeps its own `workspace_id` condition.
 */
export function idsContaining(dialect: DialectName, table: SearchTable, workspaceId: number, needles: string[]): RawBuilder<{ id: number }> {
  if (needles.length === 0) throw new Error('idsContaining needs a needle');
  const one = (n: string) =>
    dialect === 'sqlite'
      ? sql`select rowid as id from ${sql.table(`${table}_fts`)} where search_text glob ${`*${globLiteral(n)}*`}`
      : sql`select id from ${sql.table(table)} where workspace_id = ${workspaceId} and search_text like ${`%${escapeLike(n)}%`}`;
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
