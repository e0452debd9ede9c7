import { isEmptyValue } from './parse-input.js';

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
    if (isEmptyValue(survivor[code]) && !isEmptyValue(value)) patch[code] = value;
  }
  return patch;
}
