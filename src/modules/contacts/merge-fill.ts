
/** The survivor's value of each field, or the source's where the survivor has none. */
export function fillEmpty<R extends Record<string, unknown>, K extends keyof R>(survivor: R, source: R, fields: readonly K[]): Pick<R, K> {
  const out = {} as Pick<R, K>;
  for (const f of fields) out[f] = isEmptyValue(survivor[f]) && !isEmptyValue(source[f]) ? source[f] : survivor[f];
  return out;
}

/** The custom-field values the source has and the survivor lacks (a patch for customFields.validate). */
export function fillEmptyCustom(survivor: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [code, value] of Object.entries(source)) {
    // own keys only: a field coded `constructor` must not read Object.prototype.constructor
    if (isEmptyValue(Object.hasOwn(survivor, code) ? survivor[code] : undefined) && !isEmptyValue(value)) patch[code] = value;
  }
  return patch;
}

/** Empty for merges: null, undefined, blank text or an empty list/object. */
export function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}
