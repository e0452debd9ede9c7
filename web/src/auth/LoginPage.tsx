import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError, safeNext } from '../api/client';
import { LanguageSwitch } from '../app/LanguageSwitch';
import { PageLoader, usePageTitle } from '../components/page';
import { errorMessage } from '../lib/errors';
import { useLogin, useMe } from './session';

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  usePageTitle(t('auth.login.title'));

  const next = safeNext(params.get('next'));
  if (me.isPending) return <PageLoader />;
  if (me.data) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  const error = login.error;
  const errorText = !error
    ? null
    : isApiError(error) && error.status === 401
      ? t('auth.login.failed')
      : isApiError(error) && error.status === 429
        ? t('auth.login.rateLimited')
        : errorMessage(t, error);

  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Box w="100%" maw={400}>
        <Paper withBorder shadow="sm" p="xl" radius="md" component="main">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                {t('auth.login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('auth.login.subtitle')}
              </Text>
            </div>
            {params.get('reason') === 'expired' && !error && (
              <Alert color="yellow" role="status">
                {t('auth.login.sessionExpired')}
              </Alert>
            )}
            {errorText && (
              <Alert color="red" role="alert" data-testid="login-error">
                {errorText}
              </Alert>
            )}
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                <TextInput
                  label={t('auth.login.email')}
                  name="email"
                  type="email"
                  autoComplete="username"
                  required
                  autoFocus
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  error={!!error}
                />
                <PasswordInput
                  label={t('auth.login.password')}
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={!!error}
                />
                <Button type="submit" loading={login.isPending} disabled={!email.trim() || !password} fullWidth mt="xs">
                  {t('auth.login.submit')}
                </Button>
              </Stack>
            </form>
          </Stack>
        </Paper>
        <Group justify="center" mt="md">
          <LanguageSwitch />
        </Group>
      </Box>
    </Center>
  );
}
