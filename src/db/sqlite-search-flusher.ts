import { sql, type Kysely } from 'kysely';
import { SEARCH_TABLES } from './text-search.js';
import type { Database } from './schema.js';

// Moves the rows the search triggers noted (`<table>_fts_pending`, migration 019) into the SQLite
// FTS5 search tables: one transaction for all of them, so FTS5 writes one segment per table per
// flush instead of one per writing transaction. Search is right before and after a flush
// (text-search.ts reads the noted rows directly), so the interval only trades the size of the
// noted set against how often the index is written.

const FLUSH_EVERY_MS = 250;

/**
 * One flush: for each noted row, the text the index holds is taken out and the row's current text
 * put in (a row deleted since is only taken out). Runs through Kysely, so that it queues behind a
 * transaction in progress on the connection instead of joining it. Returns the rows moved.
 */
export async function flushSearchIndex(kysely: Kysely<Database>): Promise<number> {
  return kysely.transaction().execute(async (trx) => {
    let moved = 0;
    for (const t of SEARCH_TABLES) {
      const fts = sql.table(`${t}_fts`);
      const pending = sql.table(`${t}_fts_pending`);
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${pending}`.execute(trx);
      const n = Number(rows[0]?.n ?? 0);
      if (n === 0) continue;
      await sql`insert into ${fts} (${fts}, rowid, search_text) select 'delete', id, indexed_text from ${pending} where indexed_text is not null`.execute(trx);
      await sql`insert into ${fts} (rowid, search_text) select r.id, r.search_text from ${pending} p cross join ${sql.table(t)} r on r.id = p.id`.execute(trx);
      await sql`delete from ${pending}`.execute(trx);
      moved += n;
    }
    return moved;
  });
}

export interface SearchFlusher {
  /** stops the timer and flushes what is left */
  close(): Promise<void>;
  onError?: (message: string) => void;
}

/** Flushes every FLUSH_EVERY_MS while the connection is open (one flush at a time). */
export function startSearchFlusher(kysely: Kysely<Database>, everyMs = FLUSH_EVERY_MS): SearchFlusher {
  let running: Promise<unknown> | null = null;
  const flusher: SearchFlusher = {
    close: async () => {
      clearInterval(timer);
      await running;
      await flushSearchIndex(kysely);
    },
  };
  const timer = setInterval(() => {
    if (running) return;
    running = flushSearchIndex(kysely)
      .catch((err: unknown) => flusher.onError?.(err instanceof Error ? err.message : String(err)))
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return flusher;
}
