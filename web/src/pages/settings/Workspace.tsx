import { useEffect, useMemo, useState } from 'react';
import { Paper, Radio, Select, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { useWorkspace, type Workspace } from '../../app/workspace';
import { LANGUAGES } from '../../i18n';
import { PageLoader, QueryError } from '../../components/page';
import { type FieldErrors, notifySaved, showSaveError } from './api';
import { SaveBar } from './parts/layout';

// The workspace profile (name, default currency, time zone, language) and the CRM mode: with
// leads (requests are qualified first and converted into deals) or without (the team works with
// deals only: the leads section leaves the navigation and the search at once, for everyone).

const COMMON_CURRENCIES = ['RUB', 'USD', 'EUR', 'KZT', 'BYN', 'UZS', 'CNY', 'AMD', 'GEL', 'KGS', 'TRY', 'AED'];
const supported = (kind: 'currency' | 'timeZone'): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(kind);
  } catch {
    return [];
  }
};

const FIELDS = ['name', 'currency', 'timeZone', 'locale', 'crmMode'] as const;
type Form = Pick<Workspace, (typeof FIELDS)[number]>;
const formOf = (ws: Workspace): Form => ({ name: ws.name, currency: ws.currency, timeZone: ws.timeZone, locale: ws.locale, crmMode: ws.crmMode });

export default function WorkspaceSettings() {
  const ws = useWorkspace();
  if (ws.isPending) return <PageLoader />;
  if (ws.isError) return <QueryError error={ws.error} onRetry={() => void ws.refetch()} />;
  return <WorkspaceForm key={ws.data.version} ws={ws.data} />;
}

function WorkspaceForm({ ws }: { ws: Workspace }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState(() => formOf(ws));
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => setErrors({}), [ws.version]);
  const changed = FIELDS.filter((k) => form[k] !== ws[k]);

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
      const changes = Object.fromEntries(changed.map((k) => [k, k === 'name' ? form.name.trim() : form[k]]));
      return api.patch<Workspace>('/workspace', { ...changes, version: ws.version });
    },
    onSuccess: (w) => {
      // the shell reads the same query: the navigation follows the CRM mode at once
      qc.setQueryData(['workspace'], w);
      void qc.invalidateQueries({ queryKey: ['workspace'] });
      notifySaved(t);
    },
    onError: (e) => {
      showSaveError(t, e, setErrors);
      if (isApiError(e) && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: ['workspace'] });
    },
  });

  /** The props of a select of the profile: its label and hint, value, error. */
  const choice = (k: 'currency' | 'timeZone' | 'locale') => ({
    label: t(`settings.workspace.${k}`),
    description: t(`settings.workspace.${k}Hint`),
    value: form[k],
    onChange: (v: string | null) => v && setForm((f) => ({ ...f, [k]: v })),
    allowDeselect: false,
    error: errors[k],
  });

  return (
    <form
      noValidate
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
            <TextInput label={t('settings.workspace.name')} value={form.name} onChange={(e) => {
              const name = e.currentTarget.value;
              setForm((f) => ({ ...f, name }));
            }} error={errors.name} required maxLength={200} />
            <Select {...choice('currency')} data={currencies} searchable limit={100} />
            <Select {...choice('timeZone')} data={zones} searchable limit={100} />
            <Select
              {...choice('locale')}
              // each language by its own name, marked as that language for screen readers
              data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
              renderOption={({ option }) => <span lang={option.value}>{option.label}</span>}
              lang={form.locale}
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
        <SaveBar dirty={changed.length > 0} saving={save.isPending} onDiscard={() => setForm(formOf(ws))} />
      </Stack>
    </form>
  );
}
