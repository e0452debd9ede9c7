import type { ReactNode } from 'react';
import { Anchor, Button, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { nameOf, refOptions, useReferenceList, userOptions, useUsers, type RefKind } from '../../api/lookups';
import { CommLinks } from './CommLinks';
import type { Page } from '../../api/types';
import { useFormat } from '../../lib/use-format';
import { Empty, PageHeader, PageLoader, QueryError } from '../page';
import { DateRange, LoadMore, SearchBox, apiQuery, useUrlFilters } from './list-tools';
import type { CrmResource } from './record-config';
import type { Communication } from './records';

// The list screens of leads, contacts and companies: filters kept in the URL, a table of the
// records with «load more». Each entity says which filters and columns it has.

// ---- filters ----

export type FilterSpec =
  | { kind: 'search' }
  | { kind: 'responsible' }
  /** a reference list; `label` is an i18n key */
  | { kind: 'ref'; key: string; ref: RefKind; label: string; w?: number; hidden?: boolean }
  /** fixed choices; labels are i18n keys */
  | { kind: 'choice'; key: string; label: string; options: Array<{ value: string; label: string }>; w?: number; hidden?: boolean }
  | { kind: 'created' }
  /** the first option is the default; labels are i18n keys */
  | { kind: 'sort'; options: Array<{ value: string; label: string }>; hidden?: boolean };

/** The sort orders every list has; lists sorted by name add their own. */
export const SORT_BY_DATE = [
  { value: '-createdAt', label: 'crm.sort.newest' },
  { value: 'createdAt', label: 'crm.sort.oldest' },
  { value: '-updatedAt', label: 'crm.sort.updated' },
];

/** The usual filters: search, responsible, the entity's own, created, sort (by date; by name too with `nameSort`). */
export const standardFilters = (own: FilterSpec[], nameSort: string): FilterSpec[] => [
  { kind: 'search' },
  { kind: 'responsible' },
  ...own,
  { kind: 'created' },
  { kind: 'sort', options: [...SORT_BY_DATE, { value: nameSort, label: 'crm.sort.name' }] },
];

/** The URL keys of the filters (and `extra` ones that only come in links, e.g. ?companyId=). */
export function filterKeys(specs: FilterSpec[], extra: string[] = []): string[] {
  const keys = specs.flatMap((s) => {
    switch (s.kind) {
      case 'search':
        return ['q'];
      case 'responsible':
        return ['responsibleId'];
      case 'created':
        return ['createdFrom', 'createdTo'];
      case 'sort':
        return ['sort'];
      default:
        return [s.key];
    }
  });
  return [...extra, ...keys];
}

export type UrlFilters = ReturnType<typeof useUrlFilters<string>>;

export function RecordFilters({ specs, filters }: { specs: FilterSpec[]; filters: UrlFilters }) {
  const { t } = useTranslation();
  const { values, set, active, clear } = filters;
  const one = (s: FilterSpec, i: number): ReactNode => {
    if ('hidden' in s && s.hidden) return null;
    switch (s.kind) {
      case 'search':
        return <SearchBox key={i} value={values.q ?? ''} onChange={(v) => set({ q: v })} label={t('crm.filters.search')} placeholder={t('crm.filters.searchPlaceholder')} />;
      case 'responsible':
        return <ResponsibleFilter key={i} value={values.responsibleId || null} onChange={(v) => set({ responsibleId: v })} />;
      case 'ref':
        return <RefFilter key={i} kind={s.ref} label={t(s.label)} w={s.w} value={values[s.key] || null} onChange={(v) => set({ [s.key]: v })} />;
      case 'choice':
        return (
          <Select
            key={i}
            w={s.w ?? 170}
            label={t(s.label)}
            data={s.options.map((o) => ({ value: o.value, label: t(o.label) }))}
            value={values[s.key] || null}
            onChange={(v) => set({ [s.key]: v })}
            clearable
            placeholder={t('crm.filters.all')}
          />
        );
      case 'created':
        return <DateRange key={i} label={t('crm.filters.created')} from={values.createdFrom ?? ''} to={values.createdTo ?? ''} onChange={(f, to) => set({ createdFrom: f, createdTo: to })} />;
      case 'sort': {
        const first = s.options[0]!.value;
        return (
          <Select
            key={i}
            w={180}
            label={t('crm.filters.sort')}
            data={s.options.map((o) => ({ value: o.value, label: t(o.label) }))}
            value={values.sort || first}
            onChange={(v) => set({ sort: v === first ? null : v })}
            allowDeselect={false}
          />
        );
      }
    }
  };
  return (
    <Paper withBorder p="sm" mb="md">
      <Stack gap="xs">
        <Group gap="sm" align="flex-end" wrap="wrap">
          {specs.map(one)}
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
  );
}

function ResponsibleFilter({ value, onChange }: { value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const users = useUsers().data;
  return (
    <Select
      w={200}
      label={t('crm.fields.responsibleId')}
      data={[{ value: 'me', label: t('crm.filters.mine') }, ...userOptions(users)]}
      value={value}
      onChange={onChange}
      clearable
      searchable
      placeholder={t('crm.filters.all')}
    />
  );
}

function RefFilter({ kind, label, w = 160, value, onChange }: { kind: RefKind; label: string; w?: number; value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const items = useReferenceList(kind, { includeInactive: true }).data;
  return <Select w={w} label={label} data={refOptions(items)} value={value} onChange={onChange} clearable placeholder={t('crm.filters.all')} />;
}

// ---- table ----

export interface Column<R> {
  /** i18n key */
  header: string;
  cell: (r: R, ctx: { t: TFunction; fmt: ReturnType<typeof useFormat> }) => ReactNode;
  align?: 'right';
  nowrap?: boolean;
}

/** The first column: the record's name as a link to its card, and a dimmed line under it. */
export function linkColumn<R extends { id: number }>(resource: CrmResource, header: string, label: (r: R, t: TFunction) => string, sub?: (r: R, t: TFunction) => ReactNode): Column<R> {
  return {
    header,
    cell: (r, { t }) => {
      const below = sub?.(r, t);
      return (
        <>
          <Anchor component={Link} to={`/${resource}/${r.id}`} fw={500}>
            {label(r, t)}
          </Anchor>
          {below && (
            <Text size="xs" c="dimmed">
              {below}
            </Text>
          )}
        </>
      );
    },
  };
}

type WithComms = { phones: Communication[]; emails: Communication[] };
export const commsColumns = <R extends WithComms>(): Array<Column<R>> => [
  { header: 'crm.fields.phones', cell: (r) => <CommLinks phones={r.phones} /> },
  { header: 'crm.fields.emails', cell: (r) => <CommLinks emails={r.emails} /> },
];

export const refColumn = <R,>(header: string, kind: RefKind, id: (r: R) => number | null): Column<R> => ({ header, cell: (r) => <RefName kind={kind} id={id(r)} /> });

export const responsibleColumn = <R extends { responsibleId: number }>(): Column<R> => ({ header: 'crm.fields.responsibleId', cell: (r) => <UserName id={r.responsibleId} /> });

export const createdColumn = <R extends { createdAt: string }>(): Column<R> => ({ header: 'crm.fields.createdAt', nowrap: true, cell: (r, { fmt }) => fmt.date(r.createdAt) });

/** The name of a reference-list item (also a deactivated one), or `fallback`. */
export function RefName({ kind, id, fallback = '' }: { kind: RefKind; id: number | null; fallback?: string }) {
  const items = useReferenceList(kind, { includeInactive: true }).data;
  return <>{nameOf(items, id) ?? fallback}</>;
}

function UserName({ id }: { id: number }) {
  return <>{nameOf(useUsers().data, id) ?? ''}</>;
}

export function NewRecordButton({ resource }: { resource: CrmResource }) {
  const { t } = useTranslation();
  return (
    <Button component={Link} to={`/${resource}/new`}>
      {t(`${resource}.new`)}
    </Button>
  );
}

/** The records matching the filters, 50 at a time, with the empty states. */
export function RecordTable<R extends { id: number }>({ resource, filters, columns, minWidth = 720 }: { resource: CrmResource; filters: UrlFilters; columns: Array<Column<R>>; minWidth?: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const query = apiQuery(filters.values);
  const q = useInfiniteQuery({
    queryKey: [resource, 'list', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<R>>(`/${resource}`, { ...query, limit: 50, cursor: pageParam ?? undefined, withTotal: pageParam ? undefined : true }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
    placeholderData: keepPreviousData,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!items.length)
    return filters.active ? (
      <Empty title={t('crm.nothingFound')} description={t('crm.nothingFoundHint')} action={<Button onClick={filters.clear}>{t('crm.filters.clear')}</Button>} />
    ) : (
      <Empty title={t(`${resource}.empty`)} description={t(`${resource}.emptyHint`)} action={<NewRecordButton resource={resource} />} />
    );
  const style = (c: Column<R>) => (c.nowrap ? { whiteSpace: 'nowrap' as const } : undefined);
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped highlightOnHover data-testid={`${resource}-table`}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.header} ta={c.align}>
                  {t(c.header)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                {columns.map((c) => (
                  <Table.Td key={c.header} ta={c.align} style={style(c)}>
                    {c.cell(r, { t, fmt })}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} shown={items.length} total={q.data?.pages[0]?.total} />
    </>
  );
}

/** A whole list screen: the heading with «New …», the filters and the table. */
export function RecordListPage<R extends { id: number }>({ resource, filters, extraFilterKeys, columns }: { resource: CrmResource; filters: FilterSpec[]; extraFilterKeys?: string[]; columns: Array<Column<R>> }) {
  const { t } = useTranslation();
  const url = useUrlFilters(filterKeys(filters, extraFilterKeys));
  return (
    <>
      <PageHeader title={t(`${resource}.title`)} actions={<NewRecordButton resource={resource} />} />
      <RecordFilters specs={filters} filters={url} />
      <RecordTable resource={resource} filters={url} columns={columns} />
    </>
  );
}
