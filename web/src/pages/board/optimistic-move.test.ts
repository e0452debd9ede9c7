import { describe, expect, it } from 'vitest';
import { addToSums, afterIdAt, appendColumnPage, applyMove, confirmMove, insertDeal, locateDeal, rollbackMove } from './optimistic-move';
import type { Board, BoardColumn, BoardDeal, Stage } from './types';

const stage = (id: number, semantic: Stage['semantic'] = 'in_progress', requiresLossReason = false): Stage => ({
  id,
  pipelineId: 1,
  name: `S${id}`,
  color: '#228be6',
  semantic,
  sort: id,
  requiresLossReason,
  createdAt: '',
  updatedAt: '',
  version: 1,
});

const deal = (id: number, stageId: number, amount = 1000, currency = 'RUB', extra: Partial<BoardDeal> = {}): BoardDeal => ({
  id,
  title: `Deal ${id}`,
  pipelineId: 1,
  stageId,
  stageSemantic: 'in_progress',
  position: 'a0',
  amount,
  currency,
  responsibleId: 1,
  contactIds: [],
  contactId: null,
  companyId: null,
  sourceId: null,
  lossReasonId: null,
  closeDate: null,
  tags: [],
  closed: false,
  nextActivity: null,
  overdue: false,
  noNextStep: true,
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
  version: 1,
  ...extra,
});

function column(s: Stage, items: BoardDeal[], count = items.length): BoardColumn {
  const sums = new Map<string, number>();
  for (const d of items) sums.set(d.currency, (sums.get(d.currency) ?? 0) + d.amount);
  return { stage: s, count, sums: [...sums].map(([currency, amount]) => ({ currency, amount })).sort((a, b) => a.currency.localeCompare(b.currency)), items, nextCursor: null };
}

function makeBoard(): Board {
  const stages = [stage(10), stage(20), stage(30, 'failure', true)];
  return {
    pipeline: { id: 1, name: 'P', sort: 0, isDefault: true, stages, createdAt: '', updatedAt: '', version: 1 },
    columns: [
      column(stages[0]!, [deal(1, 10, 1000), deal(2, 10, 2000), deal(3, 10, 500, 'USD')]),
      column(stages[1]!, [deal(4, 20, 4000)]),
      column(stages[2]!, []),
    ],
  };
}

const ids = (b: Board, c: number) => b.columns[c]!.items.map((d) => d.id);

describe('applyMove', () => {
  it('moves a card to another column below the given card, with counts and sums', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 2, toStageId: 20, afterId: 4 })!;
    expect(ids(r.board, 0)).toEqual([1, 3]);
    expect(ids(r.board, 1)).toEqual([4, 2]);
    expect(r.board.columns[0]!.count).toBe(2);
    expect(r.board.columns[0]!.sums).toEqual([
      { currency: 'RUB', amount: 1000 },
      { currency: 'USD', amount: 500 },
    ]);
    expect(r.board.columns[1]!.count).toBe(2);
    expect(r.board.columns[1]!.sums).toEqual([{ currency: 'RUB', amount: 6000 }]);
    expect(r.board.columns[1]!.items[1]!.stageId).toBe(20);
    expect(r.undo).toMatchObject({ dealId: 2, fromStageId: 10, fromAfterId: 1, fromIndex: 1, toStageId: 20 });
    // the input is not changed
    expect(ids(b, 0)).toEqual([1, 2, 3]);
    expect(b.columns[1]!.count).toBe(1);
  });

  it('puts the card on top when afterId is null, and at the end when afterId is not loaded', () => {
    const b = makeBoard();
    expect(ids(applyMove(b, { dealId: 3, toStageId: 20, afterId: null })!.board, 1)).toEqual([3, 4]);
    expect(ids(applyMove(b, { dealId: 3, toStageId: 20, afterId: 999 })!.board, 1)).toEqual([4, 3]);
  });

  it('reorders within a column without changing count or sums', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 1, toStageId: 10, afterId: 3 })!;
    expect(ids(r.board, 0)).toEqual([2, 3, 1]);
    expect(r.board.columns[0]!.count).toBe(3);
    expect(r.board.columns[0]!.sums).toEqual(b.columns[0]!.sums);
    const up = applyMove(b, { dealId: 3, toStageId: 10, afterId: null })!;
    expect(ids(up.board, 0)).toEqual([3, 1, 2]);
  });

  it('a move that changes nothing is null', () => {
    const b = makeBoard();
    expect(applyMove(b, { dealId: 2, toStageId: 10, afterId: 1 })).toBeNull();
    expect(applyMove(b, { dealId: 1, toStageId: 10, afterId: null })).toBeNull();
    expect(applyMove(b, { dealId: 1, toStageId: 10, afterId: 1 })).toBeNull();
    expect(applyMove(b, { dealId: 99, toStageId: 20, afterId: null })).toBeNull();
    expect(applyMove(b, { dealId: 1, toStageId: 99, afterId: null })).toBeNull();
  });

  it('a failure stage closes the card; back in progress it has "no next step" again', () => {
    const b = makeBoard();
    const lost = applyMove(b, { dealId: 4, toStageId: 30, afterId: null })!.board;
    expect(lost.columns[2]!.items[0]).toMatchObject({ id: 4, stageId: 30, stageSemantic: 'failure', closed: true, noNextStep: false });
    const back = applyMove(lost, { dealId: 4, toStageId: 20, afterId: null })!.board;
    expect(back.columns[1]!.items[0]).toMatchObject({ stageSemantic: 'in_progress', closed: false, noNextStep: true });
  });

  it('emptying a column leaves no sums', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 4, toStageId: 10, afterId: null })!;
    expect(r.board.columns[1]).toMatchObject({ count: 0, sums: [], items: [] });
  });

  it('keeps counts of deals not loaded yet', () => {
    const b = makeBoard();
    b.columns[1] = { ...b.columns[1]!, count: 250, sums: [{ currency: 'RUB', amount: 1_000_000 }], nextCursor: 'c1' };
    const r = applyMove(b, { dealId: 1, toStageId: 20, afterId: 4 })!;
    expect(r.board.columns[1]!.count).toBe(251);
    expect(r.board.columns[1]!.sums).toEqual([{ currency: 'RUB', amount: 1_001_000 }]);
  });
});

