import { useEffect, useMemo, useState } from 'react';
import { Button, Group, Paper, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { PageLoader, QueryError } from '../../components/page';
import { notifyFailure, notifySaved, useWorkspaceSettings, type Workspace } from './api';

// The workspace profile (name, default currency, time zone, language) and the CRM mode: with
// leads (requests are qualified first and converted into deals) or without (straight to deals).

const COMMON_CURRENCIES = ['RUB', 'USD', 'EUR', 'KZT', 'BYN', 'UZS', 'CNY', 'AMD', 'GEL', 'KGS', 'TRY', 'AED'];
const supported = (kind: 'currency' | 'timeZone'): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(kind);
  } catch {
    return [];
  }
};

export default function WorkspaceSettings() {
  const ws = useWorkspaceSettings();
  if (ws.isPending) return <PageLoader />;
  if (ws.isError) return <QueryError error={ws.error} onRetry={() => void ws.refetch()} />;
  return <WorkspaceForm key={ws.data.version} ws={ws.data} />;
}

function WorkspaceForm({ ws }: { ws: Workspace }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: ws.name, currency: ws.currency, timeZone: ws.timeZone, locale: ws.locale, crmMode: ws.crmMode });
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setErrors({}), [ws.version]);
  const dirty = form.name !== ws.name || form.currency !== ws.currency || form.timeZone !== ws.timeZone || form.locale !== ws.locale || form.crmMode !== ws.crmMode;

  const currencies = useMemo(() => {
    const names = (() => {
      try {
        return new Intl.DisplayNames([i18n.language], { type: 'currency' });
      } catch {
        return null;
      }
    })();
    const all = [...new Set([...COMMON_CURRENCIES, ...supported('currency'), ws.currency])];
    return all.map((c) => ({ value: c, label: names ? `${c} — ${names.of(c) ?? c}` : c }));
  }, [i18n.language, ws.currency]);
  const zones = useMemo(() => [...new Set([...supported('timeZone'), ws.timeZone, 'UTC'])].map((z) => ({ value: z, label: z })), [ws.timeZone]);

  const save = useMutation({
    mutationFn: () => {
      const changes: Partial<Workspace> = {};
      for (const k of ['name', 'currency', 'timeZone', 'locale', 'crmMode'] as const) if (form[k] !== ws[k]) (changes as Record<string, string>)[k] = k === 'name' ? form.name.trim() : form[k];
      return api.patch<Workspace>('/workspace', { ...changes, version: ws.version });
    },
    onSuccess: (w) => {
      qc.setQueryData(['workspace'], w);
      void qc.invalidateQueries({ queryKey: ['workspace'] });
      notifySaved(t);
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setErrors(e.fieldErrors());
      if (isApiError(e) && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: ['workspace'] });
      notifyFailure(t, e);
    },
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!form.name.trim()) return setErrors({ name: t('common.required') });
        save.mutate();
      }}
    >
      <Stack gap="md" maw={720}>
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="sm">
            {t('settings.workspace.profile')}
          </Title>
          <Stack gap="sm">
            <TextInput label={t('settings.workspace.name')} value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.currentTarget.value }))} error={errors.name} required maxLength={200} />
            <Select
              label={t('settings.workspace.currency')}
              description={t('settings.workspace.currencyHint')}
              data={currencies}
              value={form.currency}
              onChange={(v) => v && setForm((f) => ({ ...f, currency: v }))}
              searchable
              allowDeselect={false}
              error={errors.currency}
              limit={100}
            />
            <Select
              label={t('settings.workspace.timeZone')}
              description={t('settings.workspace.timeZoneHint')}
              data={zones}
              value={form.timeZone}
              onChange={(v) => v && setForm((f) => ({ ...f, timeZone: v }))}
              searchable
              allowDeselect={false}
              error={errors.timeZone}
              limit={100}
            />
            <Select
              label={t('settings.workspace.locale')}
              description={t('settings.workspace.localeHint')}
              data={[
                { value: 'ru', label: 'Русский' },
                { value: 'en', label: 'English' },
              ]}
              value={form.locale}
              onChange={(v) => v && setForm((f) => ({ ...f, locale: v }))}
              allowDeselect={false}
              error={errors.locale}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Radio.Group
            label={<Title order={2} size="h4">{t('settings.workspace.crmMode')}</Title>}
            value={form.crmMode}
            onChange={(v) => setForm((f) => ({ ...f, crmMode: v as Workspace['crmMode'] }))}
            error={errors.crmMode}
          >
            <Stack gap="sm" mt="sm">
              <Radio value="with_leads" label={t('settings.workspace.withLeads')} description={t('settings.workspace.withLeadsHint')} />
              <Radio value="without_leads" label={t('settings.workspace.withoutLeads')} description={t('settings.workspace.withoutLeadsHint')} />
            </Stack>
          </Radio.Group>
        </Paper>
        <Group justify="flex-end">
          {dirty && (
            <Text size="sm" c="dimmed">
              {t('settings.unsaved')}
            </Text>
          )}
          <Button variant="default" disabled={!dirty} onClick={() => setForm({ name: ws.name, currency: ws.currency, timeZone: ws.timeZone, locale: ws.locale, crmMode: ws.crmMode })}>
            {t('settings.discard')}
          </Button>
          <Button type="submit" disabled={!dirty} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
