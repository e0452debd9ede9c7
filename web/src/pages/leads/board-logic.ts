// The lead board's optimistic move: take the card out of its column and put it on top of the
// target column, counts and sums adjusted; the old board is kept by the caller for a rollback.

export interface BoardLead {
  id: number;
  statusId: number;
  statusSemantic: string;
  amount: number;
  currency: string;
  version: number;
}

export interface LeadColumn<L extends BoardLead = BoardLead> {
  status: { id: number; name: string; semantic: string | null; active: boolean };
  count: number;
  sums: Array<{ currency: string; amount: number }>;
  items: L[];
  nextCursor: string | null;
}

export interface LeadBoardData<L extends BoardLead = BoardLead> {
  columns: Array<LeadColumn<L>>;
}

function addSum(sums: LeadColumn['sums'], currency: string, delta: number): LeadColumn['sums'] {
  if (!delta) return sums;
  const found = sums.some((s) => s.currency === currency);
  const next = found ? sums.map((s) => (s.currency === currency ? { ...s, amount: s.amount + delta } : s)) : [...sums, { currency, amount: delta }];
  return next.filter((s) => s.amount !== 0);
}

/** May a lead be dragged onto this column? (Converted needs the convert dialog; the same column is no move.) */
export function canDropOn(column: LeadColumn['status'], lead: BoardLead): 'move' | 'convert' | null {
  if (lead.statusSemantic === 'converted') return null;
  if (column.id === lead.statusId) return null;
  if (column.semantic === 'converted') return 'convert';
  return 'move';
}

export function moveLead<L extends BoardLead>(board: LeadBoardData<L>, leadId: number, toStatusId: number): LeadBoardData<L> {
  const from = board.columns.find((c) => c.items.some((i) => i.id === leadId));
  const to = board.columns.find((c) => c.status.id === toStatusId);
  if (!from || !to || from === to) return board;
  const lead = from.items.find((i) => i.id === leadId)!;
  const moved = { ...lead, statusId: toStatusId, statusSemantic: to.status.semantic ?? 'in_progress' };
  return {
    ...board,
    columns: board.columns.map((c) => {
      if (c === from) return { ...c, count: Math.max(0, c.count - 1), sums: addSum(c.sums, lead.currency, -lead.amount), items: c.items.filter((i) => i.id !== leadId) };
      if (c === to) return { ...c, count: c.count + 1, sums: addSum(c.sums, lead.currency, lead.amount), items: [moved, ...c.items] };
      return c;
    }),
  };
}

/** The server's answer replaces the optimistic card (new version). */
export function replaceLead<L extends BoardLead>(board: LeadBoardData<L>, lead: L): LeadBoardData<L> {
  return { ...board, columns: board.columns.map((c) => ({ ...c, items: c.items.map((i) => (i.id === lead.id ? lead : i)) })) };
}
