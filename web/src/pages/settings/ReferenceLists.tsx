import { ActionIcon, Badge, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PageLoader, QueryError } from '../../components/page';
import { REF_KINDS, type RefItem, type RefKind, useReferenceList } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE, useInvalidate } from './api';
import { InlineAddForm, InlineNameInput } from './parts/inline';
import { PillTabs, SectionHeader, useParamChoice } from './parts/layout';
import { RowButton } from './parts/table';

// Reference lists: sources, loss reasons, lead statuses (with their meaning), contact and company
// types, industries. Items are renamed in place, ordered with the arrows, hidden (kept on old
// records, not offered for new ones) and brought back.

const LEAD_SEMANTICS = ['in_progress', 'converted', 'junk'] as const;

export default function ReferenceListsSettings() {
  const { t } = useTranslation();
  const [kind, setKind] = useParamChoice('list', REF_KINDS, 'sources');
  return (
    <Stack gap="md">
      <SectionHeader title={t('settings.refs.title')} />
      <PillTabs value={kind} values={REF_KINDS} onChange={setKind} label={(k) => t(`settings.refs.kinds.${k}`)} />
      <RefList key={kind} kind={kind} />
    </Stack>
  );
}

function RefList({ kind }: { kind: RefKind }) {
  const { t } = useTranslation();
  const items = useReferenceList(kind, { includeInactive: true, staleTime: STALE });
  const invalidate = useInvalidate();
  const refresh = () => invalidate('reference-lists');
  const [semantic, setSemantic] = useState<string>('in_progress');
  const move = useMutation({
    mutationFn: async ({ list, from, to }: { list: RefItem[]; from: number; to: number }) => {
      // give the two swapped items sort values by their new places
      const a = list[from]!;
      const b = list[to]!;
      await Promise.all([
        api.patch(`/reference-lists/${kind}/items/${a.id}`, { sort: (to + 1) * 10, version: a.version }),
        api.patch(`/reference-lists/${kind}/items/${b.id}`, { sort: (from + 1) * 10, version: b.version }),
      ]);
    },
    onSettled: refresh,
    onError: (e) => notifyFailure(t, e),
  });

  if (items.isPending) return <PageLoader />;
  if (items.isError) return <QueryError error={items.error} onRetry={() => void items.refetch()} />;
  const list = [...items.data].sort((a, b) => a.sort - b.sort || a.id - b.id);
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed" mb="sm">
        {t(kind === 'lead-statuses' ? 'settings.refs.leadStatusesHint' : 'settings.refs.hint')}
      </Text>
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="ref-items">
        {list.map((item, i) => (
          <li key={item.id} data-testid="ref-item">
            <RefRow
              kind={kind}
              item={item}
              onUp={i > 0 ? () => move.mutate({ list, from: i, to: i - 1 }) : undefined}
              onDown={i < list.length - 1 ? () => move.mutate({ list, from: i, to: i + 1 }) : undefined}
              onChanged={refresh}
            />
          </li>
        ))}
      </Stack>
      <InlineAddForm
        label={t('settings.refs.newItem')}
        buttonLabel={t('settings.refs.add')}
        maxLength={200}
        add={(name) => api.post<RefItem>(`/reference-lists/${kind}/items`, { name, sort: (list.length + 1) * 10, ...(kind === 'lead-statuses' ? { semantic } : {}) })}
        onAdded={(item) => {
          refresh();
          notifySaved(t, t('settings.refs.added', { name: item.name }));
        }}
      >
        {kind === 'lead-statuses' && (
          <Select
            label={t('settings.refs.semanticLabel')}
            data={LEAD_SEMANTICS.map((s) => ({ value: s, label: t(`settings.refs.semantic.${s}`) }))}
            value={semantic}
            allowDeselect={false}
            onChange={(v) => v && setSemantic(v)}
            w={200}
          />
        )}
      </InlineAddForm>
    </Paper>
  );
}

function RefRow({ kind, item, onUp, onDown, onChanged }: { kind: RefKind; item: RefItem; onUp?: () => void; onDown?: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const patch = useMutation({
    mutationFn: (body: { name?: string; active?: boolean }) => api.patch<RefItem>(`/reference-lists/${kind}/items/${item.id}`, { ...body, version: item.version }),
    onSuccess: (_r, body) => {
      onChanged();
      if (body.active === false) notifySaved(t, t('settings.refs.hidden', { name: item.name }));
    },
    onError: (e) => {
      notifyFailure(t, e);
      onChanged();
    },
  });
  return (
    <Group gap="xs" wrap="nowrap" opacity={item.active ? 1 : 0.65}>
      <Group gap={0} wrap="nowrap">
        <ActionIcon variant="subtle" color="gray" disabled={!onUp} onClick={onUp} aria-label={t('settings.refs.up', { name: item.name })}>
          ↑
        </ActionIcon>
        <ActionIcon variant="subtle" color="gray" disabled={!onDown} onClick={onDown} aria-label={t('settings.refs.down', { name: item.name })}>
          ↓
        </ActionIcon>
      </Group>
      <InlineNameInput aria-label={t('settings.refs.nameOf', { name: item.name })} value={item.name} onSave={(name) => patch.mutateAsync({ name })} maxLength={200} style={{ flex: 1 }} />
      {kind === 'lead-statuses' && item.semantic && (
        <Badge variant="light" color={item.semantic === 'converted' ? 'green' : item.semantic === 'junk' ? 'gray' : 'blue'} tt="none">
          {t(`settings.refs.semantic.${item.semantic}`)}
        </Badge>
      )}
      {item.active ? (
        <RowButton label={t('settings.refs.hide')} ariaLabel={t('settings.refs.hideOf', { name: item.name })} onClick={() => patch.mutate({ active: false })} danger />
      ) : (
        <Group gap={6} wrap="nowrap">
          <Badge color="gray" variant="light" tt="none">
            {t('settings.refs.hiddenBadge')}
          </Badge>
          <RowButton label={t('settings.refs.restore')} ariaLabel={t('settings.refs.restoreOf', { name: item.name })} onClick={() => patch.mutate({ active: true })} />
        </Group>
      )}
    </Group>
  );
}
