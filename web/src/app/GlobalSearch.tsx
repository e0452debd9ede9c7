import { useEffect, useRef, useState } from 'react';
import { Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { Icon } from '../components/icons';
import { useFormat } from '../lib/use-format';
import { type SearchGroup, searchGroups } from './search-groups';
import { useLeadsEnabled } from './workspace';

// The top bar's search: deals, leads, contacts and companies by name, phone or e-mail (each list's
// `q`), five of each, grouped; Enter or a click opens the record. Ctrl/⌘+K or "/" focuses it.
// In the CRM mode without leads, leads are neither searched nor offered.

const LIMIT = 5;

interface Communication {
  value: string;
}
interface Hit {
  id: number;
  title?: string;
  name?: string;
  fullName?: string;
  companyName?: string | null;
  amount?: number;
  currency?: string;
  phones?: Communication[];
  emails?: Communication[];
}
export interface SearchResult {
  group: SearchGroup;
  id: number;
  href: string;
  label: string;
  detail: string | null;
  amount?: { amount: number; currency: string };
}

async function searchAll(q: string, groups: SearchGroup[], signal: AbortSignal): Promise<{ results: SearchResult[]; failed: number }> {
  const settled = await Promise.allSettled(groups.map((g) => api.get<Page<Hit>>(`/${g}`, { q, limit: LIMIT }, { signal })));
  const results: SearchResult[] = [];
  let failed = 0;
  settled.forEach((res, i) => {
    const group = groups[i]!;
    if (res.status === 'rejected') {
      failed++;
      return;
    }
    for (const hit of res.value.items) {
      const contactBits = [hit.phones?.[0]?.value, hit.emails?.[0]?.value].filter(Boolean).join(', ');
      results.push({
        group,
        id: hit.id,
        href: `/${group}/${hit.id}`,
        label: hit.title ?? hit.fullName ?? hit.name ?? `#${hit.id}`,
        detail: [group === 'leads' ? hit.companyName : null, contactBits].filter(Boolean).join(' · ') || null,
        amount: group === 'deals' && hit.amount !== undefined && hit.currency ? { amount: hit.amount, currency: hit.currency } : undefined,
      });
    }
  });
  return { results, failed };
}

export function GlobalSearch() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [debounced] = useDebouncedValue(value.trim(), 250);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const enabled = debounced.length >= 2;
  const groups = searchGroups(useLeadsEnabled());

  const search = useQuery({
    queryKey: ['search', debounced, groups],
    queryFn: ({ signal }) => searchAll(debounced, groups, signal),
    enabled,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });

  useHotkeys([
    ['mod+K', () => inputRef.current?.focus()],
    ['/', () => inputRef.current?.focus()],
  ]);

  const results = enabled ? (search.data?.results ?? []) : [];
  // Enter right after typing opens the first hit
  useEffect(() => {
    if (results.length) combobox.selectFirstOption();
    // once per answer from the server: `results` and `combobox` are new objects on
    // every render, and selecting the first hit again then would undo the user's arrow keys.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [search.data]);

  const open = (href: string) => {
    navigate(href);
    setValue('');
    combobox.closeDropdown();
    inputRef.current?.blur();
  };

  const typed = value.trim();
  const loading = enabled && (search.isFetching || debounced !== typed);
  let status: string | null = null;
  if (typed.length > 0 && typed.length < 2) status = t('search.minLength');
  else if (enabled && search.isError) status = t('search.failed');
  else if (enabled && search.data && !results.length && !loading) status = search.data.failed === groups.length ? t('search.failed') : t('search.nothingFound');

  return (
    <Combobox store={combobox} onOptionSubmit={open} withinPortal position="bottom-start" width="target">
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          type="search"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          data-testid="global-search"
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            combobox.openDropdown();
          }}
          onFocus={() => value && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setValue('');
              combobox.closeDropdown();
            }
          }}
          leftSection={<Icon name="search" size={16} />}
          rightSection={loading ? <Loader size={14} /> : null}
          style={{ flex: 1, maxWidth: 520, minWidth: 0 }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!typed} data-testid="global-search-results">
        <Combobox.Options mah={420} style={{ overflowY: 'auto' }}>
          {groups.map((g) => {
            const items = results.filter((r) => r.group === g);
            if (!items.length) return null;
            return (
              <Combobox.Group key={g} label={t(`search.groups.${g}`)}>
                {items.map((r) => (
                  <Combobox.Option key={r.href} value={r.href}>
                    <Group justify="space-between" wrap="nowrap" gap="xs">
                      <div style={{ minWidth: 0 }}>
                        <Text size="sm" truncate>
                          {r.label}
                        </Text>
                        {r.detail && (
                          <Text size="xs" c="dimmed" truncate>
                            {r.detail}
                          </Text>
                        )}
                      </div>
                      {r.amount && (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {fmt.money(r.amount.amount, r.amount.currency, { compactZeroFraction: true })}
                        </Text>
                      )}
                    </Group>
                  </Combobox.Option>
                ))}
              </Combobox.Group>
            );
          })}
          {status && <Combobox.Empty>{status}</Combobox.Empty>}
          {!status && !results.length && loading && <Combobox.Empty>{t('search.searching')}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
