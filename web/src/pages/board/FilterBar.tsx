import { useEffect, useState } from 'react';
import { Badge, Button, Chip, Group, MultiSelect, Popover, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useReferenceList, useUsers } from '../../api/lookups';
import { Icon } from '../../components/icons';
import { parseMoney } from '../../lib/format';
import { countFilters, EMPTY_FILTERS, isMyDeals, type BoardFilters } from './filters';

/** New filters, or a change to the filters as they are when it is applied. */
export type FiltersUpdate = BoardFilters | ((current: BoardFilters) => BoardFilters);

/** Search, "my deals", "overdue", and the rest of the filters in a popover; every change goes to the URL. */
export function FilterBar({ filters, onChange }: { filters: BoardFilters; onChange: (update: FiltersUpdate) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState(filters.q);
  const [debounced] = useDebouncedValue(q, 350);
  const [open, setOpen] = useState(false);

  // the URL changed by itself (back button, reset): show it
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => {
    if (debounced.trim() !== filters.q.trim()) onChange((f) => ({ ...f, q: debounced }));
    // only the settled text is sent: when the URL changes by itself (back button)
    // the debounced text is still the old one, and reacting to `filters.q` here would write it back.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [debounced]);

  const mine = isMyDeals(filters);
  const more = countFilters(filters, { withQuick: false });
  const any = countFilters(filters) > 0 || filters.q.trim() !== '';

  return (
    <Group gap="xs" mb="sm" wrap="wrap" role="search" aria-label={t('board.filters.label')}>
      <TextInput
        aria-label={t('board.filters.search')}
        placeholder={t('board.filters.searchPlaceholder')}
        leftSection={<Icon name="search" size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Enter' && onChange((f) => ({ ...f, q }))}
        w={{ base: '100%', xs: 260 }}
        size="sm"
        type="search"
      />
      <Chip checked={mine} onChange={(v) => onChange((f) => ({ ...f, responsible: v ? ['me'] : [] }))} size="sm">
        {t('board.filters.myDeals')}
      </Chip>
      <Chip checked={filters.overdue} onChange={(v) => onChange((f) => ({ ...f, overdue: v }))} size="sm" color="red">
        {t('board.filters.overdue')}
      </Chip>
      <Popover opened={open} onChange={setOpen} position="bottom-start" shadow="md" width={420} trapFocus withinPortal>
        <Popover.Target>
          <Button
            size="sm"
            variant={more ? 'light' : 'default'}
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            rightSection={more ? <Badge size="sm" circle>{more}</Badge> : undefined}
          >
            {t('board.filters.more')}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          {open && <MoreFilters filters={filters} onApply={(f) => { onChange((cur) => ({ ...f, q: cur.q })); setOpen(false); }} />}
        </Popover.Dropdown>
      </Popover>
      {any && (
        <Button size="sm" variant="subtle" onClick={() => { setQ(''); onChange(EMPTY_FILTERS); }}>
          {t('board.filters.reset')}
        </Button>
      )}
    </Group>
  );
}

function MoreFilters({ filters, onApply }: { filters: BoardFilters; onApply: (f: BoardFilters) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(filters);
  const users = useUsers().data ?? [];
  const sources = useReferenceList('sources').data ?? [];
  const badAmount = (v: string) => (v.trim() && parseMoney(v) === null ? t('board.filters.badAmount') : undefined);
  const set = <K extends keyof BoardFilters>(k: K, v: BoardFilters[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const userOptions = [{ value: 'me', label: t('board.filters.me') }, ...users.filter((u) => u.active).map((u) => ({ value: String(u.id), label: u.name }))];
  // a chosen id that is not in the list any more (deactivated user) still shows
  for (const id of draft.responsible) if (!userOptions.some((o) => o.value === id)) userOptions.push({ value: id, label: users.find((u) => String(u.id) === id)?.name ?? `#${id}` });

  return (
    <form noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <Stack gap="xs">
        <MultiSelect label={t('board.filters.responsible')} data={userOptions} value={draft.responsible} onChange={(v) => set('responsible', v)} searchable clearable comboboxProps={{ withinPortal: false }} />
        <MultiSelect
          label={t('board.filters.source')}
          data={sources.map((s) => ({ value: String(s.id), label: s.name }))}
          value={draft.source}
          onChange={(v) => set('source', v)}
          searchable
          clearable
          comboboxProps={{ withinPortal: false }}
        />
        <TagsInput label={t('board.filters.tags')} description={t('board.filters.tagsHint')} value={draft.tag} onChange={(v) => set('tag', v)} clearable comboboxProps={{ withinPortal: false }} />
        <SimpleGrid cols={2} spacing="xs">
          <TextInput type="date" label={t('board.filters.createdFrom')} value={draft.createdFrom} onChange={(e) => set('createdFrom', e.currentTarget.value)} />
          <TextInput type="date" label={t('board.filters.createdTo')} value={draft.createdTo} onChange={(e) => set('createdTo', e.currentTarget.value)} />
          <TextInput type="date" label={t('board.filters.closeFrom')} value={draft.closeFrom} onChange={(e) => set('closeFrom', e.currentTarget.value)} />
          <TextInput type="date" label={t('board.filters.closeTo')} value={draft.closeTo} onChange={(e) => set('closeTo', e.currentTarget.value)} />
          <TextInput label={t('board.filters.amountFrom')} inputMode="decimal" value={draft.amountFrom} onChange={(e) => set('amountFrom', e.currentTarget.value)} error={badAmount(draft.amountFrom)} />
          <TextInput label={t('board.filters.amountTo')} inputMode="decimal" value={draft.amountTo} onChange={(e) => set('amountTo', e.currentTarget.value)} error={badAmount(draft.amountTo)} />
        </SimpleGrid>
        <Group justify="space-between" mt="xs">
          <Button variant="subtle" size="sm" onClick={() => setDraft({ ...EMPTY_FILTERS, q: draft.q })}>
            {t('board.filters.clear')}
          </Button>
          <Button type="submit" size="sm" disabled={Boolean(badAmount(draft.amountFrom) || badAmount(draft.amountTo))}>
            {t('board.filters.apply')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
