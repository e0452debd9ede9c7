import { describe, expect, it } from 'vitest';
import type { Permissions } from '../../api/types';
import { mayUpdateActivity, ownerHref } from './activity';

// partial permissions, with levels this client may not know: what an older or newer server could send
const perms = (update: string) => ({ isAdmin: false, entities: { activity: { update } }, dealPipelines: {} }) as unknown as Permissions;
const me = { id: 1, departmentId: 10 };
// departments: 10 (mine) > 11 (sub-department); 20 elsewhere
const dir = {
  users: [
    { id: 1, departmentId: 10 },
    { id: 2, departmentId: 10 },
    { id: 3, departmentId: 11 },
    { id: 4, departmentId: 20 },
    { id: 5, departmentId: null },
  ],
  departments: [
    { id: 10, parentId: null },
    { id: 11, parentId: 10 },
    { id: 20, parentId: null },
  ],
};

describe('who may change an activity', () => {
  it('follows the activity update level like the server', () => {
    expect(mayUpdateActivity(perms('all'), me, 4)).toBe(true);
    expect(mayUpdateActivity(perms('none'), me, 1, dir)).toBe(false);
    expect([1, 2].map((id) => mayUpdateActivity(perms('own'), me, id, dir))).toEqual([true, false]);
    expect([1, 2, 3, 4, 5].map((id) => mayUpdateActivity(perms('department'), me, id, dir))).toEqual([true, true, false, false, false]);
    expect([1, 2, 3, 4, 5].map((id) => mayUpdateActivity(perms('department_tree'), me, id, dir))).toEqual([true, true, true, false, false]);
  });

  it('says no until the directory it needs is loaded, and without a department', () => {
    expect(mayUpdateActivity(perms('department'), me, 2)).toBe(false);
    expect(mayUpdateActivity(perms('department_tree'), me, 3, { users: dir.users })).toBe(false);
    expect(mayUpdateActivity(perms('department'), { id: 1, departmentId: null }, 2, dir)).toBe(false);
    expect(mayUpdateActivity(perms('department'), { id: 1, departmentId: null }, 1, dir)).toBe(true);
  });

  it('an administrator role without activity rights is refused too (the server checks levels)', () => {
    expect(mayUpdateActivity({ isAdmin: true, entities: {}, dealPipelines: {} } as unknown as Permissions, me, 1)).toBe(false);
    expect(mayUpdateActivity(perms('something_new'), me, 1)).toBe(false);
  });

  it('links the owner record', () => {
    expect(ownerHref('company', 5)).toBe('/companies/5');
    expect(ownerHref('deal', 7)).toBe('/deals/7');
  });
});
