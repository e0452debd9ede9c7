import { useState } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, Paper, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { providerName } from '../../lib/provider-name';
import { api, isApiError } from '../../api/client';
import type { Schemas } from '../../api/types';
import { PageLoader, QueryError } from '../../components/page';
import { type FieldErrors, notifyFailure, notifySaved, showSaveError } from './api';
import { SaveBar } from './parts/layout';
import { changesOf, formOf, PROVIDERS, type Provider, type Secret, SET_FLAG, type Settings, type TextKey } from './messaging-logic';

// Settings → «Рассылки»: the workspace's SMTP server and SMS provider (GET/PATCH
// /settings/messaging, docs/messaging.md), each with a test message. Secrets are write-only: the
// server answers only whether one is set; an empty input keeps it, «Очистить» sends null.

type TestResult = Schemas['MessagingTestResult'];
export const messagingKey = ['settings', 'messaging'] as const;

export default function MessagingSettings() {
  const q = useQuery({ queryKey: messagingKey, queryFn: ({ signal }) => api.get<Settings>('/settings/messaging', undefined, { signal }) });
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return <MessagingForm key={q.data.version} settings={q.data} />;
}

function MessagingForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState(() => formOf(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const changes = changesOf(form, settings);
  const dirty = Object.keys(changes).length > 0;

  const save = useMutation({
    mutationFn: () => api.patch<Settings>('/settings/messaging', { ...changes, version: settings.version }),
    onSuccess: (s) => {
      qc.setQueryData(messagingKey, s);
      notifySaved(t);
    },
    onError: (e) => {
      showSaveError(t, e, setErrors);
      if (isApiError(e) && e.code === 'version_conflict') void qc.invalidateQueries({ queryKey: messagingKey });
    },
  });

  const text = (k: TextKey, extra: { required?: boolean; maxLength?: number; description?: string; placeholder?: string } = {}) => ({
    label: t(`settings.messaging.${k}`),
    value: form.texts[k],
    error: errors[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value;
      setForm((f) => ({ ...f, texts: { ...f.texts, [k]: v } }));
      setErrors(({ [k]: _, ...rest }) => rest);
    },
    ...extra,
  });

  const secret = (k: Secret) => {
    const isSet = settings[SET_FLAG[k]];
    const cleared = form.secrets[k] === null;
    return (
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <PasswordInput
          style={{ flex: 1 }}
          label={t(`settings.messaging.${k}`)}
          description={cleared ? t('settings.messaging.secretWillClear') : isSet ? t('settings.messaging.secretSet') : t('settings.messaging.secretNotSet')}
          placeholder={isSet && !cleared ? '••••••••' : undefined}
          value={form.secrets[k] ?? ''}
          autoComplete="new-password"
          visibilityToggleButtonProps={{ 'aria-label': t('settings.messaging.showSecret') }}
          error={errors[k]}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setForm((f) => ({ ...f, secrets: { ...f.secrets, [k]: v } }));
          }}
        />
        {isSet && !cleared && (
          <Button variant="subtle" color="red" onClick={() => setForm((f) => ({ ...f, secrets: { ...f.secrets, [k]: null } }))} aria-label={t('settings.messaging.clearOf', { name: t(`settings.messaging.${k}`) })}>
            {t('settings.messaging.clear')}
          </Button>
        )}
      </Group>
    );
  };

  return (
    <Stack gap="md" maw={720}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setErrors({});
          save.mutate();
        }}
      >
        <Stack gap="md">
          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="xs">
              {t('settings.messaging.smtpTitle')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('settings.messaging.smtpHint')}
            </Text>
            <Stack gap="sm">
              <Group grow align="flex-start">
                <TextInput {...text('smtpHost', { maxLength: 253 })} />
                <NumberInput
                  label={t('settings.messaging.smtpPort')}
                  description={t('settings.messaging.smtpPortHint')}
                  value={form.smtpPort}
                  allowDecimal={false}
                  allowNegative={false}
                  error={errors.smtpPort}
                  onChange={(v) => {
                    setForm((f) => ({ ...f, smtpPort: typeof v === 'number' ? v : v === '' ? '' : Number(v) }));
                    setErrors(({ smtpPort: _, ...rest }) => rest);
                  }}
                />
              </Group>
              <Checkbox label={t('settings.messaging.smtpSecure')} description={t('settings.messaging.smtpSecureHint')} checked={form.smtpSecure} onChange={(e) => {
                const v = e.currentTarget.checked;
                setForm((f) => ({ ...f, smtpSecure: v }));
              }} />
              <TextInput {...text('smtpUser', { maxLength: 254 })} autoComplete="off" />
              {secret('smtpPassword')}
              <Group grow align="flex-start">
                <TextInput {...text('mailFromAddress', { maxLength: 254 })} type="email" />
                <TextInput {...text('mailFromName', { maxLength: 200 })} />
              </Group>
            </Stack>
          </Paper>

          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="sm">
              {t('settings.messaging.smsTitle')}
            </Title>
            <Stack gap="sm">
              <Select
                label={t('settings.messaging.smsProvider')}
                data={PROVIDERS.map((p) => ({ value: p, label: t(`settings.messaging.providers.${p}`) }))}
                value={form.smsProvider}
                allowDeselect={false}
                error={errors.smsProvider}
                onChange={(v) => v && setForm((f) => ({ ...f, smsProvider: v as Provider }))}
              />
              {form.smsProvider === 'log' && (
                <Text size="sm" c="dimmed">
                  {t('settings.messaging.logHint')}
                </Text>
              )}
              {form.smsProvider === 'smsru' && secret('smsruApiId')}
              {form.smsProvider === 'smsc' && (
                <>
                  <TextInput {...text('smscLogin', { maxLength: 100 })} autoComplete="off" />
                  {secret('smscPassword')}
                  {secret('smscApiKey')}
                  <Text size="xs" c="dimmed">
                    {t('settings.messaging.smscAuthHint')}
                  </Text>
                </>
              )}
              {form.smsProvider !== 'log' && (
                <>
                  <TextInput {...text('smsSender', { maxLength: 11, description: t('settings.messaging.smsSenderHint') })} />
                  <TextInput {...text('smsApiUrl', { maxLength: 300, description: t('settings.messaging.smsApiUrlHint') })} />
                </>
              )}
            </Stack>
          </Paper>
          <SaveBar dirty={dirty} saving={save.isPending} onDiscard={() => {
            setForm(formOf(settings));
            setErrors({});
          }} />
        </Stack>
      </form>

      <TestSend kind="email" dirty={dirty} />
      <TestSend kind="sms" dirty={dirty} />
    </Stack>
  );
}

