import { lazyPage } from './lazy-page';

// Every screen is its own chunk, so the first load carries only the shell and the log-in page. A
// screen lives in web/src/pages/<area>/index.tsx and default-exports its component; areas with
// several screens (leads, contacts, …) get `/<area>/*` in routes.tsx and declare their own <Routes>.
// A screen may preload another that users go to next (the board preloads the deal card).
export const BoardPage = lazyPage(() => import('../pages/board'));
export const DealCardPage = lazyPage(() => import('../pages/deal-card'));
export const NewDealPage = lazyPage(() => import('../pages/deal-new'));
export const LeadsPage = lazyPage(() => import('../pages/leads'));
export const ContactsPage = lazyPage(() => import('../pages/contacts'));
export const CompaniesPage = lazyPage(() => import('../pages/companies'));
export const MyDayPage = lazyPage(() => import('../pages/my-day'));
export const RecycleBinPage = lazyPage(() => import('../pages/recycle-bin'));
export const SettingsPage = lazyPage(() => import('../pages/settings'));
export const RobotsPage = lazyPage(() => import('../pages/automation'));
export const AutomationLogPage = lazyPage(() => import('../pages/automation/log-page'));
export const NotFoundPage = lazyPage(() => import('../pages/not-found'));
