import { describe, expect, it } from 'vitest';
import { isEmptyValue, mergeList, mergeScalar } from './merge-preview';

describe('merge preview', () => {
  it('keeps the survivor value and fills empty ones from the other record', () => {
    expect(mergeScalar('position', 'Директор', 'Менеджер')).toMatchObject({ result: 'Директор', from: 'survivor' });
    expect(mergeScalar('position', '  ', 'Менеджер')).toMatchObject({ result: 'Менеджер', from: 'source' });
    expect(mergeScalar('position', null, null)).toMatchObject({ result: '', from: 'none' });
  });

  it('unites phones and e-mails without repeating equal ones', () => {
    const show = (e: { value: string }) => e.value;
    const key = (e: { value: string }) => e.value.toLowerCase();
    const row = mergeList('emails', [{ value: 'a@x.ru' }], [{ value: 'A@x.ru' }, { value: 'b@x.ru' }], key, show);
    expect(row.result).toBe('a@x.ru, b@x.ru');
    expect(row.from).toBe('both');
    expect(mergeList('phones', [], [{ value: '1' }], key, show).from).toBe('source');
  });

  it('treats blank text and empty lists as empty', () => {
    expect(isEmptyValue('')).toBe(true);
    expect(isEmptyValue([])).toBe(true);
    expect(isEmptyValue(0)).toBe(false);
  });
});
