/** The lower-cased haystack stored in search_text columns: names, phones (digits) and e-mails. */
export function buildSearchText(parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => !!p && p.trim() !== '')
    .map((p) => p.trim().toLowerCase())
    .join(' ')
    .slice(0, 2000);
}

/** Escapes LIKE wildcards so that user text matches literally. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/**
 * The record number a search box entry names, if it is one: `123`, `#123` or `№ 123` (deals and
 * leads are numbered by their id). Null for anything else, and past the 32-bit ids.
 */
export function recordNumber(q: string): number | null {
  const m = /^(?:#|№)?\s*(\d{1,10})$/.exec(q.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}
