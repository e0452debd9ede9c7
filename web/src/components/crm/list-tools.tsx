import { useEffect, useState } from 'react';
import { Button, Center, Group, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Icon } from '../icons';

// List screens keep their filters in the URL (shareable, survive reload and "back").

export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const set = (patch: Partial<Record<K, string | null>>) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch) as Array<[string, string | null | undefined]>) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );
  const active = keys.filter((k) => k !== 'view' && k !== 'sort' && values[k]).length;
  const clear = () => set(Object.fromEntries(keys.filter((k) => k !== 'view').map((k) => [k, null])) as Partial<Record<K, null>>);
  return { values, set, active, clear };
}

/** Query parameters for the API from URL filters: empty values dropped. */
export function apiQuery(values: Record<string, string>, skip: string[] = ['view']): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k, v]) => v && !skip.includes(k)));
}

/** The search box: typed text goes to the URL after a short pause. */
export function SearchBox({ value, onChange, label, placeholder }: { value: string; onChange: (v: string) => void; label: string; placeholder?: string }) {
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, 300);
  useEffect(() => {
    if (debounced.trim() !== value) onChange(debounced.trim());
    // only the settled text is sent: when the URL changes by itself (back button)
    // the debounced text is still the old one, and reacting to `value` here would write it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [debounced]);
  useEffect(() => {
    if (value !== text.trim()) setText(value);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of the URL replaces the box's text, never the typing itself.
  }, [value]);
  return (
    <TextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      leftSection={<Icon name="search" size={16} />}
      style={{ flex: '1 1 240px', minWidth: 200 }}
    />
  );
}

export function DateRange({ from, to, onChange, label }: { from: string; to: string; onChange: (from: string, to: string) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap" align="flex-end" role="group" aria-label={label}>
      <TextInput type="date" w={150} label={`${label}: ${t('crm.filters.from')}`} value={from} onChange={(e) => onChange(e.currentTarget.value, to)} />
      <TextInput type="date" w={150} label={t('crm.filters.to')} value={to} onChange={(e) => onChange(from, e.currentTarget.value)} />
    </Group>
  );
}

export function LoadMore({ hasMore, loading, onClick, shown, total }: { hasMore: boolean; loading: boolean; onClick: () => void; shown: number; total?: number }) {
  const { t } = useTranslation();
  return (
    <Center py="sm">
      <Group gap="sm">
        {total !== undefined && (
          <Text size="sm" c="dimmed">
            {t('crm.shownOf', { shown, total })}
          </Text>
        )}
        {hasMore && (
          <Button variant="light" onClick={onClick} loading={loading}>
            {t('crm.loadMore')}
          </Button>
        )}
      </Group>
    </Center>
  );
}
