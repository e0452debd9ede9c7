// What a merge keeps (mirrors the server: src/modules/contacts/merge-*.ts): the survivor keeps its
// non-empty values and takes the other record's where it has none; phones and e-mails are united
// (equal numbers/addresses once); company links united; custom fields likewise one by one
// (fillEmptyCustom). Used by the confirmation dialog.

import type { CustomField } from '../../api/lookups';

export interface MergeRow {
  field: string;
  /** the name to show when it is not a translated built-in field (a custom field's own name) */
  label?: string;
  survivor: string;
  source: string;
  result: string;
  /** where the result comes from */
  from: 'survivor' | 'source' | 'both' | 'none';
}

export const isEmptyValue = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

export function mergeScalar(field: string, survivor: unknown, source: unknown, show: (v: unknown) => string = (v) => (isEmptyValue(v) ? '' : String(v))): MergeRow {
  const takeSource = isEmptyValue(survivor) && !isEmptyValue(source);
  const result = takeSource ? source : survivor;
  return {
    field,
    survivor: show(survivor),
    source: show(source),
    result: show(result),
    from: isEmptyValue(result) ? 'none' : takeSource ? 'source' : 'survivor',
  };
}

/** Phones/e-mails united: the survivor's first, then the other's not already there (by normalised value). */
export function mergeList<T>(field: string, survivor: T[], source: T[], key: (t: T) => string, show: (t: T) => string): MergeRow {
  const seen = new Set(survivor.map(key));
  const added = source.filter((s) => {
    const k = key(s);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const result = [...survivor, ...added];
  return {
    field,
    survivor: survivor.map(show).join(', '),
    source: source.map(show).join(', '),
    result: result.map(show).join(', '),
    from: !result.length ? 'none' : added.length && survivor.length ? 'both' : added.length ? 'source' : 'survivor',
  };
}

/** Phones and e-mails of two records, united as the server does (by normalised value). */
export function mergeComms(s: { phones: Array<{ value: string; normalized?: string }>; emails: Array<{ value: string; normalized?: string }> }, o: typeof s): MergeRow[] {
  return [
    mergeList('phones', s.phones, o.phones, (p) => p.normalized ?? p.value, (p) => p.value),
    mergeList('emails', s.emails, o.emails, (p) => p.normalized ?? p.value.toLowerCase(), (p) => p.value),
  ];
}

/**
 * Custom fields in their display order, named by their name: the survivor's value, else the
 * other's. Fields neither record has a value for are left out; `show` words a value (customValueText).
 */
export function mergeCustom<D extends Pick<CustomField, 'code' | 'name'>>(defs: D[], survivor: Record<string, unknown>, source: Record<string, unknown>, show: (def: D, v: unknown) => string): MergeRow[] {
  return defs
    .filter((d) => !isEmptyValue(survivor[d.code]) || !isEmptyValue(source[d.code]))
    .map((d) => ({ ...mergeScalar(`custom.${d.code}`, survivor[d.code], source[d.code], (v) => (isEmptyValue(v) ? '' : show(d, v))), label: d.name }));
}
