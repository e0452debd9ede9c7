import { useMemo, useState } from 'react';
import { Anchor, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { CommLinks } from '../../components/crm/CommLinks';
import { usePickerCreate } from '../../components/crm/create-by-name';

// Linked contacts and company: their names (GET /contacts/{id}, /companies/{id}, in parallel) and
// pickers that search the server as the user types (GET /contacts?q=, /companies?q=) and offer
// «Создать …» from the typed text (create-by-name.ts).

interface Comm {
  value: string;
  normalized?: string | null;
}
interface ContactLite {
  id: number;
  fullName: string;
  phones?: Comm[];
  emails?: Comm[];
}
interface CompanyLite {
  id: number;
  name: string;
  phones?: Comm[];
  emails?: Comm[];
}
type Kind = 'contacts' | 'companies';
type Named = { id: number; label: string; hint?: string; phones?: Comm[]; emails?: Comm[] };

const toNamed = (r: ContactLite | CompanyLite): Named => ({
  id: r.id,
  label: 'fullName' in r ? r.fullName || `#${r.id}` : (r as CompanyLite).name,
  hint: [r.phones?.[0]?.value, r.emails?.[0]?.value].filter(Boolean).join(', ') || undefined,
  phones: r.phones,
  emails: r.emails,
});

/** Names (and phones, e-mails) of linked records; a record the user may not read shows as «нет доступа». */
export function useRecordNames(kind: Kind, ids: number[]): Map<number, Named | null> {
  const results = useQueries({
    queries: ids.map((id) => ({
      queryKey: [kind, id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<ContactLite | CompanyLite>(`/${kind}/${id}`, undefined, { signal }),
      staleTime: 60_000,
    })),
  });
  const map = new Map<number, Named | null>();
  ids.forEach((id, i) => {
    const r = results[i];
    if (r?.data) map.set(id, toNamed(r.data));
    else if (r?.isError) map.set(id, null);
  });
  return map;
}

/** The linked records, each a link to its card with its phones and e-mails (tel:, mailto:) under it. */
export function RecordLinks({ kind, ids }: { kind: Kind; ids: number[] }) {
  const { t } = useTranslation();
  const names = useRecordNames(kind, ids);
  if (ids.length === 0) return <Text span c="dimmed">{t('record.value.none')}</Text>;
  return (
    <Stack gap={6} component="span">
      {ids.map((id, i) => {
        const n = names.get(id);
        return (
          <Stack key={id} gap={0} component="span" data-testid={`${kind}-entry`}>
            <Anchor component={Link} to={`/${kind}/${id}`} size="sm" onClick={(e) => e.stopPropagation()} data-testid={`${kind}-link`}>
              {n === undefined ? t('common.loading') : n === null ? t('dealCard.noAccess', { id }) : n.label}
              {kind === 'contacts' && i === 0 && ids.length > 1 ? ` (${t('dealCard.primary')})` : ''}
            </Anchor>
            {n && <CommLinks phones={n.phones} emails={n.emails} max={2} size="xs" />}
          </Stack>
        );
      })}
    </Stack>
  );
}

function useSearch(kind: Kind, search: string) {
  const [q] = useDebouncedValue(search.trim(), 250);
  return useQuery({
    queryKey: [kind, 'pick', q],
    queryFn: ({ signal }) => api.get<Page<ContactLite | CompanyLite>>(`/${kind}`, { q, limit: 20 }, { signal }),
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    select: (p) => p.items.map(toNamed),
  });
}

export function ContactsPicker({ value, onChange, label, error, autoFocus = true }: { value: number[]; onChange: (ids: number[]) => void; label: string; error?: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const names = useRecordNames('contacts', value);
  const found = useSearch('contacts', search);
  const [known, setKnown] = useState<Map<number, Named>>(new Map());
  const create = usePickerCreate('contacts', {
    search,
    searching: found.isFetching,
    labels: (found.data ?? []).map((r) => r.label),
    onCreated: (r) => {
      setKnown((k) => new Map(k).set(r.id, r));
      onChange([...value, r.id]);
      setSearch('');
    },
  });
  const data = useMemo(() => {
    const out = new Map<number, Named>();
    for (const id of value) out.set(id, names.get(id) ?? known.get(id) ?? { id, label: `#${id}` });
    for (const r of found.data ?? []) if (!out.has(r.id)) out.set(r.id, r);
    return [...out.values()].map((r) => ({ value: String(r.id), label: r.hint ? `${r.label} · ${r.hint}` : r.label }));
  }, [value, names, known, found.data]);
  return (
    <MultiSelect
      label={label}
      description={t('dealCard.contactsHint')}
      placeholder={t('dealCard.searchPlaceholder')}
      searchable
      data={[...data, ...create.options]}
      value={value.map(String)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={search.trim().length < 2 ? t('dealCard.typeMore') : found.isFetching || create.pending ? t('common.loading') : t('dealCard.nothingFound')}
      onChange={(v) => {
        if (v.some((x) => create.handle(x))) return;
        const ids = v.map(Number);
        const next = new Map(known);
        for (const r of found.data ?? []) if (ids.includes(r.id)) next.set(r.id, r);
        setKnown(next);
        onChange(ids);
        setSearch('');
      }}
      error={create.error ?? error}
      disabled={create.pending}
      autoFocus={autoFocus}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function CompanyPicker({ value, onChange, label, error, autoFocus = true }: { value: number | null; onChange: (id: number | null) => void; label: string; error?: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const names = useRecordNames('companies', value ? [value] : []);
  const found = useSearch('companies', search);
  const [picked, setPicked] = useState<Named | null>(null);
  const create = usePickerCreate('companies', {
    search,
    searching: found.isFetching,
    labels: (found.data ?? []).map((r) => r.label),
    onCreated: (r) => {
      setPicked(r);
      onChange(r.id);
    },
  });
  const current = value ? (names.get(value) ?? (picked?.id === value ? picked : null)) : null;
  const data = useMemo(() => {
    const out = new Map<number, Named>();
    if (value) out.set(value, current ?? { id: value, label: `#${value}` });
    for (const r of found.data ?? []) if (!out.has(r.id)) out.set(r.id, r);
    return [...out.values()].map((r) => ({ value: String(r.id), label: r.label }));
  }, [value, current, found.data]);
  return (
    <Select
      label={label}
      placeholder={t('dealCard.searchPlaceholder')}
      searchable
      clearable
      data={[...data, ...create.options]}
      value={value ? String(value) : null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={search.trim().length < 2 ? t('dealCard.typeMore') : found.isFetching || create.pending ? t('common.loading') : t('dealCard.nothingFound')}
      onChange={(v) => {
        if (create.handle(v)) return;
        const id = v ? Number(v) : null;
        setPicked(found.data?.find((r) => r.id === id) ?? null);
        onChange(id);
      }}
      error={create.error ?? error}
      disabled={create.pending}
      autoFocus={autoFocus}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
