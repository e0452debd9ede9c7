import { describe, expect, it } from 'vitest';
import { changesOf, diffRecords } from './changes';

describe('changesOf', () => {
  it('lists the changes of an updated event, custom fields one by one', () => {
    expect(
      changesOf({
        changes: { title: { old: 'A', new: 'B' }, custom: { old: { a: 1, b: 'x' }, new: { a: 2, b: 'x', c: true } } },
      }),
    ).toEqual([
      { field: 'title', old: 'A', new: 'B' },
      { field: 'custom.a', old: 1, new: 2 },
      { field: 'custom.c', old: null, new: true },
    ]);
  });
  it('copes with missing or odd data', () => {
    expect(changesOf(undefined)).toEqual([]);
    expect(changesOf({ changes: 5 })).toEqual([]);
    expect(changesOf({ changes: { amount: { old: 1 } } })).toEqual([{ field: 'amount', old: 1, new: null }]);
  });
});

describe('diffRecords', () => {
  it('finds what someone else changed', () => {
    const mine = { title: 'A', tags: ['x'], probability: 10, custom: { n: '1' }, version: 1 };
    const theirs = { title: 'A2', tags: ['x'], probability: 10, custom: { n: '2' }, version: 2 };
    expect(diffRecords(mine, theirs, ['title', 'tags', 'probability', 'custom'])).toEqual([
      { field: 'title', old: 'A', new: 'A2' },
      { field: 'custom.n', old: '1', new: '2' },
    ]);
  });
  it('treats undefined and null alike, compares arrays by value', () => {
    expect(diffRecords({ a: null, b: [1, 2] }, { b: [1, 2] }, ['a', 'b'])).toEqual([]);
    expect(diffRecords({ b: [1, 2] }, { b: [2, 1] }, ['b'])).toEqual([{ field: 'b', old: [1, 2], new: [2, 1] }]);
  });
});
