import { useCallback, useRef, useState } from 'react';
import { ActionIcon, Anchor, Box, Button, Center, Group, Loader, Menu, Paper, ScrollArea, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { nameOf, useUsers } from '../../api/lookups';
import { PhoneLink } from '../../components/crm/CommLinks';
import { useVirtualColumn, VirtualRows } from '../../components/kanban/VirtualColumn';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { errorMessage } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { canDropOn, moveLead, replaceLead, type LeadBoardData, type LeadColumn } from './board-logic';
import type { Lead } from './types';

// The lead board: a column per lead status with its count and sums. A card is dragged to another
// in-progress or junk status (saved at once, rolled back with a message if refused); dropping it on
// the converted column opens the convert dialog. Keyboard: each card's "⋯" menu moves it too.

type Board = LeadBoardData<Lead>;

export function LeadBoard({ filters }: { filters: Record<string, string> }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const key = ['leads', 'board', filters];
  const q = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<Board>('/leads/board', { ...filters, limit: 30 }, { signal }) });
  const [dragging, setDragging] = useState<Lead | null>(null);
  const [over, setOver] = useState<number | null>(null);

  const move = useMutation({
    mutationFn: ({ lead, statusId }: { lead: Lead; statusId: number }) => api.patch<Lead>(`/leads/${lead.id}`, { statusId, version: lead.version }),
    onMutate: async ({ lead, statusId }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Board>(key);
      if (before) qc.setQueryData<Board>(key, moveLead(before, lead.id, statusId));
      return { before };
    },
    onSuccess: (saved) => {
      qc.setQueryData<Board>(key, (b) => (b ? replaceLead(b, saved) : b));
      qc.setQueryData(['leads', saved.id], saved);
      void qc.invalidateQueries({ queryKey: ['leads', 'list'] });
    },
    onError: (e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
      notifications.show({ color: 'red', title: t('leads.board.moveFailed'), message: errorMessage(t, e) });
      void qc.invalidateQueries({ queryKey: key });
    },
  });

  // further pages of a column, one request per column at a time
  const [loading, setLoading] = useState<ReadonlySet<number>>(new Set());
  const [failed, setFailed] = useState<ReadonlySet<number>>(new Set());
  const inFlight = useRef(new Set<number>());
  const without = (set: ReadonlySet<number>, id: number) => new Set([...set].filter((x) => x !== id));
  const loadMore = useCallback(
    async (col: LeadColumn<Lead>) => {
      const id = col.status.id;
      if (inFlight.current.has(id) || !col.nextCursor) return;
      inFlight.current.add(id);
      setLoading(new Set(inFlight.current));
      try {
        const page = await api.get<LeadColumn<Lead>>(`/leads/board/${id}`, { ...filters, limit: 30, cursor: col.nextCursor });
        qc.setQueryData<Board>(key, (b) =>
          b ? { ...b, columns: b.columns.map((c) => (c.status.id === id ? { ...c, items: [...c.items, ...page.items.filter((i) => !c.items.some((x) => x.id === i.id))], nextCursor: page.nextCursor } : c)) } : b,
        );
        setFailed((s) => without(s, id));
      } catch (e) {
        setFailed((s) => new Set(s).add(id));
        notifications.show({ color: 'red', message: errorMessage(t, e) });
      } finally {
        inFlight.current.delete(id);
        setLoading(new Set(inFlight.current));
      }
    },
    // `filters` (and `key` made of it) is a new object on every render, built from
    // the URL: its JSON is what identifies it, so the callback changes only when the filters do.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
    [qc, t, JSON.stringify(filters)],
  );

  const drop = (lead: Lead, col: LeadColumn<Lead>) => {
    const action = canDropOn(col.status, lead);
    if (action === 'move') move.mutate({ lead, statusId: col.status.id });
    if (action === 'convert') navigate(`/leads/${lead.id}`, { state: { convert: true } });
  };

  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const columns = q.data.columns;
  if (!columns.length) return <Empty title={t('leads.board.noStatuses')} description={t('leads.board.noStatusesHint')} />;

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm" data-testid="lead-board">
        {columns.map((col) => {
          const target = dragging ? canDropOn(col.status, dragging) : null;
          return (
            <Paper
              key={col.status.id}
              withBorder
              p="xs"
              w={280}
              miw={280}
              bg={over === col.status.id && target ? 'blue.0' : 'gray.0'}
              component="section"
              aria-label={col.status.name}
              data-testid={`lead-column-${col.status.id}`}
              onDragOver={(e) => {
                if (target) {
                  e.preventDefault();
                  setOver(col.status.id);
                }
              }}
              onDragLeave={() => setOver((o) => (o === col.status.id ? null : o))}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                if (dragging) drop(dragging, col);
                setDragging(null);
              }}
            >
              <ColumnHeader col={col} />
              <LeadColumnCards
                col={col}
                columns={columns}
                loading={loading.has(col.status.id)}
                failed={failed.has(col.status.id)}
                onLoadMore={loadMore}
                dragging={dragging}
                setDragging={(lead) => {
                  setDragging(lead);
                  if (!lead) setOver(null);
                }}
                onMove={drop}
              />
            </Paper>
          );
        })}
      </Group>
    </ScrollArea>
  );
}

