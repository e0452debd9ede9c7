import type { QuickDeal } from './QuickCreate';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api, type Query } from '../../api/client';
import { useUsers } from '../../api/lookups';
import { appendColumnPage, applyMove, confirmMove, insertDeal, rollbackMove, type MoveTarget, type MoveUndo } from './optimistic-move';
import type { Board, BoardDeal, ColumnPage } from './types';
import { markBoardsStale } from '../../api/deals';
import { prefetchCardNames } from './names';

// Data of the board screen. The board is one cache entry (['pipelines', id, 'board', filters]);
// the further pages of a column are appended to it, so that a move is one pure update of one
// entry (optimistic-move.ts) and a rollback cannot miss a page.

export const PAGE_SIZE = 20;

export const boardKey = (pipelineId: number, query: Record<string, unknown>): QueryKey => ['pipelines', pipelineId, 'board', query];

export function useBoard(pipelineId: number | null, query: Query, keyPart: Record<string, unknown>) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: boardKey(pipelineId ?? 0, keyPart),
    queryFn: async ({ signal }) => {
      const board = await api.get<Board>(`/pipelines/${pipelineId}/board`, { ...query, limit: PAGE_SIZE }, { signal });
      prefetchCardNames(qc, board.columns.flatMap((c) => c.items));
      return board;
    },
    enabled: pipelineId !== null,
    // a refetch would drop the pages loaded by scrolling: the board refreshes when it is opened again
    refetchOnWindowFocus: false,
    placeholderData: (prev, prevQuery) => (prevQuery && prevQuery.queryKey[1] === pipelineId ? prev : undefined),
  });
}

/** Loads the next page of a column into the cached board; one request per column at a time. */
export function useColumnPager(pipelineId: number, query: Query, key: QueryKey) {
  const qc = useQueryClient();
  const inFlight = useRef(new Set<number>());
  const [loading, setLoading] = useState<ReadonlySet<number>>(new Set());
  const [failed, setFailed] = useState<ReadonlySet<number>>(new Set());

  const loadMore = useCallback(
    async (stageId: number, cursor: string) => {
      if (inFlight.current.has(stageId)) return;
      inFlight.current.add(stageId);
      setLoading(new Set(inFlight.current));
      try {
        const page = await api.get<ColumnPage>(`/pipelines/${pipelineId}/board/${stageId}`, { ...query, limit: PAGE_SIZE * 2, cursor });
        prefetchCardNames(qc, page.items);
        qc.setQueryData<Board>(key, (b) => (b ? appendColumnPage(b, stageId, cursor, page) : b));
        setFailed((s) => (s.has(stageId) ? new Set([...s].filter((x) => x !== stageId)) : s));
      } catch {
        setFailed((s) => new Set(s).add(stageId));
      } finally {
        inFlight.current.delete(stageId);
        setLoading(new Set(inFlight.current));
      }
    },
    [pipelineId, query, key, qc],
  );
  return { loadMore, loading, failed };
}

export interface MoveVars extends MoveTarget {
  lossReasonId?: number;
}

/** Pure wrapper used by the mutation: the optimistic step on a cache entry. */
export function optimisticMove(qc: QueryClient, key: QueryKey, move: MoveTarget): MoveUndo | null {
  let undo: MoveUndo | null = null;
  qc.setQueryData<Board>(key, (b) => {
    if (!b) return b;
    const r = applyMove(b, move);
    if (!r) return b;
    undo = r.undo;
    return r.board;
  });
  return undo;
}

/**
 * Moves a card: the board changes at once (synchronously, so the dropped card does not flash back
 * to where it came from), the server is asked, its answer replaces the card; a refusal puts the
 * card back and calls onRefused (a notification).
 */
export function useMoveDeal(key: QueryKey, onRefused: (error: unknown) => void) {
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: (v: MoveVars & { undo: MoveUndo | null }) =>
      api.post<BoardDeal>(`/deals/${v.dealId}/move`, {
        stageId: v.toStageId,
        afterId: v.afterId,
        ...(v.lossReasonId ? { lossReasonId: v.lossReasonId } : {}),
      }),
    onSuccess: (deal) => {
      qc.setQueryData<Board>(key, (b) => (b ? confirmMove(b, deal) : b));
      // other views of the deal (its card, lists, this board under other filters) are out of date
      void qc.invalidateQueries({ queryKey: ['deals'] });
      markBoardsStale(qc);
    },
    onError: (error, v) => {
      const undo = v.undo;
      if (undo) qc.setQueryData<Board>(key, (b) => (b ? rollbackMove(b, undo) : b));
      onRefused(error);
    },
  });
  const { mutate } = mutation;
  const move = useCallback(
    (v: MoveVars) => {
      // a board answer arriving now would overwrite the move
      void qc.cancelQueries({ queryKey: key, exact: true });
      const undo = optimisticMove(qc, key, v);
      mutate({ ...v, undo });
    },
    [qc, key, mutate],
  );
  return { move, isPending: mutation.isPending };
}

export function useQuickCreate(key: QueryKey, pipelineId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ stageId, ...deal }: { stageId: number } & QuickDeal) => api.post<BoardDeal>('/deals', { ...deal, pipelineId, stageId }),
    onSuccess: (deal) => {
      qc.setQueryData<Board>(key, (b) => (b ? insertDeal(b, deal) : b));
      void qc.invalidateQueries({ queryKey: ['deals'] });
    },
  });
}

/** Users by id, for the responsible names on cards. */
export function useUserNames() {
  const users = useUsers().data;
  return useMemo(() => new Map((users ?? []).map((u) => [u.id, u.name])), [users]);
}
