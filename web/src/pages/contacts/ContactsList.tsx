import { Anchor, Button, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { DateRange, LoadMore, SearchBox, apiQuery, useUrlFilters } from '../../components/crm/list-tools';
import { nameOf, refOptions, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import { Empty, PageHeader, PageLoader, QueryError } from '../../components/page';
import { useFormat } from '../../lib/use-format';
import type { Contact } from './types';

// companyId comes from a company card's "all contacts" link
const FILTERS = ['q', 'responsibleId', 'typeId', 'sourceId', 'companyId', 'createdFrom', 'createdTo', 'sort'] as const;

export function ContactsList() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { values, set, active, clear } = useUrlFilters(FILTERS);
  const users = useUsers().data;
  const types = useReferenceList('contact-types').data;
  const sources = useReferenceList('sources').data;
  const query = apiQuery(values);
  const q = useInfiniteQuery({
    queryKey: ['contacts', 'list', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<Contact>>('/contacts', { ...query, limit: 50, cursor: pageParam ?? undefined, withTotal: pageParam ? undefined : true }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const total = q.data?.pages[0]?.total;

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        actions={
          <Button component={Link} to="/contacts/new">
            {t('contacts.new')}
          </Button>
        }
      />
      <Paper withBorder p="sm" mb="md">
        <Stack gap="xs">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SearchBox value={values.q} onChange={(v) => set({ q: v })} label={t('crm.filters.search')} placeholder={t('crm.filters.searchPlaceholder')} />
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
            <Select w={160} label={t('crm.fields.typeId')} data={refOptions(types)} value={values.typeId || null} onChange={(v) => set({ typeId: v })} clearable placeholder={t('crm.filters.all')} />
            <Select w={160} label={t('crm.fields.sourceId')} data={refOptions(sources)} value={values.sourceId || null} onChange={(v) => set({ sourceId: v })} clearable placeholder={t('crm.filters.all')} />
            <DateRange label={t('crm.filters.created')} from={values.createdFrom} to={values.createdTo} onChange={(f, to) => set({ createdFrom: f, createdTo: to })} />
            <Select
              w={180}
              label={t('crm.filters.sort')}
              data={[
                { value: '-createdAt', label: t('crm.sort.newest') },
                { value: 'createdAt', label: t('crm.sort.oldest') },
                { value: '-updatedAt', label: t('crm.sort.updated') },
                { value: 'lastName', label: t('crm.sort.name') },
              ]}
              value={values.sort || '-createdAt'}
              onChange={(v) => set({ sort: v === '-createdAt' ? null : v })}
              allowDeselect={false}
            />
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
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : !items.length ? (
        active ? (
          <Empty title={t('crm.nothingFound')} description={t('crm.nothingFoundHint')} action={<Button onClick={clear}>{t('crm.filters.clear')}</Button>} />
        ) : (
          <Empty title={t('contacts.empty')} description={t('contacts.emptyHint')} action={<Button component={Link} to="/contacts/new">{t('contacts.new')}</Button>} />
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover data-testid="contacts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('crm.fields.name')}</Table.Th>
                  <Table.Th>{t('crm.fields.phones')}</Table.Th>
                  <Table.Th>{t('crm.fields.emails')}</Table.Th>
                  <Table.Th>{t('crm.fields.typeId')}</Table.Th>
                  <Table.Th>{t('crm.fields.responsibleId')}</Table.Th>
                  <Table.Th>{t('crm.fields.createdAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/contacts/${c.id}`} fw={500}>
                        {c.fullName || t('contacts.noName')}
                      </Anchor>
                      {c.position && (
                        <Text size="xs" c="dimmed">
                          {c.position}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{c.phones.map((p) => p.value).join(', ')}</Table.Td>
                    <Table.Td>{c.emails.map((e) => e.value).join(', ')}</Table.Td>
                    <Table.Td>{nameOf(types, c.typeId) ?? ''}</Table.Td>
                    <Table.Td>{nameOf(users, c.responsibleId) ?? ''}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(c.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} shown={items.length} total={total} />
        </>
      )}
    </>
  );
}
