import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, Group, Paper, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { PageLoader, QueryError } from '../../components/page';
import { REF_KINDS, type RefItem, type RefKind, useReferenceList } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE, useInvalidate } from './api';

// Reference lists: sources, loss reasons, lead statuses (with their meaning), contact and company
// types, industries. Items are renamed in place, ordered with the arrows, hidden (kept on old
// records, not offered for new ones) and brought back.

const LEAD_SEMANTICS = ['in_progress', 'converted', 'junk'] as const;

export default function ReferenceListsSettings() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind = (REF_KINDS as string[]).includes(params.get('list') ?? '') ? (params.get('list') as RefKind) : 'sources';
  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        {t('settings.refs.title')}
      </Title>
      <Tabs value={kind} onChange={(v) => v && setParams({ list: v }, { replace: true })} variant="pills">
        <Tabs.List>
          {REF_KINDS.map((k) => (
            <Tabs.Tab key={k} value={k}>
              {t(`settings.refs.kinds.${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <RefList key={kind} kind={kind} />
    </Stack>
  );
}

function RefList({ kind }: { kind: RefKind }) {
  const { t } = useTranslation();
  const items = useReferenceList(kind, { includeInactive: true, staleTime: STALE });
  const invalidate = useInvalidate();
  const refresh = () => invalidate('reference-lists');
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
      <AddRefItem kind={kind} nextSort={(list.length + 1) * 10} onAdded={refresh} />
    </Paper>
  );
}

function RefRow({ kind, item, onUp, onDown, onChanged }: { kind: RefKind; item: RefItem; onUp?: () => void; onDown?: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(item.name);
  useEffect(() => setName(item.name), [item.name]);
  const patch = useMutation({
    mutationFn: (body: { name?: string; active?: boolean }) => api.patch<RefItem>(`/reference-lists/${kind}/items/${item.id}`, { ...body, version: item.version }),
    onSuccess: (_r, body) => {
      onChanged();
      if (body.active === false) notifySaved(t, t('settings.refs.hidden', { name: item.name }));
    },
    onError: (e) => {
      setName(item.name);
      notifyFailure(t, e);
      onChanged();
    },
  });
  const save = () => {
    const v = name.trim();
    if (!v) return setName(item.name);
    if (v !== item.name) patch.mutate({ name: v });
  };
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
      <TextInput
        aria-label={t('settings.refs.nameOf', { name: item.name })}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), save())}
        maxLength={200}
        style={{ flex: 1 }}
      />
      {kind === 'lead-statuses' && item.semantic && (
        <Badge variant="light" color={item.semantic === 'converted' ? 'green' : item.semantic === 'junk' ? 'gray' : 'blue'} tt="none">
          {t(`settings.refs.semantic.${item.semantic}`)}
        </Badge>
      )}
      {item.active ? (
        <Button size="compact-sm" variant="subtle" color="red" onClick={() => patch.mutate({ active: false })} aria-label={t('settings.refs.hideOf', { name: item.name })}>
          {t('settings.refs.hide')}
        </Button>
      ) : (
        <Group gap={6} wrap="nowrap">
          <Badge color="gray" variant="light" tt="none">
            {t('settings.refs.hiddenBadge')}
          </Badge>
          <Button size="compact-sm" variant="subtle" onClick={() => patch.mutate({ active: true })} aria-label={t('settings.refs.restoreOf', { name: item.name })}>
            {t('settings.refs.restore')}
          </Button>
        </Group>
      )}
    </Group>
  );
}

function AddRefItem({ kind, nextSort, onAdded }: { kind: RefKind; nextSort: number; onAdded: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [semantic, setSemantic] = useState<string>('in_progress');
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () => api.post<RefItem>(`/reference-lists/${kind}/items`, { name: name.trim(), sort: nextSort, ...(kind === 'lead-statuses' ? { semantic } : {}) }),
    onSuccess: (item) => {
      setName('');
      setError(null);
      onAdded();
      notifySaved(t, t('settings.refs.added', { name: item.name }));
    },
    onError: (e) => (isApiError(e) && e.code === 'validation_failed' && e.fields.length ? setError(e.fields[0]!.message) : notifyFailure(t, e)),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setError(t('common.required'));
        add.mutate();
      }}
    >
      <Group mt="md" align="flex-end" gap="xs" wrap="wrap">
        <TextInput label={t('settings.refs.newItem')} value={name} onChange={(e) => (setName(e.currentTarget.value), setError(null))} error={error} maxLength={200} style={{ flex: 1, minWidth: 200 }} />
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
        <Button type="submit" loading={add.isPending}>
          {t('settings.refs.add')}
        </Button>
      </Group>
    </form>
  );
}
