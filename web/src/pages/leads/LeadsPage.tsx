import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { DateRange, LoadMore, SearchBox, apiQuery, useUrlFilters } from '../../components/crm/list-tools';
import { nameOf, refOptions, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import { Empty, PageHeader, PageLoader, QueryError } from '../../components/page';
import { useFormat } from '../../lib/use-format';
import { LeadBoard } from './LeadBoard';
import { semanticColor } from './LeadCard';
import type { Lead } from './types';

const FILTERS = ['view', 'q', 'statusId', 'responsibleId', 'sourceId', 'semantic', 'createdFrom', 'createdTo', 'sort'] as const;

/** /leads: the list (filters, "load more") or, with ?view=board, the board by status. */
export function LeadsPage() {
  const { t } = useTranslation();
  const filters = useUrlFilters(FILTERS);
  const { values, set, active, clear } = filters;
  const users = useUsers().data;
  const sources = useReferenceList('sources').data;
  const statuses = useReferenceList('lead-statuses', { includeInactive: true }).data;
  const board = values.view === 'board';

  return (
    <>
      <PageHeader
        title={t('leads.title')}
        actions={
          <>
            <SegmentedControl
              aria-label={t('leads.view')}
              value={board ? 'board' : 'list'}
              onChange={(v) => set({ view: v === 'board' ? 'board' : null })}
              data={[
                { value: 'list', label: t('leads.viewList') },
                { value: 'board', label: t('leads.viewBoard') },
              ]}
            />
            <Button component={Link} to="/leads/new">
              {t('leads.new')}
            </Button>
          </>
        }
      />
      <Paper withBorder p="sm" mb="md">
        <Stack gap="xs">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SearchBox value={values.q} onChange={(v) => set({ q: v })} label={t('crm.filters.search')} placeholder={t('crm.filters.searchPlaceholder')} />
            {!board && (
              <Select w={170} label={t('crm.fields.statusId')} data={refOptions(statuses)} value={values.statusId || null} onChange={(v) => set({ statusId: v })} clearable placeholder={t('crm.filters.all')} />
            )}
            <Select
              w={170}
              label={t('leads.semantic')}
              data={['in_progress', 'converted', 'junk'].map((s) => ({ value: s, label: t(`leads.semantics.${s}`) }))}
              value={values.semantic || null}
              onChange={(v) => set({ semantic: v })}
              clearable
              placeholder={t('crm.filters.all')}
            />
            <Select
              w={200}
              label={t('crm.fields.responsibleId')}
              data={[{ value: 'me', label: t('crm.filters.mine') }, ...userOptions(users)]}
              value={values.responsibleId || null}
              onChange={(v) => set({ responsibleId: v })}
              clearable
              searchable
              placeholder={t('crm.filters.all')}
            />
            <Select w={160} label={t('crm.fields.sourceId')} data={refOptions(sources)} value={values.sourceId || null} onChange={(v) => set({ sourceId: v })} clearable placeholder={t('crm.filters.all')} />
            <DateRange label={t('crm.filters.created')} from={values.createdFrom} to={values.createdTo} onChange={(f, to) => set({ createdFrom: f, createdTo: to })} />
            {!board && (
              <Select
                w={180}
                label={t('crm.filters.sort')}
                data={[
                  { value: '-createdAt', label: t('crm.sort.newest') },
                  { value: 'createdAt', label: t('crm.sort.oldest') },
                  { value: '-updatedAt', label: t('crm.sort.updated') },
                ]}
                value={values.sort || '-createdAt'}
                onChange={(v) => set({ sort: v === '-createdAt' ? null : v })}
                allowDeselect={false}
              />
            )}
          </Group>
          {active > 0 && (
            <Group>
              <Button size="compact-sm" variant="subtle" onClick={clear}>
                {t('crm.filters.clear')}
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
      {board ? <LeadBoard filters={apiQuery(values, ['view', 'sort', 'statusId'])} /> : <LeadsTable query={apiQuery(values)} active={active} clear={clear} />}
    </>
  );
}

function LeadsTable({ query, active, clear }: { query: Record<string, string>; active: number; clear: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers().data;
  const sources = useReferenceList('sources').data;
  const statuses = useReferenceList('lead-statuses', { includeInactive: true }).data;
  const q = useInfiniteQuery({
    queryKey: ['leads', 'list', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<Lead>>('/leads', { ...query, limit: 50, cursor: pageParam ?? undefined, withTotal: pageParam ? undefined : true }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!items.length)
    return active ? (
      <Empty title={t('crm.nothingFound')} description={t('crm.nothingFoundHint')} action={<Button onClick={clear}>{t('crm.filters.clear')}</Button>} />
    ) : (
      <Empty title={t('leads.empty')} description={t('leads.emptyHint')} action={<Button component={Link} to="/leads/new">{t('leads.new')}</Button>} />
    );
  return (
    <>
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover data-testid="leads-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('crm.fields.title')}</Table.Th>
              <Table.Th>{t('crm.fields.statusId')}</Table.Th>
              <Table.Th>{t('leads.client')}</Table.Th>
              <Table.Th>{t('crm.fields.sourceId')}</Table.Th>
              <Table.Th ta="right">{t('crm.fields.amount')}</Table.Th>
              <Table.Th>{t('crm.fields.responsibleId')}</Table.Th>
              <Table.Th>{t('crm.fields.createdAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/leads/${l.id}`} fw={500}>
                    {l.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={semanticColor(l.statusSemantic)}>
                    {nameOf(statuses, l.statusId) ?? l.statusSemantic}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{[l.lastName, l.firstName].filter(Boolean).join(' ') || l.companyName || ''}</Text>
                  <Text size="xs" c="dimmed">
                    {[l.phones[0]?.value, l.emails[0]?.value].filter(Boolean).join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td>{nameOf(sources, l.sourceId) ?? ''}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {l.amount ? fmt.money(l.amount, l.currency, { compactZeroFraction: true }) : ''}
                </Table.Td>
                <Table.Td>{nameOf(users, l.responsibleId) ?? ''}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(l.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} shown={items.length} total={q.data?.pages[0]?.total} />
    </>
  );
}
