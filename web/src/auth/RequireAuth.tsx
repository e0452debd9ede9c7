import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Center } from '@mantine/core';
import { loginUrl } from '../api/client';
import { Empty, PageLoader, QueryError } from '../components/page';
import { sessionExpired, useIsAdmin, useMayManageAutomation, useMe } from './session';

/** The logged-in part of the app: waits for GET /auth/me, sends the anonymous to /login?next=…. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoader />;
  if (me.isError)
    return (
      <Center p="xl">
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  if (!me.data) return <Navigate to={loginUrl(location.pathname + location.search, sessionExpired() ? 'expired' : undefined)} replace />;
  return children;
}

/** Those who manage automation (administrators, roles granted automation.manage): the robots screen. */
export function RequireAutomation({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  if (!useMayManageAutomation()) return <Empty title={t('errors.forbidden')} description={t('automation.managersOnly')} />;
  return children;
}

/** Administrators only (settings); others see why they cannot enter. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  if (!useIsAdmin()) return <Empty title={t('errors.forbidden')} description={t('settings.adminsOnly')} />;
  return children;
}
