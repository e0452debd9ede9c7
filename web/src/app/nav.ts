import type { IconName } from '../components/icons';

/** The side navigation. `adminOnly` items are hidden from other users (the route checks too). */
export interface NavItem {
  to: string;
  labelKey: string;
  icon: IconName;
  adminOnly?: boolean;
  /** shown only while the workspace works with leads (CRM mode "with leads") */
  leadsOnly?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/deals', labelKey: 'nav.deals', icon: 'board' },
  { to: '/leads', labelKey: 'nav.leads', icon: 'leads', leadsOnly: true },
  { to: '/contacts', labelKey: 'nav.contacts', icon: 'contacts' },
  { to: '/companies', labelKey: 'nav.companies', icon: 'companies' },
  { to: '/my-day', labelKey: 'nav.myDay', icon: 'myDay' },
  { to: '/settings', labelKey: 'nav.settings', icon: 'settings', adminOnly: true },
];

/**
 * The items this user sees. Leads go only when the workspace is known to work without them
 * (`leadsEnabled === false`), so a slow or failed workspace read hides nothing.
 */
export function visibleNavItems(items: NavItem[], { isAdmin, leadsEnabled }: { isAdmin: boolean; leadsEnabled: boolean | undefined }): NavItem[] {
  return items.filter((item) => (!item.adminOnly || isAdmin) && (!item.leadsOnly || leadsEnabled !== false));
}
