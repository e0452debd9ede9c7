import { describe, expect, it } from 'vitest';
import { NAV_ITEMS, mayUseRecycleBin, visibleNavItems } from './nav';
import { searchGroups } from './search-groups';

// The CRM mode "without leads" as the shell follows it: the navigation and the global search.

const paths = (isAdmin: boolean, leadsEnabled: boolean | undefined) => visibleNavItems(NAV_ITEMS, { isAdmin, leadsEnabled }).map((i) => i.to);

describe('visibleNavItems', () => {
  it('shows everything to an administrator of a workspace with leads', () => {
    expect(paths(true, true)).toEqual(['/deals', '/leads', '/contacts', '/companies', '/my-day', '/recycle-bin', '/automation/robots', '/settings']);
  });

  it('hides settings from other users', () => {
    expect(paths(false, true)).toEqual(['/deals', '/leads', '/contacts', '/companies', '/my-day']);
  });

  it('hides leads in the mode without leads, for everyone', () => {
    expect(paths(true, false)).toEqual(['/deals', '/contacts', '/companies', '/my-day', '/recycle-bin', '/automation/robots', '/settings']);
    expect(paths(false, false)).toEqual(['/deals', '/contacts', '/companies', '/my-day']);
  });

  it('shows the robots to those who manage automation', () => {
    expect(visibleNavItems(NAV_ITEMS, { isAdmin: false, leadsEnabled: true, mayManageAutomation: true }).map((i) => i.to)).toContain('/automation/robots');
    expect(visibleNavItems(NAV_ITEMS, { isAdmin: false, leadsEnabled: true }).map((i) => i.to)).not.toContain('/automation/robots');
  });

  it('shows the recycle bin to those who may delete some record', () => {
    expect(visibleNavItems(NAV_ITEMS, { isAdmin: false, leadsEnabled: true, mayDelete: true }).map((i) => i.to)).toContain('/recycle-bin');
    const perms = (entities: Record<string, Record<string, string>>, dealPipelines: Record<string, unknown> = {}) => ({ isAdmin: false, entities, dealPipelines }) as never;
    expect(mayUseRecycleBin(perms({ deal: { read: 'all', delete: 'none' }, contact: { delete: 'none' } }))).toBe(false);
    expect(mayUseRecycleBin(perms({ contact: { delete: 'own' } }))).toBe(true);
    expect(mayUseRecycleBin(perms({ deal: { delete: 'none' } }, { '3': { read: 'all', delete: 'department' } }))).toBe(true);
    expect(mayUseRecycleBin(undefined)).toBe(false);
  });

  it('keeps leads while the mode is not known yet', () => {
    expect(paths(false, undefined)).toContain('/leads');
  });
});

describe('searchGroups', () => {
  it('searches leads only while the workspace works with them', () => {
    expect(searchGroups(true)).toEqual(['deals', 'leads', 'contacts', 'companies']);
    expect(searchGroups(undefined)).toEqual(['deals', 'leads', 'contacts', 'companies']);
    expect(searchGroups(false)).toEqual(['deals', 'contacts', 'companies']);
  });
});
