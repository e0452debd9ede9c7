// Pure helpers of the record forms (unit-tested in form-logic.test.ts).

/** Equal as the API sees it (deep, by JSON). */
export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Keys whose values differ (deep), for a PATCH of just those. */
export function changedKeys<F extends Record<string, unknown>>(before: F, after: F): Array<keyof F> {
  return (Object.keys(after) as Array<keyof F>).filter((k) => !sameValue(before[k], after[k]));
}

/**
 * The form after its record moved from `before` to `after` while the user was editing it
 * (`edited`): the user's edits kept, the other changes taken. Null when both changed the same
 * field: the form stays as it is and saving reports the conflict.
 */
export function rebaseForm<F extends Record<string, unknown>>(before: F, edited: F, after: F): F | null {
  const mine = new Set(changedKeys(before, edited));
  const theirs = changedKeys(before, after);
  if (theirs.some((k) => mine.has(k))) return null;
  const next = { ...edited };
  for (const k of theirs) next[k] = after[k];
  return next;
}
