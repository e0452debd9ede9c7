import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Cursor, SortSpec } from '../server/http/list-query.js';

/**
 * Keyset pagination: rows after the cursor in (sort column, id) order. The row-value
 * comparison works on SQLite and PostgreSQL and lets both walk a (…, column, id) index.
 */
export function afterCursor(sort: SortSpec, cursor: Cursor, idColumn: string): RawBuilder<SqlBool> {
  const op = sql.raw(sort.dir === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${sql.ref(sort.column)}, ${sql.ref(idColumn)}) ${op} (${cursor.v}, ${cursor.id})`;
}
