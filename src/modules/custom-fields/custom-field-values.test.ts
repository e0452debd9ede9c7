import { describe, expect, it } from 'vitest';
import { canonicalDecimal, checkValue, type FieldDefinition, type FieldType, type FieldOptions } from './custom-field-values.js';
import { mergeValues } from './merge-values.js';

const field = (type: FieldType, options: FieldOptions = {}, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id: 1,
  entity: 'deal',
  code: 'f',
  name: 'F',
  type,
  required: false,
  options,
  ...extra,
});
const value = (f: FieldDefinition, v: unknown) => {
  const r = checkValue(f, v);
  return r.ok ? r.value : `ERR ${r.message}`;
};

describe('custom field values', () => {
  it('trims strings, removes empty ones and caps their length', () => {
    expect(value(field('string'), '  hi ')).toBe('hi');
    expect(value(field('string'), '   ')).toBeNull();
    expect(value(field('string'), 'x'.repeat(255))).toBe('x'.repeat(255));
    expect(value(field('string'), 'x'.repeat(256))).toMatch(/^ERR .*255/);
    expect(value(field('string', { maxLength: 5 }), 'abcdef')).toMatch(/^ERR .*5/);
    expect(value(field('text'), 'x'.repeat(10_000))).toHaveLength(10_000);
    expect(value(field('text'), 'x'.repeat(10_001))).toMatch(/^ERR/);
    expect(value(field('string'), 5)).toMatch(/^ERR/);
  });

  it('stores numbers as canonical decimal strings', () => {
    expect(value(field('number'), '007.50')).toBe('7.5');
    expect(value(field('number'), 12)).toBe('12');
    expect(value(field('number'), -0.25)).toBe('-0.25');
    expect(value(field('number'), '-0.000')).toBe('0');
    expect(value(field('number'), Number.POSITIVE_INFINITY)).toMatch(/^ERR/);
    expect(value(field('number'), Number.NaN)).toMatch(/^ERR/);
    expect(value(field('number'), '1e5')).toMatch(/^ERR/);
    expect(value(field('number'), '12,5')).toMatch(/^ERR/);
    expect(value(field('number'), true)).toMatch(/^ERR/);
    expect(canonicalDecimal('100')).toBe('100');
  });

  it('takes money as integer minor units with an ISO currency', () => {
    expect(value(field('money'), { amount: 150000, currency: 'RUB' })).toEqual({ amount: 150000, currency: 'RUB' });
    expect(value(field('money'), { amount: 1.5, currency: 'RUB' })).toMatch(/^ERR amount/);
    expect(value(field('money'), { amount: 1, currency: 'rub' })).toMatch(/^ERR currency/);
    expect(value(field('money'), { amount: 1, currency: 'RUB', x: 1 })).toMatch(/^ERR unknown key x/);
    expect(value(field('money'), [1])).toMatch(/^ERR/);
  });

  it('checks calendar dates and normalizes times to UTC', () => {
    expect(value(field('date'), '2026-02-28')).toBe('2026-02-28');
    expect(value(field('date'), '2026-02-30')).toMatch(/^ERR/);
    expect(value(field('date'), '2026-2-3')).toMatch(/^ERR/);
    expect(value(field('datetime'), '2026-11-28T12:30:00+03:00')).toBe('2026-11-28T09:30:00.000Z');
    expect(value(field('datetime'), '2026-11-28T09:30Z')).toBe('2026-11-28T09:30:00.000Z');
    expect(value(field('datetime'), '2026-11-28T09:30:00')).toMatch(/^ERR/);
    expect(value(field('datetime'), '2026-13-01T00:00:00Z')).toMatch(/^ERR/);
  });

  it('accepts only booleans for boolean fields', () => {
    expect(value(field('boolean'), false)).toBe(false);
    expect(value(field('boolean'), 'true')).toMatch(/^ERR/);
  });

  it('accepts only known choices in lists', () => {
    const choices = [
      { id: 'a', label: 'A' },
      { id: 'b', label: 'B' },
    ];
    expect(value(field('list', { choices }), 'b')).toBe('b');
    expect(value(field('list', { choices }), 'c')).toMatch(/^ERR/);
    expect(value(field('multilist', { choices }), ['a', 'b'])).toEqual(['a', 'b']);
    expect(value(field('multilist', { choices }), [])).toBeNull();
    expect(value(field('multilist', { choices }), ['a', 'a'])).toMatch(/^ERR .*repeat/);
    expect(value(field('multilist', { choices }), ['a', 'z'])).toMatch(/^ERR/);
    expect(value(field('multilist', { choices }), 'a')).toMatch(/^ERR/);
  });

  it('takes user and record links as positive integer ids', () => {
    expect(value(field('user'), 7)).toBe(7);
    expect(value(field('record', { recordEntity: 'contact' }), 0)).toMatch(/^ERR/);
    expect(value(field('record', { recordEntity: 'contact' }), '7')).toMatch(/^ERR/);
    expect(value(field('record', { recordEntity: 'contact' }), 2 ** 31)).toMatch(/^ERR/);
  });
});

describe('mergeValues', () => {
  const fields = [
    field('string', {}, { code: 'note' }),
    field('number', {}, { code: 'budget', required: true }),
    field('user', {}, { code: 'curator' }),
  ];

  it('merges input over stored values, null removing one', () => {
    const r = mergeValues(fields, { note: null, budget: '10.0' }, { note: 'old', budget: '5' });
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ budget: '10' });
  });

  it('keeps stored values that the input does not mention and drops those of deleted fields', () => {
    const r = mergeValues(fields, { note: 'new' }, { budget: '5', gone: 'x' });
    expect(r.values).toEqual({ budget: '5', note: 'new' });
  });

  it('enforces required on the merged result', () => {
    expect(mergeValues(fields, {}, {}).errors).toEqual([{ path: 'custom.budget', message: 'is required' }]);
    expect(mergeValues(fields, undefined, { budget: '1' }).errors).toEqual([]);
    expect(mergeValues(fields, { budget: null }, { budget: '1' }).errors).toEqual([{ path: 'custom.budget', message: 'is required' }]);
  });

  it('rejects unknown codes and bad values with custom.<code> paths, all at once', () => {
    const r = mergeValues(fields, { nope: 1, budget: 'abc', note: 5 }, {});
    expect(r.errors.map((e) => e.path).sort()).toEqual(['custom.budget', 'custom.nope', 'custom.note']);
  });

  it('rejects a custom value that is not an object', () => {
    expect(mergeValues(fields, [1], { budget: '1' }).errors).toEqual([{ path: 'custom', message: expect.any(String) }]);
  });

  it('hands user ids written now to the caller for a database check', () => {
    const r = mergeValues(fields, { curator: 12, budget: 1 }, { curator: 3 });
    expect(r.userRefs).toEqual([{ path: 'custom.curator', userId: 12 }]);
    expect(mergeValues(fields, { budget: 1 }, { curator: 3 }).userRefs).toEqual([]);
  });
});
