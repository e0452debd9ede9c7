import type { ReactNode } from 'react';
import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useIsAdmin } from '../auth/session';
import { Empty, PageHeader, PageLoader } from '../components/page';
import { useWorkspace } from './workspace';

/**
 * The leads area, only while the workspace works with leads. In the mode without leads it explains
 * that leads are switched off and how to switch them on (an administrator: settings → workspace →
 * CRM mode), instead of showing lists nobody is meant to use. A failed workspace read shows the
 * leads as before.
 */
export function RequireLeads({ children }: { children: ReactNode }) {
  const workspace = useWorkspace();
  if (workspace.isPending) return <PageLoader />;
  if (workspace.data?.crmMode === 'without_leads') return <LeadsSwitchedOff />;
  return children;
}

function LeadsSwitchedOff() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  return (
    <>
      <PageHeader title={t('nav.leads')} />
      <Empty
        title={t('app.leadsOff.title')}
        description={
          <>
            {t('app.leadsOff.text')} {isAdmin ? t('app.leadsOff.adminHint') : t('app.leadsOff.userHint')}
          </>
        }
        action={
          <Group gap="sm" justify="center">
            {isAdmin && (
              <Button component={Link} to="/settings/workspace">
                {t('app.leadsOff.openSettings')}
              </Button>
            )}
            <Button component={Link} to="/deals" variant={isAdmin ? 'default' : 'filled'}>
              {t('app.leadsOff.toDeals')}
            </Button>
          </Group>
        }
      />
    </>
  );
}
