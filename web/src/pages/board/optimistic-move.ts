// The board's optimistic updates as pure functions over the cached board (the shape of
// GET /pipelines/{id}/board, with the extra pages of a column appended to its `items`).
//
// A drag and drop is shown at once (applyMove), the server's answer replaces the card
// (confirmMove), and a refusal puts the card back where it was (rollbackMove). Rollback is an
// inverse move, not a restored snapshot, so that an overlapping second move (or a page loaded
// meanwhile) survives the first one's failure.

import type { Board, BoardColumn, BoardDeal, ColumnPage, MoneySum } from './types';

export interface MoveTarget {
  dealId: number;
  toStageId: number;
  /** the card the deal lands below; null = top of the column */
  afterId: number | null;
}

export interface MoveUndo {
  dealId: number;
  /** the card as it was before the move */
  deal: BoardDeal;
  fromStageId: number;
  /** the card that was above it (null: it was on top) */
  fromAfterId: number | null;
  fromIndex: number;
  toStageId: number;
}

export interface Located {
  columnIndex: number;
  index: number;
  deal: BoardDeal;
}

export function locateDeal(board: Board, dealId: number): Located | null {
  for (let c = 0; c < board.columns.length; c++) {
    const items = board.columns[c]!.items;
    for (let i = 0; i < items.length; i++) if (items[i]!.id === dealId) return { columnIndex: c, index: i, deal: items[i]! };
  }
  return null;
}

/** Adds `delta` of a currency to a column's sums (sorted by currency like the server's). */
export function addToSums(sums: MoneySum[], currency: string, delta: number): MoneySum[] {
  const out = sums.map((s) => (s.currency === currency ? { ...s, amount: s.amount + delta } : s));
  if (!sums.some((s) => s.currency === currency)) out.push({ currency, amount: delta });
  return out.sort((a, b) => a.currency.localeCompare(b.currency));
}

/** A column without a deal: count − 1 and its amount out of the sums (an emptied column has no sums). */
function withoutDeal(col: BoardColumn, index: number, countIt: boolean): BoardColumn {
  const deal = col.items[index]!;
  const items = col.items.slice(0, index).concat(col.items.slice(index + 1));
  if (!countIt) return { ...col, items };
  const count = Math.max(0, col.count - 1);
  const sums = count === 0 ? [] : addToSums(col.sums, deal.currency, -deal.amount);
  return { ...col, items, count, sums };
}

/** A column with a deal inserted below `afterId` (null: on top; an id not loaded: at the end of what is loaded). */
function withDeal(col: BoardColumn, deal: BoardDeal, afterId: number | null, countIt: boolean): BoardColumn {
  const i = afterId === null ? -1 : col.items.findIndex((d) => d.id === afterId);
  return withDealAt(col, deal, afterId === null ? 0 : i >= 0 ? i + 1 : col.items.length, countIt);
}

function withDealAt(col: BoardColumn, deal: BoardDeal, index: number, countIt: boolean): BoardColumn {
  const at = Math.max(0, Math.min(index, col.items.length));
  const items = col.items.slice(0, at).concat([deal], col.items.slice(at));
  if (!countIt) return { ...col, items };
  return { ...col, items, count: col.count + 1, sums: addToSums(col.sums, deal.currency, deal.amount) };
}

/** The card as it will look in another stage (closed, "no next step" follow the stage's semantic). */
export function dealInStage(deal: BoardDeal, col: BoardColumn): BoardDeal {
  if (deal.stageId === col.stage.id) return deal;
  const semantic = col.stage.semantic;
  return {
    ...deal,
    stageId: col.stage.id,
    pipelineId: col.stage.pipelineId,
    stageSemantic: semantic,
    closed: semantic !== 'in_progress',
    // between working stages the deal keeps its next step (which the reader may not be shown)
    noNextStep: semantic === 'in_progress' && (deal.stageSemantic === 'in_progress' ? deal.noNextStep : deal.nextActivity === null),
  };
}

/**
 * Moves a card on the board. Returns null when the card or the stage is not on the board or the
 * move changes nothing (same stage, same neighbour above).
 */
