import { memo, useCallback, useRef, useState } from 'react';
import { ActionIcon, Box, Button, Center, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { useDroppable } from '@dnd-kit/core';
import { SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useTranslation } from 'react-i18next';
import { useVirtualColumn, VirtualRows } from '../../components/kanban/VirtualColumn';
import { useFormat } from '../../lib/use-format';
import { DealCard } from './DealCard';
import { QuickCreate, type QuickDeal } from './QuickCreate';
import type { BoardColumn, BoardDeal } from './types';

export const columnDndId = (stageId: number) => `stage:${stageId}`;

interface ColumnProps {
  column: BoardColumn;
  userNames: Map<number, string>;
  activeId: number | null;
  loading: boolean;
  failed: boolean;
  onLoadMore: (stageId: number, cursor: string) => void;
  onOpen: (id: number, via: 'click' | 'key') => boolean;
  onCreate: (stageId: number, deal: QuickDeal) => Promise<unknown>;
  creating: boolean;
  /** a closed stage shown as a narrow strip: name, count and sums, no cards; still a drop target */
  collapsed?: boolean;
  /** closed stages only: collapse or expand */
  onToggleCollapsed?: (stageId: number) => void;
}

const SortableCard = memo(function SortableCard({ deal, stageId, responsibleName, roleDescription, onOpen }: { deal: BoardDeal; stageId: number; responsibleName?: string; roleDescription: string; onOpen: (id: number, via: 'click' | 'key') => boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: deal.id, data: { type: 'card', stageId }, attributes: { roleDescription } });
  return (
    <DealCard
      ref={setNodeRef}
      deal={deal}
      responsibleName={responsibleName}
      onOpen={onOpen}
      ghost={isDragging}
      {...attributes}
      {...listeners}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    />
  );
});

/** A stage column: header with count and sums, quick-create, and its cards (virtualised, paged in as they scroll into view). */
export const Column = memo(function Column(props: ColumnProps) {
  return props.collapsed ? <CollapsedColumn {...props} /> : <OpenColumn {...props} />;
});

function CollapsedColumn({ column, onToggleCollapsed }: ColumnProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { stage } = column;
  const { setNodeRef, isOver } = useDroppable({ id: columnDndId(stage.id), data: { type: 'column', stageId: stage.id } });
  const headingId = `stage-${stage.id}-title`;
  const sums = column.sums.length > 0 ? fmt.moneySums(column.sums, { compactZeroFraction: true }) : '';
  return (
    <Box
      component="section"
      ref={setNodeRef}
      aria-labelledby={headingId}
      className="board-column board-column-collapsed"
      data-testid="board-column"
      data-stage-id={stage.id}
      data-collapsed="true"
      style={{ background: isOver ? 'var(--mantine-color-blue-0)' : 'var(--mantine-color-gray-0)', borderTop: `3px solid ${stage.color}` }}
    >
      <Tooltip label={t('board.column.expand', { stage: stage.name })} openDelay={400}>
        <ActionIcon variant="subtle" size="sm" mt={6} aria-label={t('board.column.expand', { stage: stage.name })} aria-expanded={false} onClick={() => onToggleCollapsed?.(stage.id)}>
          <span aria-hidden="true" style={{ fontSize: 14, lineHeight: 1 }}>
            ⟷
          </span>
        </ActionIcon>
      </Tooltip>
      <div className="board-column-collapsed-text">
        <Text component="h2" id={headingId} fw={700} size="sm" m={0} span>
          {stage.name}
        </Text>
        <Text size="xs" c="dimmed" data-testid="column-count" span>
          {t('count.deals', { count: column.count })}
          {sums && ` · ${sums}`}
        </Text>
      </div>
    </Box>
  );
}

function OpenColumn({ column, userNames, activeId, loading, failed, onLoadMore, onOpen, onCreate, creating, onToggleCollapsed }: ColumnProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { stage, items } = column;
  const [quick, setQuick] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { setNodeRef: setDropRef, isOver } = useDroppable({ id: columnDndId(stage.id), data: { type: 'column', stageId: stage.id } });

  const hasMore = column.nextCursor !== null;
  const keepIndex = activeId === null ? -1 : items.findIndex((d) => d.id === activeId);
  const loadMore = useCallback(() => onLoadMore(stage.id, column.nextCursor!), [onLoadMore, stage.id, column.nextCursor]);
  // the dragged card stays mounted even when it scrolls out of view (dnd-kit needs its node)
  const virtualizer = useVirtualColumn({ items, getKey: (d) => d.id, scrollRef, hasMore, paused: loading || failed, onLoadMore: loadMore, keepIndex });

  const headingId = `stage-${stage.id}-title`;
  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      className="board-column"
      data-testid="board-column"
      data-stage-id={stage.id}
      style={{
        background: isOver ? 'var(--mantine-color-blue-0)' : 'var(--mantine-color-gray-0)',
        borderTop: `3px solid ${stage.color}`,
      }}
    >
      <Stack gap={2} px="xs" pt="xs" pb={6}>
        <Group justify="space-between" wrap="nowrap" gap={4}>
          <Text component="h2" id={headingId} fw={700} size="sm" truncate title={stage.name} m={0}>
            {stage.name}
          </Text>
          {onToggleCollapsed && (
            <Tooltip label={t('board.column.collapse', { stage: stage.name })} openDelay={400}>
              <ActionIcon variant="subtle" size="sm" ml="auto" aria-label={t('board.column.collapse', { stage: stage.name })} aria-expanded onClick={() => onToggleCollapsed(stage.id)}>
                <span aria-hidden="true" style={{ fontSize: 14, lineHeight: 1 }}>
                  ⟷
                </span>
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label={t('board.quick.open', { stage: stage.name })} openDelay={400}>
            <ActionIcon variant="subtle" size="sm" aria-label={t('board.quick.open', { stage: stage.name })} aria-expanded={quick} onClick={() => setQuick((q) => !q)}>
              <span aria-hidden="true" style={{ fontSize: 18, lineHeight: 1 }}>
                +
              </span>
            </ActionIcon>
          </Tooltip>
        </Group>
        <Text size="xs" c="dimmed" data-testid="column-count">
          {t('count.deals', { count: column.count })}
          {column.sums.length > 0 && ` · ${fmt.moneySums(column.sums, { compactZeroFraction: true })}`}
        </Text>
      </Stack>
      {quick && <QuickCreate stage={stage} busy={creating} onCreate={onCreate} onClose={() => setQuick(false)} />}
      <div
        ref={(el) => {
          scrollRef.current = el;
          setDropRef(el);
        }}
        className="board-column-scroll"
        data-testid="column-scroll"
      >
        <SortableContext id={columnDndId(stage.id)} items={items.map((d) => d.id)} strategy={verticalListSortingStrategy}>
          <VirtualRows
            virtualizer={virtualizer}
            items={items}
            renderItem={(deal) => <SortableCard deal={deal} stageId={stage.id} responsibleName={userNames.get(deal.responsibleId)} roleDescription={t('board.dnd.roleDescription')} onOpen={onOpen} />}
            more={
              failed ? (
                <Center py="xs">
                  <Button size="compact-xs" variant="light" onClick={loadMore}>
                    {t('board.column.retryMore')}
                  </Button>
                </Center>
              ) : (
                <Center py="xs" role="status">
                  <Loader size="xs" aria-label={t('common.loading')} />
                </Center>
              )
            }
            empty={
              <Center h={80} px="xs">
                <Text size="xs" c="dimmed" ta="center">
                  {t('board.column.empty')}
                </Text>
              </Center>
            }
          />
        </SortableContext>
      </div>
    </Box>
  );
}