/** A column's cards, virtualised (a status may hold thousands of leads); the next page loads as its end comes into view. */
function LeadColumnCards({
  col,
  columns,
  loading,
  failed,
  onLoadMore,
  dragging,
  setDragging,
  onMove,
}: {
  col: LeadColumn<Lead>;
  columns: Array<LeadColumn<Lead>>;
  loading: boolean;
  failed: boolean;
  onLoadMore: (col: LeadColumn<Lead>) => Promise<void>;
  dragging: Lead | null;
  setDragging: (lead: Lead | null) => void;
  onMove: (lead: Lead, col: LeadColumn<Lead>) => void;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const latest = useRef(col);
  latest.current = col;
  const loadMore = useCallback(() => void onLoadMore(latest.current), [onLoadMore]);
  const virtualizer = useVirtualColumn({
    items: col.items,
    getKey: (l) => l.id,
    scrollRef,
    hasMore: col.nextCursor !== null,
    paused: loading || failed,
    onLoadMore: loadMore,
    keepIndex: dragging ? col.items.findIndex((l) => l.id === dragging.id) : -1,
    estimateSize: 96,
  });
  return (
    <Box ref={scrollRef} mt="xs" style={{ maxHeight: 'calc(100dvh - 260px)', minHeight: 60, overflowY: 'auto' }} data-testid="lead-column-scroll">
      <VirtualRows
        virtualizer={virtualizer}
        items={col.items}
        renderItem={(lead) => <LeadBoardCard lead={lead} columns={columns} onDragStart={() => setDragging(lead)} onDragEnd={() => setDragging(null)} onMove={(c) => onMove(lead, c)} />}
        more={
          <Center py="xs">
            {failed ? (
              <Button size="compact-xs" variant="light" onClick={loadMore}>
                {t('board.column.retryMore')}
              </Button>
            ) : (
              <Loader size="xs" aria-label={t('common.loading')} />
            )}
          </Center>
        }
        empty={
          <Text size="xs" c="dimmed" ta="center" py="sm">
            {t('leads.board.emptyColumn')}
          </Text>
        }
      />
    </Box>
  );
}

function ColumnHeader({ col }: { col: LeadColumn<Lead> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Box>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text fw={600} size="sm" truncate component="h2">
          {col.status.name}
        </Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="column-count">
          {t('count.leads', { count: col.count })}
        </Text>
      </Group>
      {col.sums.length > 0 && (
        <Text size="xs" c="dimmed">
          {fmt.moneySums(col.sums, { compactZeroFraction: true })}
        </Text>
      )}
    </Box>
  );
}

function LeadBoardCard({ lead, columns, onDragStart, onDragEnd, onMove }: { lead: Lead; columns: Array<LeadColumn<Lead>>; onDragStart: () => void; onDragEnd: () => void; onMove: (c: LeadColumn<Lead>) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers().data;
  const targets = columns.filter((c) => canDropOn(c.status, lead));
  return (
    <Paper
      withBorder
      p="xs"
      shadow="xs"
      draggable={lead.statusSemantic !== 'converted'}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', String(lead.id));
        onDragStart();
      }}
      onDragEnd={onDragEnd}
      style={{ cursor: lead.statusSemantic === 'converted' ? 'default' : 'grab' }}
      data-testid="lead-card"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap={4}>
        <Anchor component={Link} to={`/leads/${lead.id}`} size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
          {lead.title}
        </Anchor>
        {targets.length > 0 && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('leads.board.moveLead', { title: lead.title })}>
                ⋯
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('leads.board.moveTo')}</Menu.Label>
              {targets.map((c) => (
                <Menu.Item key={c.status.id} onClick={() => onMove(c)}>
                  {c.status.semantic === 'converted' ? t('leads.convert.action') : c.status.name}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      {(lead.companyName || lead.lastName || lead.firstName) && (
        <Text size="xs" truncate>
          {[[lead.lastName, lead.firstName].filter(Boolean).join(' '), lead.companyName].filter(Boolean).join(', ')}
        </Text>
      )}
      {lead.phones[0] && (
        <Text size="xs">
          <PhoneLink phone={lead.phones[0]} size="xs" />
        </Text>
      )}
      <Group justify="space-between" gap={4} mt={4}>
        <Text size="xs" c="dimmed" truncate maw={150}>
          {nameOf(users, lead.responsibleId) ?? ''}
        </Text>
        {lead.amount > 0 && (
          <Text size="xs" fw={500}>
            {fmt.money(lead.amount, lead.currency, { compactZeroFraction: true })}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