/** «Отправить тестовое письмо / SMS»: an address, a button, the outcome in words. */
function TestSend({ kind, dirty }: { kind: 'email' | 'sms'; dirty: boolean }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | undefined>();
  const send = useMutation({
    mutationFn: () => api.post<TestResult>(`/settings/messaging/test-${kind}`, { to: to.trim() }),
    onMutate: () => setError(undefined),
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setError(e.fields[0]!.message);
      else if (isApiError(e) && e.status === 400) setError(e.message);
      else notifyFailure(t, e);
    },
  });
  const r = send.data;
  return (
    <Paper withBorder p="md" radius="md" data-testid={`test-${kind}`}>
      <Title order={2} size="h4" mb="sm">
        {t(`settings.messaging.test.${kind}Title`)}
      </Title>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!to.trim()) return setError(t('common.required'));
          send.mutate();
        }}
      >
        <Group align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            label={t(`settings.messaging.test.${kind}To`)}
            type={kind === 'email' ? 'email' : 'tel'}
            value={to}
            error={error}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setTo(v);
              setError(undefined);
            }}
          />
          <Button type="submit" mt={25} loading={send.isPending}>
            {t(`settings.messaging.test.${kind}Send`)}
          </Button>
        </Group>
      </form>
      {dirty && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('settings.messaging.test.savedOnly')}
        </Text>
      )}
      {r && !send.isPending && (
        <Alert
          mt="sm"
          role="status"
          data-testid={`test-${kind}-result`}
          data-outcome={r.outcome}
          color={r.outcome === 'sent' ? 'green' : r.outcome === 'uncertain' ? 'yellow' : 'red'}
          title={t(`settings.messaging.test.outcome.${r.outcome}`, { provider: providerName(t, r.provider) })}
        >
          {r.outcome === 'sent' && r.provider === 'log' && <Text size="sm">{t('settings.messaging.test.loggedOnly')}</Text>}
          {r.providerMessageId && (
            <Text size="sm">
              {t('settings.messaging.test.messageId')}: {r.providerMessageId}
            </Text>
          )}
          {r.error && (
            <Text size="sm">
              {r.error.message} ({r.error.code})
            </Text>
          )}
        </Alert>
      )}
    </Paper>
  );
}
