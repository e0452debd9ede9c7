import { useCallback, useMemo, useRef, useState } from 'react';
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  pointerWithin,
  TouchSensor,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { notifications } from '@mantine/notifications';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Query } from '../../api/client';
import { prefetchDeal } from '../../api/deals';
import { errorMessage } from '../../lib/errors';
import { Column } from './Column';
import { DealCard } from './DealCard';
import { LossReasonModal } from '../../components/deal/LossReasonModal';
import { applyMove, locateDeal, type MoveTarget } from './optimistic-move';
import type { Board } from './types';
import type { QuickDeal } from './QuickCreate';
import { useColumnPager, useMoveDeal, useQuickCreate, useUserNames, type MoveVars } from './use-board';

type DndData = { type: 'card' | 'column'; stageId: number } | undefined;

/** Which stage a droppable (a card or a column) belongs to in the board as shown. */
function stageOf(board: Board, id: UniqueIdentifier, data: DndData): number | null {
  if (data?.type === 'column') return data.stageId;
  if (typeof id === 'string' && id.startsWith('stage:')) return Number(id.slice(6));
  const at = locateDeal(board, Number(id));
  return at ? board.columns[at.columnIndex]!.stage.id : null;
}

/**
 * Cards: the pointer's column wins; inside it the nearest card. The keyboard (no pointer) and a
 * pointer outside every column use the nearest corners.
 */
const collision: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  if (within.length === 0) return closestCorners(args);
  const card = within.find((c) => (c.data?.droppableContainer.data.current as DndData)?.type === 'card');
  if (card) return [card];
  const col = within.find((c) => (c.data?.droppableContainer.data.current as DndData)?.type === 'column');
  if (!col) return within;
  const stageId = (col.data!.droppableContainer.data.current as DndData)!.stageId;
  const cards = args.droppableContainers.filter((c) => {
    const d = c.data.current as DndData;
    return d?.type === 'card' && d.stageId === stageId && c.id !== args.active.id;
  });
  if (cards.length === 0) return [col];
  return closestCorners({ ...args, droppableContainers: cards });
};

/**
 * The board scrolls sideways when a card is held near its edge, but only within a thin band (the
 * default band is a fifth of the board: at 1366–1440 px a card held over «Успешно» scrolled the
 * board until «Провалена» was under the pointer), and never while the pointer is over a closed
 * stage, which sits at the end of the board.
 */
const autoScroll = (overClosed: { current: boolean }) => ({
  threshold: { x: 0.04, y: 0.12 },
  canScroll: (el: Element) => !(overClosed.current && el.classList.contains('board-columns')),
});

const EXPANDED_KEY = 'voronka.board.expandedClosed';

/**
 * Closed stages (success, failure) are collapsed by default, like amoCRM and Bitrix24 do: their
 * count and sums stay in view and they stay drop targets. Which ones a user has expanded is kept
 * in localStorage.
 */
function useExpandedClosedStages(pipelineId: number) {
  const read = (): Record<string, number[]> => {
    try {
      return JSON.parse(localStorage.getItem(EXPANDED_KEY) ?? '{}') as Record<string, number[]>;
    } catch {
      return {};
    }
  };
  const [all, setAll] = useState(read);
  const expanded = useMemo(() => new Set(all[pipelineId] ?? []), [all, pipelineId]);
  const toggle = useCallback(
    (stageId: number) => {
      const now = read();
      const list = new Set(now[pipelineId] ?? []);
      if (list.has(stageId)) list.delete(stageId);
      else list.add(stageId);
      const next = { ...now, [pipelineId]: [...list] };
      try {
        localStorage.setItem(EXPANDED_KEY, JSON.stringify(next));
      } catch {
        /* private mode: kept for this page only */
      }
      setAll(next);
    },
    [pipelineId],
  );
  return { expanded, toggle };
}

