import { describe, expect, it } from 'vitest';
import { countFilters, EMPTY_FILTERS, isMyDeals, parseFilters, queryKeyPart, toApiQuery, writeFilters } from './filters';

describe('board filters in the URL', () => {
  it('round-trips through the URL and keeps other parameters', () => {
    const f = {
      ...EMPTY_FILTERS,
      responsible: ['me', '5'],
      source: ['2'],
      tag: ['vip', 'опт'],
      createdFrom: '2026-01-01',
      closeTo: '2026-12-31',
      amountFrom: '1 500',
      overdue: true,
      q: 'мебель',
    };
    const params = writeFilters(new URLSearchParams('pipeline=3&q=old'), f);
    expect(params.get('pipeline')).toBe('3');
    expect(parseFilters(params)).toEqual(f);
    expect(params.toString()).toContain('responsible=me&responsible=5');
  });

  it('ignores what is not valid', () => {
    const f = parseFilters(new URLSearchParams('responsible=x&responsible=7&responsible=7&source=-1&createdFrom=yesterday&overdue=yes&tag=%20'));
    expect(f).toEqual({ ...EMPTY_FILTERS, responsible: ['7'] });
  });

  it('gives the API query: money in minor units, close dates as closeDate…', () => {
    const q = toApiQuery({ ...EMPTY_FILTERS, responsible: ['me'], amountFrom: '1 500,5', amountTo: 'abc', closeFrom: '2026-02-01', overdue: true, q: '  x ' });
    expect(queryKeyPart(q)).toEqual({ responsibleId: ['me'], amountFrom: 150050, closeDateFrom: '2026-02-01', overdue: 'true', q: 'x' });
    expect(queryKeyPart(toApiQuery(EMPTY_FILTERS))).toEqual({});
  });

  it('counts the filters set', () => {
    const mine = { ...EMPTY_FILTERS, responsible: ['me'], overdue: true };
    expect(isMyDeals(mine)).toBe(true);
    expect(countFilters(mine)).toBe(2);
    expect(countFilters(mine, { withQuick: false })).toBe(0);
    expect(countFilters({ ...EMPTY_FILTERS, createdFrom: '2026-01-01', createdTo: '2026-02-01', amountTo: '5' })).toBe(2);
  });
});
