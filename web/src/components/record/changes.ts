// Field changes as the timeline stores them (`{ changes: { field: { old, new } } }`) and as the
// conflict dialog computes them (what the user had vs what the server has now), flattened so that
// each custom field is its own line (`custom.budget_code`). Pure: unit-tested.

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function flattenCustom(old: unknown, next: unknown): FieldChange[] {
  const a = isPlainObject(old) ? old : {};
  const b = isPlainObject(next) ? next : {};
  const codes = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return codes.filter((c) => !same(a[c], b[c])).map((c) => ({ field: `custom.${c}`, old: a[c] ?? null, new: b[c] ?? null }));
}

/** The `changes` of an `updated` timeline event as a list, custom fields one by one. */
export function changesOf(data: Record<string, unknown> | null | undefined): FieldChange[] {
  const changes = data?.changes;
  if (!isPlainObject(changes)) return [];
  const out: FieldChange[] = [];
  for (const [field, raw] of Object.entries(changes)) {
    const c = isPlainObject(raw) ? raw : { old: null, new: raw };
    if (field === 'custom') out.push(...flattenCustom(c.old, c.new));
    else out.push({ field, old: c.old ?? null, new: c.new ?? null });
  }
  return out;
}

/** Which of `fields` differ between two versions of a record (custom fields one by one). */
export function diffRecords(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of fields) {
    if (f === 'custom') out.push(...flattenCustom(before.custom, after.custom));
    else if (!same(before[f], after[f])) out.push({ field: f, old: before[f] ?? null, new: after[f] ?? null });
  }
  return out;
}
