import { useEffect, useState } from 'react';
import { Checkbox, Group, NumberInput, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { Schemas } from '../../api/types';
import { PageLoader, QueryError } from '../../components/page';
import { type FieldErrors, notifySaved, showSaveError, STALE } from './api';
import { SaveBar } from './parts/layout';

// Overdue control (контроль сроков): when the responsible and then the head of their department hear
// of an overdue activity, when a deal counts as idle, and when the daily digest comes (in the
// workspace's time zone). The server checks every minute; docs/overdue-control.md.

type Settings = Schemas['OverdueControlSettings'];
const BASE = '/settings/overdue-control';
const FIELDS = [
  'activityEnabled',
  'activityNotifyAfterMinutes',
  'activityEscalateAfterMinutes',
  'dealIdleEnabled',
  'dealIdleDays',
  'dealIdleEscalate',
  'digestEnabled',
  'digestTime',
  'digestNoActivity',
] as const;
type Form = Pick<Settings, (typeof FIELDS)[number]>;
const formOf = (s: Settings): Form => Object.fromEntries(FIELDS.map((k) => [k, s[k]])) as Form;

const useSettings = () => useQuery({ queryKey: ['overdue-control'], queryFn: ({ signal }) => api.get<Settings>(BASE, undefined, { signal }), staleTime: STALE });

export default function OverdueControlSettings() {
  const settings = useSettings();
  if (settings.isPending) return <PageLoader />;
  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  return <RulesForm key={settings.data.version} settings={settings.data} />;
}

function RulesForm({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => setErrors({}), [settings.version]);
  const changed = FIELDS.filter((k) => form[k] !== settings[k]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const num = (v: string | number) => (typeof v === 'number' ? v : Number(v) || 0);

  const save = useMutation({
    mutationFn: () => api.patch<Settings>(BASE, { ...Object.fromEntries(changed.map((k) => [k, form[k]])), version: settings.version }),
    onSuccess: (s) => {
      qc.setQueryData(['overdue-control'], s);
      void qc.invalidateQueries({ queryKey: ['overdue-control'] });
      notifySaved(t);
    },
    onError: (e) => {
      showSaveError(t, e, setErrors);
      if (isApiError(e) && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: ['overdue-control'] });
    },
  });

  const next = settings.nextDigestAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: settings.timeZone }).format(new Date(settings.nextDigestAt))
    : null;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(form.digestTime)) return setErrors({ digestTime: t('settings.overdueControl.badTime') });
        save.mutate();
      }}
    >
      <Stack gap="md" maw={720}>
        <Text size="sm" c="dimmed">
          {t('settings.overdueControl.intro')}
        </Text>
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="sm">
            {t('settings.overdueControl.activities')}
          </Title>
          <Stack gap="sm">
            <Switch label={t('settings.overdueControl.activityEnabled')} checked={form.activityEnabled} onChange={(e) => set('activityEnabled', e.currentTarget.checked)} />
            <NumberInput
              label={t('settings.overdueControl.notifyAfter')}
              description={t('settings.overdueControl.notifyAfterHint')}
              value={form.activityNotifyAfterMinutes}
              onChange={(v) => set('activityNotifyAfterMinutes', num(v))}
              min={0}
              max={10080}
              allowDecimal={false}
              disabled={!form.activityEnabled}
              error={errors.activityNotifyAfterMinutes}
              w={320}
            />
            <Checkbox
              label={t('settings.overdueControl.escalate')}
              checked={form.activityEscalateAfterMinutes !== null}
              onChange={(e) => set('activityEscalateAfterMinutes', e.currentTarget.checked ? (settings.activityEscalateAfterMinutes ?? 120) : null)}
              disabled={!form.activityEnabled}
            />
            {form.activityEscalateAfterMinutes !== null && (
              <NumberInput
                label={t('settings.overdueControl.escalateAfter')}
                description={t('settings.overdueControl.escalateAfterHint')}
                value={form.activityEscalateAfterMinutes}
                onChange={(v) => set('activityEscalateAfterMinutes', num(v))}
                min={1}
                max={10080}
                allowDecimal={false}
                disabled={!form.activityEnabled}
                error={errors.activityEscalateAfterMinutes}
                w={320}
              />
            )}
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="sm">
            {t('settings.overdueControl.deals')}
          </Title>
          <Stack gap="sm">
            <Switch label={t('settings.overdueControl.dealIdleEnabled')} checked={form.dealIdleEnabled} onChange={(e) => set('dealIdleEnabled', e.currentTarget.checked)} />
            <NumberInput
              label={t('settings.overdueControl.idleDays')}
              description={t('settings.overdueControl.idleDaysHint')}
              value={form.dealIdleDays}
              onChange={(v) => set('dealIdleDays', num(v))}
              min={1}
              max={365}
              allowDecimal={false}
              disabled={!form.dealIdleEnabled}
              error={errors.dealIdleDays}
              w={320}
            />
            <Checkbox label={t('settings.overdueControl.idleEscalate')} checked={form.dealIdleEscalate} onChange={(e) => set('dealIdleEscalate', e.currentTarget.checked)} disabled={!form.dealIdleEnabled} />
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="sm">
            {t('settings.overdueControl.digest')}
          </Title>
          <Stack gap="sm">
            <Switch label={t('settings.overdueControl.digestEnabled')} checked={form.digestEnabled} onChange={(e) => set('digestEnabled', e.currentTarget.checked)} />
            <Group align="flex-end" gap="md">
              <TextInput
                type="time"
                label={t('settings.overdueControl.digestTime')}
                description={t('settings.overdueControl.digestTimeHint', { timeZone: settings.timeZone })}
                value={form.digestTime}
                onChange={(e) => set('digestTime', e.currentTarget.value)}
                disabled={!form.digestEnabled}
                error={errors.digestTime}
                w={320}
              />
            </Group>
            <Checkbox label={t('settings.overdueControl.digestNoActivity')} checked={form.digestNoActivity} onChange={(e) => set('digestNoActivity', e.currentTarget.checked)} disabled={!form.digestEnabled} />
            {next && (
              <Text size="sm" c="dimmed">
                {t('settings.overdueControl.nextDigest', { at: next })}
              </Text>
            )}
          </Stack>
        </Paper>
        <SaveBar dirty={changed.length > 0} saving={save.isPending} onDiscard={() => setForm(formOf(settings))} />
      </Stack>
    </form>
  );
}