export function BoardView({ board, boardKey, pipelineId, query, refreshing }: { board: Board; boardKey: QueryKey; pipelineId: number; query: Query; refreshing: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const userNames = useUserNames();
  const [activeId, setActiveId] = useState<number | null>(null);
  const [preview, setPreview] = useState<MoveTarget | null>(null);
  const { expanded, toggle: toggleExpanded } = useExpandedClosedStages(pipelineId);
  const collapsed = useMemo(() => new Set(board.columns.filter((c) => c.stage.semantic !== 'in_progress' && !expanded.has(c.stage.id)).map((c) => c.stage.id)), [board.columns, expanded]);
  // the stage under the pointer is closed: the board must not scroll away from it (see autoScroll)
  const overClosed = useRef(false);
  const [pendingLoss, setPendingLoss] = useState<(MoveVars & { title: string; stageName: string }) | null>(null);
  const dragEndedAt = useRef(0);
  // what the loss-reason dialog shows, kept while it closes
  const lossInfo = useRef({ title: '', stageName: '' });
  if (pendingLoss) lossInfo.current = { title: pendingLoss.title, stageName: pendingLoss.stageName };

  const view = useMemo(() => (preview ? (applyMove(board, preview)?.board ?? board) : board), [board, preview]);

  const { move } = useMoveDeal(
    boardKey,
    useCallback((e: unknown) => notifications.show({ color: 'red', title: t('board.move.refused'), message: errorMessage(t, e) }), [t]),
  );
  const create = useQuickCreate(boardKey, pipelineId);
  const pager = useColumnPager(pipelineId, query, boardKey);

  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 220, tolerance: 8 } }),
    useSensor(KeyboardSensor, {
      coordinateGetter: sortableKeyboardCoordinates,
      // Enter opens the card; Space picks it up and puts it down
      keyboardCodes: { start: ['Space'], cancel: ['Escape'], end: ['Space', 'Enter'] },
    }),
  );

  const openDeal = useCallback(
    (id: number, via: 'click' | 'key') => {
      // a click right after a mouse drop is the end of the drag, not a wish to open the deal
      if (activeIdRef.current !== null || (via === 'click' && Date.now() - dragEndedAt.current < 300)) return false;
      prefetchDeal(qc, id); // a click without a resting pointer first (touch, a quick hand): read while the card renders
      navigate(`/deals/${id}`);
      return true;
    },
    [navigate, qc],
  );
  const activeIdRef = useRef<number | null>(null);
  activeIdRef.current = activeId;

  const commit = useCallback(
    (target: MoveTarget) => {
      const from = locateDeal(board, target.dealId);
      const to = board.columns.find((c) => c.stage.id === target.toStageId);
      if (!from || !to || !applyMove(board, target)) return;
      const fromStageId = board.columns[from.columnIndex]!.stage.id;
      if (to.stage.requiresLossReason && to.stage.id !== fromStageId) {
        setPendingLoss({ ...target, title: from.deal.title, stageName: to.stage.name });
        return;
      }
      move(target);
    },
    [board, move],
  );

  const onDragStart = ({ active }: DragStartEvent) => {
    setActiveId(Number(active.id));
    setPreview(null);
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const dealId = Number(active.id);
    const activeStage = stageOf(view, active.id, undefined);
    const overStage = stageOf(view, over.id, over.data.current as DndData);
    overClosed.current = overStage !== null && view.columns.find((c) => c.stage.id === overStage)?.stage.semantic !== 'in_progress';
    // a collapsed column shows no cards: the card stays where it is until it is dropped there
    if (overStage !== null && collapsed.has(overStage)) return setPreview(null);
    if (activeStage === null || overStage === null || activeStage === overStage) return;
    const col = view.columns.find((c) => c.stage.id === overStage)!;
    let afterId: number | null;
    if ((over.data.current as DndData)?.type === 'card') {
      const overIndex = col.items.findIndex((d) => d.id === Number(over.id));
      const rect = active.rect.current.translated;
      const below = rect ? rect.top + rect.height / 2 > over.rect.top + over.rect.height / 2 : false;
      const at = overIndex + (below ? 1 : 0);
      afterId = at <= 0 ? null : col.items[at - 1]!.id;
    } else {
      afterId = col.items.length ? col.items[col.items.length - 1]!.id : null;
    }
    // the preview is always a move from where the card really is (the cached board)
    setPreview({ dealId, toStageId: overStage, afterId });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    dragEndedAt.current = Date.now();
    const dealId = Number(active.id);
    const shown = view;
    setActiveId(null);
    setPreview(null);
    overClosed.current = false;
    if (!over) return;
    const overStage = stageOf(shown, over.id, over.data.current as DndData);
    if (overStage !== null && collapsed.has(overStage)) {
      // dropped on a collapsed column: on top of it
      if (stageOf(board, active.id, undefined) !== overStage) commit({ dealId, toStageId: overStage, afterId: null });
      return;
    }
    const stageId = stageOf(shown, active.id, undefined);
    if (stageId === null) return;
    const col = shown.columns.find((c) => c.stage.id === stageId)!;
    const ids = col.items.map((d) => d.id);
    let newIds = ids;
    const overIsCardHere = (over.data.current as DndData)?.type === 'card' && ids.includes(Number(over.id));
    if (overIsCardHere && Number(over.id) !== dealId) newIds = arrayMove(ids, ids.indexOf(dealId), ids.indexOf(Number(over.id)));
    const i = newIds.indexOf(dealId);
    commit({ dealId, toStageId: stageId, afterId: i > 0 ? newIds[i - 1]! : null });
  };

  const onDragCancel = () => {
    dragEndedAt.current = Date.now();
    overClosed.current = false;
    setActiveId(null);
    setPreview(null);
  };

  const titleOf = (id: UniqueIdentifier) => locateDeal(view, Number(id))?.deal.title ?? '';
  const stageNameOf = (id: UniqueIdentifier, data: unknown) => {
    const s = stageOf(view, id, data as DndData);
    return view.columns.find((c) => c.stage.id === s)?.stage.name ?? '';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.dnd.picked', { title: titleOf(active.id) }),
    onDragOver: ({ active, over }) => (over ? t('board.dnd.over', { title: titleOf(active.id), stage: stageNameOf(over.id, over.data.current) }) : undefined),
    onDragEnd: ({ active, over }) => (over ? t('board.dnd.dropped', { title: titleOf(active.id), stage: stageNameOf(over.id, over.data.current) }) : t('board.dnd.cancelled', { title: titleOf(active.id) })),
    onDragCancel: ({ active }) => t('board.dnd.cancelled', { title: titleOf(active.id) }),
  };

  const onCreate = useCallback(
    async (stageId: number, input: QuickDeal) => {
      const deal = await create.mutateAsync({ stageId, ...input });
      notifications.show({ color: 'green', message: t('board.quick.created', { title: deal.title }) });
      return deal;
    },
    [create, t],
  );

  const active = activeId !== null ? locateDeal(view, activeId)?.deal : undefined;

  return (
    <>
      <DndContext
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={onDragStart}
        onDragOver={onDragOver}
        onDragEnd={onDragEnd}
        onDragCancel={onDragCancel}
        autoScroll={autoScroll(overClosed)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('board.dnd.instructions') } }}
      >
        <div className="board-columns" data-testid="board" aria-busy={refreshing || undefined} style={{ opacity: refreshing ? 0.6 : 1 }}>
          {view.columns.map((column) => (
            <Column
              key={column.stage.id}
              column={column}
              userNames={userNames}
              activeId={activeId}
              loading={pager.loading.has(column.stage.id)}
              failed={pager.failed.has(column.stage.id)}
              onLoadMore={pager.loadMore}
              onOpen={openDeal}
              onCreate={onCreate}
              creating={create.isPending && create.variables?.stageId === column.stage.id}
              collapsed={collapsed.has(column.stage.id)}
              onToggleCollapsed={column.stage.semantic === 'in_progress' ? undefined : toggleExpanded}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>{active ? <DealCard deal={active} responsibleName={userNames.get(active.responsibleId)} overlay /> : null}</DragOverlay>
      </DndContext>
      <LossReasonModal
        opened={pendingLoss !== null}
        dealTitle={lossInfo.current.title}
        stageName={lossInfo.current.stageName}
        onCancel={() => setPendingLoss(null)}
        onConfirm={(lossReasonId) => {
          if (pendingLoss) move({ dealId: pendingLoss.dealId, toStageId: pendingLoss.toStageId, afterId: pendingLoss.afterId, lossReasonId });
          setPendingLoss(null);
        }}
      />
    </>
  );
}
