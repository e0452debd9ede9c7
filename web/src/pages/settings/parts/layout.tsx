import type { ReactNode } from 'react';
import { Button, Group, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

/** A settings section's heading (h2) with its main action on the right. */
export function SectionHeader({ title, action }: { title: string; action?: ReactNode }) {
  return (
    <Group justify="space-between">
      <Title order={2} size="h4">
        {title}
      </Title>
      {action}
    </Group>
  );
}

/** One of `values` kept in the address (`?name=value`), so a link or a reload shows the same; `fallback` otherwise. */
export function useParamChoice<T extends string>(name: string, values: readonly T[], fallback: T): [T, (value: T) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get(name) ?? '';
  const value = (values as readonly string[]).includes(raw) ? (raw as T) : fallback;
  return [value, (v) => setParams({ [name]: v }, { replace: true })];
}

/** Pills switching between the kinds of one section (record types, reference lists). */
export function PillTabs<T extends string>({ value, values, onChange, label }: { value: T; values: readonly T[]; onChange: (value: T) => void; label: (value: T) => string }) {
  return (
    <Tabs value={value} onChange={(v) => v && onChange(v as T)} variant="pills">
      <Tabs.List>
        {values.map((v) => (
          <Tabs.Tab key={v} value={v}>
            {label(v)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}

/** Under a form saved as a whole: «unsaved changes», discard, save. */
export function SaveBar({ dirty, saving, onDiscard, onSave, sticky }: { dirty: boolean; saving: boolean; onDiscard: () => void; /** none: the save button submits its form */ onSave?: () => void; sticky?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" style={sticky ? { position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', padding: '8px 0' } : undefined}>
      {dirty && (
        <Text size="sm" c="dimmed">
          {t('settings.unsaved')}
        </Text>
      )}
      <Button variant="default" disabled={!dirty} onClick={onDiscard}>
        {t('settings.discard')}
      </Button>
      <Button type={onSave ? 'button' : 'submit'} onClick={onSave} loading={saving} disabled={!dirty}>
        {t('common.save')}
      </Button>
    </Group>
  );
}
