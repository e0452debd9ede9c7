import type { ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from '../auth/LoginPage';
import { RequireAdmin, RequireAuth, RequireAutomation } from '../auth/RequireAuth';
import { Layout } from './Layout';
import { AutomationLogPage, BoardPage, CompaniesPage, ContactsPage, DealCardPage, NewDealPage, LeadsPage, MyDayPage, NotFoundPage, RecycleBinPage, RobotsPage, SettingsPage } from './pages';
import { useIsAdmin } from '../auth/session';
import { RequireLeads } from './RequireLeads';

// The board is the start page: when the app opens on it, its chunk loads beside the shell's
// start-up instead of after it (one round trip less before the first cards).
if (typeof location !== 'undefined' && /^\/(deals\/?)?$/.test(location.pathname)) void BoardPage.preload().catch(() => undefined);

const admin = (page: ReactNode) => <RequireAdmin>{page}</RequireAdmin>;

/** Administrators read the log in Settings; a role granted automation.manage reads it here. */
function AutomationLogRoute() {
  if (useIsAdmin()) return <Navigate to="/settings/automation-log" replace />;
  return (
    <RequireAutomation>
      <AutomationLogPage />
    </RequireAutomation>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/deals" replace />} />
        <Route path="/deals" element={<BoardPage />} />
        <Route path="/deals/new" element={<NewDealPage />} />
        <Route path="/deals/:id" element={<DealCardPage />} />
        <Route path="/leads/*" element={<RequireLeads><LeadsPage /></RequireLeads>} />
        <Route path="/contacts/*" element={<ContactsPage />} />
        <Route path="/companies/*" element={<CompaniesPage />} />
        <Route path="/my-day" element={<MyDayPage />} />
        <Route path="/recycle-bin" element={<RecycleBinPage />} />
        <Route path="/settings/*" element={admin(<SettingsPage />)} />
        <Route path="/automation/log" element={<AutomationLogRoute />} />
        <Route path="/automation/robots" element={<RequireAutomation><RobotsPage /></RequireAutomation>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
