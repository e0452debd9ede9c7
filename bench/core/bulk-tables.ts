// The tables the generator writes: their columns (with the PostgreSQL array types of the
// unnest() insert), the columns later migrations add, and the schema look-ups the load needs.
import type { RawConn, TableSpec } from './sql-conn.js';

const col = (name: string, pg: TableSpec['columns'][number]['pg']) => ({ name, pg });
const AUDIT = [col('created_at', 'timestamptz'), col('updated_at', 'timestamptz'), col('version', 'int4')];

export const SPEC = {
  companies: {
    table: 'companies',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('name', 'text'), col('type_id', 'int4'), col('industry_id', 'int4'), col('website', 'text'), col('address', 'text'), col('requisites', 'text'), col('responsible_id', 'int4'), col('created_by_id', 'int4'), col('custom', 'text'), col('search_text', 'text'), ...AUDIT, col('name_key', 'text')],
  },
  contacts: {
    table: 'contacts',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('first_name', 'text'), col('last_name', 'text'), col('middle_name', 'text'), col('position', 'text'), col('type_id', 'int4'), col('source_id', 'int4'), col('responsible_id', 'int4'), col('created_by_id', 'int4'), col('custom', 'text'), col('search_text', 'text'), ...AUDIT, col('name_key', 'text')],
  },
  contact_companies: {
    table: 'contact_companies',
    columns: [col('workspace_id', 'int4'), col('contact_id', 'int4'), col('company_id', 'int4')],
  },
  communications: {
    table: 'communications',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('entity_type', 'text'), col('entity_id', 'int4'), col('kind', 'text'), col('type', 'text'), col('value', 'text'), col('normalized', 'text'), col('sort', 'int4')],
  },
  deals: {
    table: 'deals',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('title', 'text'), col('pipeline_id', 'int4'), col('stage_id', 'int4'), col('stage_semantic', 'text'), col('position', 'text'), col('amount', 'int8'), col('currency', 'text'), col('responsible_id', 'int4'), col('created_by_id', 'int4'), col('company_id', 'int4'), col('contact_id', 'int4'), col('source_id', 'int4'), col('loss_reason_id', 'int4'), col('close_date', 'text'), col('tags', 'text'), col('closed', 'int4'), col('closed_at', 'timestamptz'), col('stage_changed_at', 'timestamptz'), col('next_activity_id', 'int4'), col('next_activity_deadline', 'timestamptz'), col('custom', 'text'), col('search_text', 'text'), ...AUDIT],
  },
  deal_contacts: {
    table: 'deal_contacts',
    columns: [col('workspace_id', 'int4'), col('deal_id', 'int4'), col('contact_id', 'int4'), col('is_primary', 'int4'), col('sort', 'int4')],
  },
  deal_stage_history: {
    table: 'deal_stage_history',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('deal_id', 'int4'), col('pipeline_id', 'int4'), col('stage_id', 'int4'), col('stage_semantic', 'text'), col('entered_at', 'timestamptz'), col('entered_by_id', 'int4')],
  },
  activities: {
    table: 'activities',
    columns: [col('id', 'int4'), col('workspace_id', 'int4'), col('type', 'text'), col('subject', 'text'), col('start_at', 'timestamptz'), col('deadline_at', 'timestamptz'), col('responsible_id', 'int4'), col('created_by_id', 'int4'), col('entity_type', 'text'), col('entity_id', 'int4'), col('status', 'text'), col('result', 'text'), col('completed_at', 'timestamptz'), col('completed_by_id', 'int4'), col('direction', 'text'), ...AUDIT],
  },
} satisfies Record<string, TableSpec>;
export type TableName = keyof typeof SPEC;
/** Columns later migrations add: written when the table has them, dropped from the rows otherwise. */
export const OPTIONAL_COLUMNS: Partial<Record<TableName, string[]>> = { companies: ['name_key'], contacts: ['name_key'] };

/** The case-insensitive name key, as src/modules/contacts computes it. */
export const nameKey = (parts: Array<string | null>): string =>
  parts
    .map((p) => (p ?? '').trim().toLowerCase().replace(/ё/g, 'е'))
    .filter((p) => p !== '')
    .join(' ')
    .slice(0, 500);
/** search_text: the non-empty parts, trimmed, lower-cased, space-separated (as the modules build it). */
export const searchText = (parts: Array<string | null | undefined>): string =>
  parts
    .filter((p): p is string => !!p && p.trim() !== '')
    .map((p) => p.trim().toLowerCase())
    .join(' ')
    .slice(0, 2000);

export interface IndexDef {
  table: TableName;
  name: string;
  sql: string;
}

/**
 * Secondary (non-unique, non-constraint) indexes of the bulk tables, exactly as the migrations
 * made them. They are dropped for the load and re-created from these definitions afterwards:
 * building an index once is several times faster than maintaining it row by row (above all the
 * trigram GIN indexes on PostgreSQL).
 */
export async function secondaryIndexes(conn: RawConn, table: TableName): Promise<IndexDef[]> {
  const rows =
    conn.dialect === 'sqlite'
      ? await conn.query<{ name: string; def: string }>(
          "select name, sql as def from sqlite_master where type = 'index' and tbl_name = ? and sql is not null and sql not like 'CREATE UNIQUE%'",
          [table],
        )
      : await conn.query<{ name: string; def: string }>(
          `select i.indexname as name, i.indexdef as def from pg_indexes i
           where i.schemaname = current_schema() and i.tablename = ? and i.indexdef not like 'CREATE UNIQUE%'
             and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
          [table],
        );
  return rows.map((r) => ({ table, name: r.name, sql: r.def }));
}

/** SQLite: the triggers that keep the FTS5 search tables (`<table>_fts`, migration 015) in step; none on PostgreSQL. */
export async function searchIndexTriggers(conn: RawConn): Promise<Array<{ name: string; table: string; sql: string }>> {
  if (conn.dialect !== 'sqlite') return [];
  const rows = await conn.query<{ name: string; tbl_name: string; sql: string }>("select name, tbl_name, sql from sqlite_master where type = 'trigger' and name like '%\\_fts\\_%' escape '\\'");
  return rows.map((r) => ({ name: r.name, table: r.tbl_name, sql: r.sql }));
}

export async function existingColumns(conn: RawConn, table: string): Promise<Set<string>> {
  const rows =
    conn.dialect === 'sqlite'
      ? await conn.query<{ name: string }>(`select name from pragma_table_info('${table}')`)
      : await conn.query<{ name: string }>("select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ?", [table]);
  return new Set(rows.map((r) => r.name));
}
export const TABLES_WITH_IDS: TableName[] = ['companies', 'contacts', 'communications', 'deals', 'deal_stage_history', 'activities'];
