import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrate.js';

// Substring search (`q`) answered from an index at a million deals, on both databases; the
// queries are in src/db/text-search.ts.
// - SQLite: beside deals, contacts, companies and leads an FTS5 table with the trigram tokenizer
//   over their search_text (`<table>_fts`). External content: it stores only the index, the text
//   stays in the table; detail=none keeps the index small (the GLOB the queries use is checked
//   against the row anyway). Triggers keep it in step with every insert, delete and change of
//   search_text, whatever path writes (API, recycle-bin restore, merges, bulk loads).
// - PostgreSQL: the pg_trgm GIN indexes on search_text answer `like '%…%'`; migration 001 made
//   them, created here too (if missing) so that this migration alone states what search needs.
// A deal's search_text now holds its title only: the names, phones and e-mails of its contacts
// and its company are matched through its links when searching (the contacts' and companies'
// own search_text), so a rename, a new phone, a merge or a contact in the recycle bin shows at
// once. Existing deals are rewritten to their title (they carried their contacts' names as they
// were when the deal was last saved).

const TABLES = ['deals', 'contacts', 'companies', 'leads'] as const;
const BATCH = 1000;

/** A deal's search_text: its title, trimmed and lower-cased in JS (SQLite's lower() is ASCII-only). */
const dealSearchText = (title: string): string => title.trim().toLowerCase().slice(0, 2000);

export async function up(db: Kysely<any>, ctx: MigrationContext): Promise<void> {
  await titleOnly(db);
  if (ctx.dialect === 'postgres') {
    await sql`create extension if not exists pg_trgm`.execute(db);
    for (const t of TABLES) await sql.raw(`create index if not exists ${t}_search_trgm on ${t} using gin (search_text gin_trgm_ops)`).execute(db);
    return;
  }
  for (const t of TABLES) {
    const fts = `${t}_fts`;
    await sql.raw(`create virtual table ${fts} using fts5(search_text, content='${t}', content_rowid='id', tokenize='trigram', detail='none')`).execute(db);
    const add = `insert into ${fts} (rowid, search_text) values (new.id, new.search_text);`;
    const remove = `insert into ${fts} (${fts}, rowid, search_text) values ('delete', old.id, old.search_text);`;
    await sql.raw(`create trigger ${fts}_insert after insert on ${t} begin ${add} end`).execute(db);
    await sql.raw(`create trigger ${fts}_delete after delete on ${t} begin ${remove} end`).execute(db);
    await sql.raw(`create trigger ${fts}_update after update of search_text on ${t} when old.search_text is not new.search_text begin ${remove} ${add} end`).execute(db);
    await sql.raw(`insert into ${fts} (${fts}) values ('rebuild')`).execute(db);
  }
}

/** Rewrites deals.search_text to the title, a thousand rows per statement (before the triggers exist). Exported for its test. */
export async function titleOnly(db: Kysely<any>): Promise<void> {
  for (let after = 0; ; ) {
    const rows: Array<{ id: number; title: string; search_text: string }> = await db
      .selectFrom('deals')
      .select(['id', 'title', 'search_text'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!.id);
    const changed = rows.map((r) => ({ id: Number(r.id), text: dealSearchText(r.title) })).filter((r, i) => r.text !== rows[i]!.search_text);
    if (changed.length === 0) continue;
    await sql`update deals set search_text = case id ${sql.join(
      changed.map((c) => sql`when ${c.id} then ${c.text}`),
      sql` `,
    )} end where id in (${sql.join(changed.map((c) => c.id))})`.execute(db);
  }
}
