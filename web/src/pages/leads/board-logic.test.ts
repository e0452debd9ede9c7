import { describe, expect, it } from 'vitest';
import { canDropOn, moveLead, replaceLead, type LeadBoardData } from './board-logic';

const lead = (id: number, statusId: number, amount = 0) => ({ id, statusId, statusSemantic: 'in_progress', amount, currency: 'RUB', version: 1 });
const board = (): LeadBoardData => ({
  columns: [
    { status: { id: 1, name: 'Новый', semantic: 'in_progress', active: true }, count: 2, sums: [{ currency: 'RUB', amount: 300 }], items: [lead(10, 1, 100), lead(11, 1, 200)], nextCursor: null },
    { status: { id: 2, name: 'В работе', semantic: 'in_progress', active: true }, count: 0, sums: [], items: [], nextCursor: null },
    { status: { id: 3, name: 'Сконвертирован', semantic: 'converted', active: true }, count: 0, sums: [], items: [], nextCursor: null },
    { status: { id: 4, name: 'Некачественный', semantic: 'junk', active: true }, count: 0, sums: [], items: [], nextCursor: null },
  ],
});

describe('lead board move', () => {
  it('moves a card to the top of another column with counts and sums', () => {
    const b = moveLead(board(), 11, 4);
    expect(b.columns[0]!.items.map((i) => i.id)).toEqual([10]);
    expect(b.columns[0]!.count).toBe(1);
    expect(b.columns[0]!.sums).toEqual([{ currency: 'RUB', amount: 100 }]);
    expect(b.columns[3]!.items[0]).toMatchObject({ id: 11, statusId: 4, statusSemantic: 'junk' });
    expect(b.columns[3]!.sums).toEqual([{ currency: 'RUB', amount: 200 }]);
  });

  it('leaves the board alone for an unknown card or the same column', () => {
    const b = board();
    expect(moveLead(b, 99, 2)).toBe(b);
    expect(moveLead(b, 10, 1)).toBe(b);
  });

  it('sends a drop on the converted column to the convert dialog', () => {
    const b = board();
    expect(canDropOn(b.columns[2]!.status, lead(10, 1))).toBe('convert');
    expect(canDropOn(b.columns[1]!.status, lead(10, 1))).toBe('move');
    expect(canDropOn(b.columns[0]!.status, lead(10, 1))).toBe(null);
    expect(canDropOn(b.columns[1]!.status, { ...lead(10, 3), statusSemantic: 'converted' })).toBe(null);
  });

  it('replaces the optimistic card with the saved one', () => {
    const b = replaceLead(moveLead(board(), 10, 2), { ...lead(10, 2, 100), version: 2 });
    expect(b.columns[1]!.items[0]!.version).toBe(2);
  });
});
