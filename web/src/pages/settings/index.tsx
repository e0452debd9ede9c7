import { Suspense } from 'react';
import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Empty, PageHeader, PageLoader } from '../../components/page';
import { lazyPage } from '../../app/lazy-page';
import { useIsAdmin } from '../../auth/session';
import CustomFieldsSettings from './CustomFields';
import DepartmentsSettings from './Departments';
import PipelinesSettings from './Pipelines';
import ProductsSettings from './Products';
import ReferenceListsSettings from './ReferenceLists';
import RolesSettings from './Roles';
import UsersSettings from './Users';
import WorkspaceSettings from './Workspace';
import WorkingCalendarSettings from './WorkingCalendar';
import OverdueControlSettings from './OverdueControl';

// the messaging settings and the automation log are chunks of their own (loaded when opened)
const MessagingSettings = lazyPage(() => import('./Messaging'));
const AutomationLog = lazyPage(() => import('./AutomationLog'));

// Settings (administrators only): a tab per area, each its own sub-route (/settings/pipelines, …),
// so a link or a reload opens the same tab.

const TABS = [
  { path: 'pipelines', element: <PipelinesSettings /> },
  { path: 'reference-lists', element: <ReferenceListsSettings /> },
  { path: 'custom-fields', element: <CustomFieldsSettings /> },
  { path: 'products', element: <ProductsSettings /> },
  { path: 'users', element: <UsersSettings /> },
  { path: 'departments', element: <DepartmentsSettings /> },
  { path: 'roles', element: <RolesSettings /> },
  { path: 'workspace', element: <WorkspaceSettings /> },
  { path: 'working-calendar', element: <WorkingCalendarSettings /> },
  { path: 'overdue-control', element: <OverdueControlSettings /> },
  { path: 'messaging', element: <MessagingSettings /> },
  { path: 'automation-log', element: <AutomationLog /> },
] as const;

const TAB_KEYS: Record<(typeof TABS)[number]['path'], string> = {
  pipelines: 'settings.tabs.pipelines',
  'reference-lists': 'settings.tabs.referenceLists',
  'custom-fields': 'settings.tabs.customFields',
  products: 'settings.tabs.products',
  users: 'settings.tabs.users',
  departments: 'settings.tabs.departments',
  roles: 'settings.tabs.roles',
  workspace: 'settings.tabs.workspace',
  'working-calendar': 'settings.tabs.workingCalendar',
  'overdue-control': 'settings.tabs.overdueControl',
  messaging: 'settings.tabs.messaging',
  'automation-log': 'settings.tabs.automationLog',
};

export default function SettingsPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const location = useLocation();
  const navigate = useNavigate();
  const current = TABS.find((tab) => location.pathname.startsWith(`/settings/${tab.path}`))?.path ?? null;

  if (!isAdmin) {
    return (
      <>
        <PageHeader title={t('settings.title')} />
        <Empty title={t('errors.forbidden')} description={t('settings.adminsOnly')} />
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('settings.title')} />
      <Tabs value={current} onChange={(v) => v && navigate(`/settings/${v}`)} mb="md" keepMounted={false}>
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab.path} value={tab.path} style={{ whiteSpace: 'nowrap' }}>
              {t(TAB_KEYS[tab.path])}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route index element={<Navigate to="pipelines" replace />} />
          {TABS.map((tab) => (
            <Route key={tab.path} path={`${tab.path}/*`} element={tab.element} />
          ))}
          <Route path="*" element={<Navigate to="/settings/pipelines" replace />} />
        </Routes>
      </Suspense>
    </>
  );
}
