import type { Permissions } from '../api/types';
import type { IconName } from '../components/icons';

/** The side navigation. `adminOnly` items are hidden from other users (the route checks too). */
export interface NavItem {
  to: string;
  labelKey: string;
  icon: IconName;
  adminOnly?: boolean;
  /** shown only while the workspace works with leads (CRM mode "with leads") */
  leadsOnly?: boolean;
  /** shown only to those who manage automation (administrators, roles granted automation.manage) */
  automation?: boolean;
  /** shown only to those who may delete some kind of record (what they deleted is theirs to restore) */
  deleters?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/deals', labelKey: 'nav.deals', icon: 'board' },
  { to: '/leads', labelKey: 'nav.leads', icon: 'leads', leadsOnly: true },
  { to: '/contacts', labelKey: 'nav.contacts', icon: 'contacts' },
  { to: '/companies', labelKey: 'nav.companies', icon: 'companies' },
  { to: '/my-day', labelKey: 'nav.myDay', icon: 'myDay' },
  { to: '/recycle-bin', labelKey: 'nav.recycleBin', icon: 'trash', deleters: true },
  { to: '/automation/robots', labelKey: 'nav.robots', icon: 'robot', automation: true },
  { to: '/settings', labelKey: 'nav.settings', icon: 'settings', adminOnly: true },
];

/**
 * The items this user sees. Leads go only when the workspace is known to work without them
 * (`leadsEnabled === false`), so a slow or failed workspace read hides nothing.
 */
export function visibleNavItems(
  items: NavItem[],
  { isAdmin, leadsEnabled, mayDelete = isAdmin, mayManageAutomation = isAdmin }: { isAdmin: boolean; leadsEnabled: boolean | undefined; mayDelete?: boolean; mayManageAutomation?: boolean },
): NavItem[] {
  return items.filter(
    (item) => (!item.adminOnly || isAdmin) && (!item.leadsOnly || leadsEnabled !== false) && (!item.deleters || mayDelete) && (!item.automation || mayManageAutomation),
  );
}

const BIN_ENTITIES = ['deal', 'lead', 'contact', 'company'] as const;

/** May the user delete (and so find in the recycle bin) some deal, lead, contact or company? */
export function mayUseRecycleBin(p: Permissions | undefined): boolean {
  if (!p) return false;
  if (p.isAdmin) return true;
  if (BIN_ENTITIES.some((e) => (p.entities[e]?.delete ?? 'none') !== 'none')) return true;
  // a role may grant deals per pipeline
  return Object.values(p.dealPipelines).some((levels) => {
    const d = (levels as Record<string, unknown> | null)?.delete;
    return typeof d === 'string' && d !== 'none';
  });
}
