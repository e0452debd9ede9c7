import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// SQLite: the FTS5 search tables of migration 015 are written in batches instead of row by row.
// FTS5 turns each transaction's index changes into a new segment when it commits, and merges
// segments as they pile up: on a deal create that was about a third of the commit's cost (at 1M
// deals, ~270 µs of ~900 µs of SQLite time, bench/core/create-cost.ts). Now the triggers only note
// the row in `<table>_fts_pending` (with the text the index holds for it, if any); the server
// moves the noted rows into the index a few times a second in one transaction
// (src/db/sqlite-search-flusher.ts), and every close of the database does too. Search reads the
// index for the rows not noted and the noted rows themselves (src/db/text-search.ts), so a record
// is found the moment it is written, as before.
//
// The invariant: for a row not in `<table>_fts_pending` the index holds its current search_text;
// for a noted row `indexed_text` is what the index holds (null: nothing). A second change before
// the flush keeps the first note, whose `indexed_text` is still what the index holds.
// PostgreSQL: nothing (its pg_trgm GIN indexes already gather changes in their pending list).

// the tables of migration 015, as they were then (the app's list is text-search.ts's SEARCH_TABLES)
const TABLES = ['deals', 'contacts', 'companies', 'leads'] as const;

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== 'sqlite') return;
  for (const t of TABLES) {
    const fts = `${t}_fts`;
    const pending = `${fts}_pending`;
    await sql.raw(`create table ${pending} (id integer primary key, indexed_text text)`).execute(db);
    for (const op of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${fts}_${op}`).execute(db);
    const note = (indexed: string) => `insert into ${pending} (id, indexed_text) values (${indexed}) on conflict (id) do nothing;`;
    await sql.raw(`create trigger ${fts}_insert after insert on ${t} begin ${note('new.id, null')} end`).execute(db);
    await sql.raw(`create trigger ${fts}_delete after delete on ${t} begin ${note('old.id, old.search_text')} end`).execute(db);
    await sql
      .raw(`create trigger ${fts}_update after update of search_text on ${t} when old.search_text is not new.search_text begin ${note('old.id, old.search_text')} end`)
      .execute(db);
  }
}