export function applyMove(board: Board, move: MoveTarget): { board: Board; undo: MoveUndo } | null {
  const from = locateDeal(board, move.dealId);
  const toIndex = board.columns.findIndex((c) => c.stage.id === move.toStageId);
  if (!from || toIndex < 0 || move.afterId === move.dealId) return null;
  const fromCol = board.columns[from.columnIndex]!;
  const fromAfterId = from.index > 0 ? fromCol.items[from.index - 1]!.id : null;
  if (from.columnIndex === toIndex && fromAfterId === move.afterId) return null;

  const undo: MoveUndo = { dealId: move.dealId, deal: from.deal, fromStageId: fromCol.stage.id, fromAfterId, fromIndex: from.index, toStageId: move.toStageId };
  const sameColumn = from.columnIndex === toIndex;
  const columns = board.columns.slice();
  columns[from.columnIndex] = withoutDeal(fromCol, from.index, !sameColumn);
  const target = columns[toIndex]!;
  columns[toIndex] = withDeal(target, dealInStage(from.deal, target), move.afterId, !sameColumn);
  return { board: { ...board, columns }, undo };
}

/** Puts a card back where it was before a refused move (wherever it is now). */
export function rollbackMove(board: Board, undo: MoveUndo): Board {
  const now = locateDeal(board, undo.dealId);
  // Not on the board any more: the board was reloaded from the server, which is right by definition.
  if (!now) return board;
  const fromIndex = board.columns.findIndex((c) => c.stage.id === undo.fromStageId);
  if (fromIndex < 0) return board;
  const sameColumn = now.columnIndex === fromIndex;
  const columns = board.columns.slice();
  columns[now.columnIndex] = withoutDeal(columns[now.columnIndex]!, now.index, !sameColumn);
  const afterId = undo.fromAfterId !== null && columns[fromIndex]!.items.some((d) => d.id === undo.fromAfterId) ? undo.fromAfterId : undefined;
  const original = { ...undo.deal };
  const target = columns[fromIndex]!;
  // the neighbour above is gone (moved away too): back to the same index
  columns[fromIndex] =
    afterId !== undefined ? withDeal(target, original, afterId, !sameColumn) : withDealAt(target, original, undo.fromIndex, !sameColumn);
  return { ...board, columns };
}

/** The server's answer to a move (or any change) replaces the card where it is. */
export function confirmMove(board: Board, deal: BoardDeal): Board {
  const at = locateDeal(board, deal.id);
  if (!at) return board;
  const col = board.columns[at.columnIndex]!;
  if (col.stage.id !== deal.stageId) {
    // the server put it elsewhere (e.g. another pipeline's stage): follow the server
    const moved = applyMove(board, { dealId: deal.id, toStageId: deal.stageId, afterId: null });
    if (!moved) {
      const columns = board.columns.slice();
      columns[at.columnIndex] = withoutDeal(col, at.index, true);
      return { ...board, columns };
    }
    return confirmMove(moved.board, deal);
  }
  // amount or currency changed on the server meanwhile: keep the sums right
  let sums = col.sums;
  if (at.deal.amount !== deal.amount || at.deal.currency !== deal.currency) {
    sums = addToSums(addToSums(sums, at.deal.currency, -at.deal.amount), deal.currency, deal.amount);
  }
  const items = col.items.slice();
  items[at.index] = deal;
  const columns = board.columns.slice();
  columns[at.columnIndex] = { ...col, items, sums };
  return { ...board, columns };
}

/** A deal created in a column (quick-create): on top, counted in the count and sums. */
export function insertDeal(board: Board, deal: BoardDeal): Board {
  const c = board.columns.findIndex((col) => col.stage.id === deal.stageId);
  if (c < 0 || locateDeal(board, deal.id)) return board;
  const columns = board.columns.slice();
  columns[c] = withDeal(columns[c]!, deal, null, true);
  return { ...board, columns };
}

/**
 * The next page of a column, appended when it continues what is cached (the cursor it was asked
 * with is still the column's), without cards already there (one moved in meanwhile).
 */
export function appendColumnPage(board: Board, stageId: number, cursor: string, page: ColumnPage): Board {
  const c = board.columns.findIndex((col) => col.stage.id === stageId);
  const col = board.columns[c];
  if (!col || col.nextCursor !== cursor) return board;
  const have = new Set<number>();
  for (const column of board.columns) for (const d of column.items) have.add(d.id);
  const columns = board.columns.slice();
  columns[c] = { ...col, items: col.items.concat(page.items.filter((d) => !have.has(d.id))), nextCursor: page.nextCursor };
  return { ...board, columns };
}

/** The card above position `index` of an ordered list of ids once `movingId` is out of it. */
export function afterIdAt(ids: readonly number[], movingId: number, index: number): number | null {
  const rest = ids.filter((id) => id !== movingId);
  const i = Math.max(0, Math.min(index, rest.length));
  return i === 0 ? null : rest[i - 1]!;
}
