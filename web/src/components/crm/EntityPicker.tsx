import { useMemo, useState } from 'react';
import { Select, type ComboboxItem } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import type { Communication } from './records';
import { usePickerCreate } from './create-by-name';

// Pick an existing contact, company or lead by typing part of a name, phone or e-mail (the list's
// `q`). `suggestions` (e.g. a lead's likely duplicates) are offered before anything is typed;
// `creatable` adds «Создать …» for a contact or company from the typed text.

export type PickEntity = 'contacts' | 'companies' | 'leads';

export interface PickedRecord {
  id: number;
  label: string;
  hint?: string;
}

interface Hit {
  id: number;
  fullName?: string;
  name?: string;
  title?: string;
  phones?: Communication[];
  emails?: Communication[];
}

export const hitToPicked = (h: Hit): PickedRecord => ({
  id: h.id,
  label: h.fullName || h.name || h.title || `#${h.id}`,
  hint: [h.phones?.[0]?.value, h.emails?.[0]?.value].filter(Boolean).join(', ') || undefined,
});

export interface EntityPickerProps {
  entity: PickEntity;
  label: string;
  value: number | null;
  onChange: (picked: PickedRecord | null) => void;
  excludeIds?: number[];
  suggestions?: PickedRecord[];
  error?: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** offer «Создать …» (contacts and companies) */
  creatable?: boolean;
  'data-testid'?: string;
}

export function EntityPicker({ entity, label, value, onChange, excludeIds = [], suggestions = [], error, placeholder, autoFocus, creatable = false, ...rest }: EntityPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<PickedRecord | null>(null);
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: [entity, 'pick', q],
    queryFn: ({ signal }) => api.get<Page<Hit>>(`/${entity}`, { q, limit: 20 }, { signal }),
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const options = useMemo(() => {
    const list: PickedRecord[] = [];
    const seen = new Set<number>(excludeIds);
    const add = (r: PickedRecord) => {
      if (seen.has(r.id)) return;
      seen.add(r.id);
      list.push(r);
    };
    if (picked && picked.id === value) add(picked);
    if (q.length < 2) suggestions.forEach(add);
    else (found.data?.items ?? []).map(hitToPicked).forEach(add);
    return list;
  }, [excludeIds, picked, value, q, suggestions, found.data]);

  const create = usePickerCreate(entity === 'leads' ? 'contacts' : entity, {
    search,
    searching: found.isFetching,
    labels: (found.data?.items ?? []).map((h) => hitToPicked(h).label),
    onCreated: (r) => {
      setPicked(r);
      onChange(r);
    },
  });
  const data: ComboboxItem[] = options.map((o) => ({ value: String(o.id), label: o.hint ? `${o.label} · ${o.hint}` : o.label }));
  if (creatable && entity !== 'leads' && q.length >= 2) data.push(...create.options);
  const typed = search.trim();
  return (
    <Select
      label={label}
      placeholder={placeholder ?? t('crm.picker.placeholder')}
      searchable
      clearable
      autoFocus={autoFocus}
      data={data}
      value={value === null ? null : String(value)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      nothingFoundMessage={typed.length < 2 ? t('crm.picker.typeMore') : found.isFetching || create.pending ? t('common.loading') : t('crm.picker.nothing')}
      error={create.error ?? error}
      disabled={create.pending}
      onChange={(v) => {
        if (create.handle(v)) return;
        const r = options.find((o) => String(o.id) === v) ?? null;
        setPicked(r);
        onChange(r);
      }}
      data-testid={rest['data-testid']}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
