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