describe('rollbackMove', () => {
  it('puts the card back where it was, with counts and sums', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 2, toStageId: 30, afterId: null })!;
    const back = rollbackMove(r.board, r.undo);
    expect(back.columns.map((c) => c.items.map((d) => d.id))).toEqual(b.columns.map((c) => c.items.map((d) => d.id)));
    expect(back.columns.map((c) => [c.count, c.sums])).toEqual(b.columns.map((c) => [c.count, c.sums]));
    expect(back.columns[0]!.items[1]).toEqual(b.columns[0]!.items[1]);
  });

  it('rolls back a reorder within a column', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 1, toStageId: 10, afterId: 3 })!;
    expect(ids(rollbackMove(r.board, r.undo), 0)).toEqual([1, 2, 3]);
  });

  it('undoes only the refused move when another one happened meanwhile', () => {
    const b = makeBoard();
    const first = applyMove(b, { dealId: 1, toStageId: 20, afterId: null })!; // will be refused
    const second = applyMove(first.board, { dealId: 3, toStageId: 30, afterId: null })!; // succeeds
    const after = rollbackMove(second.board, first.undo);
    expect(ids(after, 0)).toEqual([1, 2]);
    expect(ids(after, 1)).toEqual([4]);
    expect(ids(after, 2)).toEqual([3]);
    expect(after.columns.map((c) => c.count)).toEqual([2, 1, 1]);
  });

  it('goes back to the same index when the card above was moved away too', () => {
    const b = makeBoard();
    const first = applyMove(b, { dealId: 2, toStageId: 20, afterId: null })!; // refused
    const second = applyMove(first.board, { dealId: 1, toStageId: 20, afterId: null })!;
    const after = rollbackMove(second.board, first.undo);
    expect(ids(after, 0)).toEqual([3, 2]);
  });

  it('leaves a board reloaded from the server alone', () => {
    const b = makeBoard();
    const r = applyMove(b, { dealId: 2, toStageId: 20, afterId: null })!;
    const reloaded: Board = { ...b, columns: b.columns.map((c) => ({ ...c, items: c.items.filter((d) => d.id !== 2) })) };
    expect(rollbackMove(reloaded, r.undo)).toBe(reloaded);
  });
});

describe('confirmMove, insertDeal, appendColumnPage', () => {
  it('replaces the card with the server answer', () => {
    const b = applyMove(makeBoard(), { dealId: 2, toStageId: 20, afterId: null })!.board;
    const server = { ...deal(2, 20, 2000), version: 2, position: 'Zz' };
    const c = confirmMove(b, server);
    expect(c.columns[1]!.items[0]).toBe(server);
    expect(c.columns[1]!.count).toBe(2);
  });

  it('follows the server when it changed the amount or put the deal elsewhere', () => {
    const b = makeBoard();
    const c = confirmMove(b, { ...deal(4, 20, 5000), version: 2 });
    expect(c.columns[1]!.sums).toEqual([{ currency: 'RUB', amount: 5000 }]);
    const elsewhere = confirmMove(b, { ...deal(4, 30, 4000), version: 2 });
    expect(ids(elsewhere, 1)).toEqual([]);
    expect(ids(elsewhere, 2)).toEqual([4]);
    const gone = confirmMove(b, { ...deal(4, 999, 4000), version: 2 });
    expect(gone.columns[1]!.count).toBe(0);
  });

  it('inserts a created deal on top of its column once', () => {
    const b = insertDeal(makeBoard(), deal(7, 20, 100, 'EUR'));
    expect(ids(b, 1)).toEqual([7, 4]);
    expect(b.columns[1]!.count).toBe(2);
    expect(b.columns[1]!.sums).toEqual([
      { currency: 'EUR', amount: 100 },
      { currency: 'RUB', amount: 4000 },
    ]);
    expect(insertDeal(b, deal(7, 20, 100, 'EUR'))).toBe(b);
  });

  it('appends the next page of a column only when it continues the cached one, without duplicates', () => {
    const b0 = makeBoard();
    b0.columns[1] = { ...b0.columns[1]!, count: 3, nextCursor: 'c1' };
    const moved = applyMove(b0, { dealId: 1, toStageId: 20, afterId: 4 })!.board;
    const page = { items: [deal(1, 20), deal(5, 20)], nextCursor: null };
    const b = appendColumnPage(moved, 20, 'c1', page);
    expect(ids(b, 1)).toEqual([4, 1, 5]);
    expect(b.columns[1]!.nextCursor).toBeNull();
    expect(appendColumnPage(b, 20, 'c1', page)).toBe(b); // stale answer
  });

  it('helpers', () => {
    expect(addToSums([{ currency: 'USD', amount: 1 }], 'EUR', 5)).toEqual([
      { currency: 'EUR', amount: 5 },
      { currency: 'USD', amount: 1 },
    ]);
    expect(afterIdAt([1, 2, 3], 2, 0)).toBeNull();
    expect(afterIdAt([1, 2, 3], 2, 2)).toBe(3);
    expect(afterIdAt([1, 2, 3], 9, 1)).toBe(1);
    expect(locateDeal(makeBoard(), 4)).toMatchObject({ columnIndex: 1, index: 0 });
  });
});
