import type { IconName } from '../components/icons';

/** The side navigation. `adminOnly` items are hidden from other users (the route checks too). */
export interface NavItem {
  to: string;
  labelKey: string;
  icon: IconName;
  adminOnly?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/deals', labelKey: 'nav.deals', icon: 'board' },
  { to: '/leads', labelKey: 'nav.leads', icon: 'leads' },
  { to: '/contacts', labelKey: 'nav.contacts', icon: 'contacts' },
  { to: '/companies', labelKey: 'nav.companies', icon: 'companies' },
  { to: '/my-day', labelKey: 'nav.myDay', icon: 'myDay' },
  { to: '/settings', labelKey: 'nav.settings', icon: 'settings', adminOnly: true },
];
