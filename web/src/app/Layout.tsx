import { Suspense, useEffect } from 'react';
import { Anchor, AppShell, Burger, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useIsAdmin, useMayManageAutomation, useMe } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { Icon } from '../components/icons';
import { PageLoader } from '../components/page';
import { GlobalSearch } from './GlobalSearch';
import { LanguageSwitch } from './LanguageSwitch';
import { NAV_ITEMS, mayUseRecycleBin, visibleNavItems } from './nav';
import { UserMenu } from './UserMenu';
import { NotificationBell } from './NotificationBell';
import { useLeadsEnabled, useWorkspace } from './workspace';

// screens read the workspace through the shell (its default currency, …)
export { useWorkspace } from './workspace';

/** The app shell: top bar (name, search, language, user), side navigation (a drawer on phones), the screen. */
export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const isAdmin = useIsAdmin();
  const mayManageAutomation = useMayManageAutomation();
  const me = useMe();
  const workspace = useWorkspace().data;
  const leadsEnabled = useLeadsEnabled();
  // below the `sm` breakpoint the navigation is a drawer; closed, it must not take keyboard focus
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const navHidden = phone && !opened;

  // on a phone, following a link closes the drawer
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="sm" gap="sm" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? t('app.closeNavigation') : t('app.openNavigation')} aria-expanded={opened} aria-controls="main-navigation" />
          <Anchor component={Link} to="/deals" underline="never" fw={700} fz="lg" c="blue.8" visibleFrom="xs" style={{ whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Anchor>
          {workspace && (
            <Text size="sm" c="dimmed" visibleFrom="md" truncate maw={180} title={workspace.name} data-testid="workspace-name">
              {workspace.name}
            </Text>
          )}
          <GlobalSearch />
          <LanguageSwitch visibleFrom="sm" />
          <NotificationBell />
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar
        p="xs"
        aria-label={t('app.mainNavigation')}
        component="nav"
        id="main-navigation"
        inert={navHidden}
        style={navHidden ? { visibility: 'hidden' } : undefined}
      >
        <AppShell.Section grow component={ScrollArea}>
          {visibleNavItems(NAV_ITEMS, { isAdmin, leadsEnabled, mayDelete: mayUseRecycleBin(me.data?.permissions), mayManageAutomation }).map((item) => {
            const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={t(item.labelKey)}
                leftSection={<Icon name={item.icon} />}
                active={active}
                aria-current={active ? 'page' : undefined}
                variant="light"
              />
            );
          })}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="sm" pt="sm">
          <LanguageSwitch />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1}>
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
