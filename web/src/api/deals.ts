import { queryOptions, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from './client';
import type { Schemas } from './types';

// A deal as GET /deals/{id} returns it, and the one query that reads it (['deals', id]). The deal
// card shows it; the board warms it (a pointer over a card) and offers what it already knows of
// the deal (boardPreview) so that the card can show its header before the full answer is in.

export type Deal = Schemas['Deal'];

export const dealQuery = (id: number) =>
  queryOptions({
    queryKey: ['deals', id],
    queryFn: ({ signal }) => api.get<Deal>(`/deals/${id}`, undefined, { signal }),
  });

/** Starts reading a deal the user is about to open (kept for 30 s, so a click soon after uses it). */
export function prefetchDeal(qc: QueryClient, id: number): void {
  void qc.prefetchQuery({ ...dealQuery(id), staleTime: 30_000 });
}

/** Any cached board, of any pipeline and filters: its key is ['pipelines', id, 'board', …] (pages/board/use-board.ts). */
export const isBoardQuery = (q: { queryKey: QueryKey }): boolean => q.queryKey[0] === 'pipelines' && q.queryKey[2] === 'board';

/** A deal changed: the boards are out of date, read again when next shown (not now, in the background). */
export function markBoardsStale(qc: QueryClient): void {
  void qc.invalidateQueries({ predicate: isBoardQuery, refetchType: 'none' });
}

/** The fields a board card carries: every field of the deal but the ones only the card shows. */
export type BoardDealFields = Omit<Deal, 'createdById' | 'observerIds' | 'leadId' | 'probability' | 'comment' | 'closedAt' | 'stageChangedAt' | 'custom'>;

/**
 * The deal as a cached board shows it, or undefined when no board in the cache has it. Only for
 * display while the full deal loads: the fields a board card lacks are absent.
 */
export function boardPreview(qc: QueryClient, id: number): BoardDealFields | undefined {
  const boards = qc.getQueriesData<{ columns?: Array<{ items?: BoardDealFields[] }> }>({ predicate: isBoardQuery });
  for (const [, board] of boards) {
    for (const column of board?.columns ?? []) {
      const found = column.items?.find((d) => d.id === id);
      if (found) return found;
    }
  }
  return undefined;
}
