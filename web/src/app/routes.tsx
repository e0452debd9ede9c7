import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from '../auth/LoginPage';
import { RequireAdmin, RequireAuth } from '../auth/RequireAuth';
import { Layout } from './Layout';
import { RequireLeads } from './RequireLeads';

// Every screen is its own chunk (React.lazy), so the first load carries only the shell and the
// log-in page. A screen lives in web/src/pages/<area>/index.tsx and default-exports its component;
// areas with several screens (leads, contacts, …) get `/<area>/*` and declare their own <Routes>.
const loadBoard = () => import('../pages/board');
const BoardPage = lazy(loadBoard);
// The board is the start page: when the app opens on it, its chunk loads beside the shell's
// start-up instead of after it (one round trip less before the first cards).
if (typeof location !== 'undefined' && /^\/(deals\/?)?$/.test(location.pathname)) void loadBoard().catch(() => undefined);
const DealCardPage = lazy(() => import('../pages/deal-card'));
const LeadsPage = lazy(() => import('../pages/leads'));
const ContactsPage = lazy(() => import('../pages/contacts'));
const CompaniesPage = lazy(() => import('../pages/companies'));
const MyDayPage = lazy(() => import('../pages/my-day'));
const SettingsPage = lazy(() => import('../pages/settings'));
const NotFoundPage = lazy(() => import('../pages/not-found'));

const admin = (page: ReactNode) => <RequireAdmin>{page}</RequireAdmin>;

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
        <Route path="/deals/:id" element={<DealCardPage />} />
        <Route path="/leads/*" element={<RequireLeads><LeadsPage /></RequireLeads>} />
        <Route path="/contacts/*" element={<ContactsPage />} />
        <Route path="/companies/*" element={<CompaniesPage />} />
        <Route path="/my-day" element={<MyDayPage />} />
        <Route path="/settings/*" element={admin(<SettingsPage />)} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
