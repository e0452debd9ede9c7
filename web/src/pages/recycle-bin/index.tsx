import { useState } from 'react';
import { Anchor, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useUsers } from '../../api/lookups';
import type { Page } from '../../api/types';
import { useIsAdmin } from '../../auth/session';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Empty, PageHeader, PageLoader, QueryError } from '../../components/page';
import { invalidateLinks } from '../../components/record/keys';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';

// The recycle bin (GET /recycle-bin, POST /recycle-bin/{type}/{id}/restore, DELETE … for
// administrators): deleted deals, leads, contacts and companies the user may delete, newest
// first, with who deleted them and when they go for good. «Восстановить» puts a record back with
// its links, activities and history; «Удалить навсегда» (administrators) purges it now.

type BinEntity = 'deal' | 'lead' | 'contact' | 'company';
interface BinItem {
  id: number;
  entityType: BinEntity;
  entityId: number;
  title: string;
  deletedAt: string;
  deletedById: number | null;
  purgeAt: string;
}

const PLURAL = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' } as const;
const FILTERS = ['all', 'deal', 'lead', 'contact', 'company'] as const;

export default function RecycleBinPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const isAdmin = useIsAdmin();
  const users = useUsers();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('all');
  const [purging, setPurging] = useState<BinItem | null>(null);
  const q = useInfiniteQuery({
    queryKey: ['recycle-bin', filter],
    queryFn: ({ pageParam, signal }) => api.get<Page<BinItem>>('/recycle-bin', { limit: 50, cursor: pageParam, ...(filter === 'all' ? {} : { entityType: filter }) }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['recycle-bin'] });
    // a restored record is back in its lists, sections and its links' cards
    invalidateLinks(qc);
  };
  const restore = useMutation({
    mutationFn: (i: BinItem) => api.post(`/recycle-bin/${i.entityType}/${i.entityId}/restore`, {}),
    onSuccess: (_r, i) => {
      notifications.show({ color: 'green', message: t('recycleBin.restored', { name: i.title }) });
      done();
    },
    onError: (e) => notifyError(t, e),
  });
  const purge = useMutation({
    mutationFn: (i: BinItem) => api.delete(`/recycle-bin/${i.entityType}/${i.entityId}`),
    onSuccess: (_r, i) => {
      setPurging(null);
      notifications.show({ color: 'green', message: t('recycleBin.purged', { name: i.title }) });
      done();
    },
    onError: (e) => {
      setPurging(null);
      notifyError(t, e);
    },
  });
  const userName = (id: number | null) => (id === null ? t('record.timeline.system') : (users.data?.find((u) => u.id === id)?.name ?? t('record.value.userId', { id })));
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title={t('recycleBin.title')} />
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('recycleBin.hint')}
        </Text>
        <SegmentedControl
          aria-label={t('recycleBin.filter')}
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          data={FILTERS.map((f) => ({ value: f, label: t(`recycleBin.kinds.${f}`) }))}
          style={{ alignSelf: 'flex-start' }}
        />
        {q.isPending ? (
          <PageLoader />
        ) : q.isError ? (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ) : items.length === 0 ? (
          <Empty title={t('recycleBin.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table withTableBorder verticalSpacing={6} data-testid="recycle-bin-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recycleBin.record')}</Table.Th>
                  <Table.Th>{t('recycleBin.kind')}</Table.Th>
                  <Table.Th>{t('recycleBin.deleted')}</Table.Th>
                  <Table.Th>{t('recycleBin.purgeAt')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => (
                  <Table.Tr key={i.id} data-testid="recycle-bin-item">
                    <Table.Td>{i.title || t(`record.value.${i.entityType}`, { id: i.entityId })}</Table.Td>
                    <Table.Td>{t(`recycleBin.kinds.${i.entityType}`)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{fmt.dateTime(i.deletedAt)}</Text>
                      <Text size="xs" c="dimmed">
                        {userName(i.deletedById)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(i.purgeAt)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="light" loading={restore.isPending && restore.variables?.id === i.id} onClick={() => restore.mutate(i)} aria-label={t('recycleBin.restoreNamed', { name: i.title })}>
                          {t('recycleBin.restore')}
                        </Button>
                        {isAdmin && (
                          <Button size="xs" variant="subtle" color="red" onClick={() => setPurging(i)} aria-label={t('recycleBin.purgeNamed', { name: i.title })}>
                            {t('recycleBin.purge')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {q.hasNextPage && (
          <Button variant="subtle" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} style={{ alignSelf: 'center' }}>
            {t('record.timeline.more')}
          </Button>
        )}
        {restore.isSuccess && restore.variables && (
          <Text size="sm">
            <Anchor component={Link} to={`/${PLURAL[restore.variables.entityType]}/${restore.variables.entityId}`}>
              {t('recycleBin.open', { name: restore.variables.title })}
            </Anchor>
          </Text>
        )}
      </Stack>
      <ConfirmModal
        opened={purging !== null}
        title={t('recycleBin.purgeTitle', { name: purging?.title ?? '' })}
        confirmLabel={t('recycleBin.purge')}
        onConfirm={() => purging && purge.mutate(purging)}
        onClose={() => setPurging(null)}
        loading={purge.isPending}
      >
        {t('recycleBin.purgeText')}
      </ConfirmModal>
    </>
  );
}
