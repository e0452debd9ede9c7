import type { FieldError } from '../../server/errors.js';
import { checkValue, type CustomValues, type FieldDefinition, type FieldEntity } from './custom-field-values.js';

export interface MergeResult {
  values: CustomValues;
  errors: FieldError[];
  /** user ids that were written now and must be checked against the workspace's users */
  userRefs: Array<{ path: string; userId: number }>;
  /** record ids written now, to be checked as records of the workspace the actor may read */
  recordRefs: Array<{ path: string; entity: FieldEntity; id: number }>;
}

/**
 * PATCH semantics over the stored values: keys of `input` replace stored ones (null removes),
 * other stored values stay as they are (they were valid when written, even if an admin has
 * since changed a field's choices). Values of deleted fields are dropped. Pure: no database.
 */
export function mergeValues(fields: FieldDefinition[], input: unknown, existing: CustomValues = {}): MergeResult {
  const byCode = new Map(fields.map((f) => [f.code, f]));
  const errors: FieldError[] = [];
  const userRefs: MergeResult['userRefs'] = [];
  const recordRefs: MergeResult['recordRefs'] = [];
  const values: CustomValues = {};
  for (const [code, value] of Object.entries(existing)) {
    if (byCode.has(code) && value !== null && value !== undefined) values[code] = value;
  }

  if (input !== undefined && input !== null) {
    if (typeof input !== 'object' || Array.isArray(input)) {
      return { values, errors: [{ path: 'custom', message: 'must be an object { "<fieldCode>": value }' }], userRefs, recordRefs };
    }
    for (const [code, raw] of Object.entries(input as Record<string, unknown>)) {
      const path = `custom.${code}`;
      const field = byCode.get(code);
      if (!field) {
        errors.push({ path, message: 'is not a custom field of this entity' });
        continue;
      }
      if (raw === undefined) continue;
      const checked = checkValue(field, raw);
      if (!checked.ok) {
        errors.push({ path, message: checked.message });
        continue;
      }
      if (checked.value === null) delete values[code];
      else {
        values[code] = checked.value;
        if (field.type === 'user') userRefs.push({ path, userId: checked.value as number });
        if (field.type === 'record' && field.options.recordEntity) recordRefs.push({ path, entity: field.options.recordEntity, id: checked.value as number });
      }
    }
  }

  for (const field of fields) {
    const path = `custom.${field.code}`;
    // own keys only: a field coded `constructor` must not find Object.prototype.constructor
    if (field.required && !Object.hasOwn(values, field.code) && !errors.some((e) => e.path === path)) {
      errors.push({ path, message: 'is required' });
    }
  }
  return { values, errors, userRefs, recordRefs };
}

/**
 * For merges: `fill` (values the other record has and the kept one lacks) added to `existing`,
 * taking only what is valid now. The other record may hold a value of a field deleted since, or a
 * choice since removed: such a value is left behind instead of refusing the whole merge. Values
 * of deleted fields are dropped from `existing` too. Pure: no database.
 */
export function carryOverValues(fields: FieldDefinition[], fill: CustomValues, existing: CustomValues = {}): MergeResult {
  const byCode = new Map(fields.map((f) => [f.code, f]));
  const { values } = mergeValues(fields, undefined, existing);
  const userRefs: MergeResult['userRefs'] = [];
  for (const [code, raw] of Object.entries(fill)) {
    const field = byCode.get(code);
    const checked = field ? checkValue(field, raw) : null;
    if (!field || !checked?.ok || checked.value === null) continue;
    values[code] = checked.value;
    if (field.type === 'user') userRefs.push({ path: `custom.${code}`, userId: checked.value as number });
  }
  return { values, errors: [], userRefs, recordRefs: [] };
}
