import { describe, expect, it } from 'vitest';
import { changedKeys, rebaseForm, sameValue } from './form-logic';

describe('record form logic', () => {
  it('lists the changed keys, deep', () => {
    expect(changedKeys({ a: '1', b: [{ v: 'x' }], c: null }, { a: '1', b: [{ v: 'y' }], c: null })).toEqual(['b']);
    expect(sameValue(undefined, null)).toBe(true);
  });

  it('takes the other changes under the user’s edits', () => {
    const before = { name: 'ООО Ромашка', website: '', comment: '' };
    const edited = { ...before, website: 'romashka.ru' };
    const after = { ...before, comment: 'перезвонить' };
    expect(rebaseForm(before, edited, after)).toEqual({ name: 'ООО Ромашка', website: 'romashka.ru', comment: 'перезвонить' });
    // a version that changed nothing the form shows (a custom field saved in place)
    expect(rebaseForm(before, edited, before)).toEqual(edited);
  });

  it('gives up when both changed the same field', () => {
    const before = { name: 'А', website: '' };
    expect(rebaseForm(before, { ...before, website: 'a.ru' }, { ...before, website: 'b.ru' })).toBeNull();
  });
});
