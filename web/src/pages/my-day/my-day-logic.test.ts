import { describe, expect, it } from 'vitest';
import type { Permissions } from '../../api/types';
import { canSeeTeam, dayKindOf, defaultTeamDepartments, groupByManager, ownerHref, placeChanged, startOfDay, subtreeIds, upcomingRange, type Activity, type DayPages, type DealItem } from './my-day-logic';

const perms = (read: string, isAdmin = false) => ({ isAdmin, entities: { deal: { read } }, dealPipelines: {} }) as unknown as Permissions;
const act = (id: number, responsibleId: number): Activity => ({
  id,
  type: 'call',
  subject: `a${id}`,
  description: null,
  startAt: null,
  deadlineAt: '2026-11-28T09:00:00.000Z',
  responsibleId,
  entityType: 'deal',
  entityId: 1,
  status: 'planned',
  result: null,
  overdue: true,
  version: 1,
});
const deal = (id: number, responsibleId: number) => ({ id, responsibleId }) as DealItem;

describe('my day time ranges', () => {
  it('finds midnight in the user time zone', () => {
    const now = new Date('2026-11-28T22:30:00.000Z'); // 01:30 on the 29th in Moscow
    expect(startOfDay(now, 'Europe/Moscow').toISOString()).toBe('2026-11-28T21:00:00.000Z');
    expect(startOfDay(now, 'UTC').toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(startOfDay(now, 'Europe/Moscow', 1).toISOString()).toBe('2026-11-29T21:00:00.000Z');
  });

  it('handles a DST change and an unknown zone', () => {
    // Berlin goes to summer time on 2026-03-29: that day has 23 hours
    const now = new Date('2026-03-29T12:00:00.000Z');
    expect(startOfDay(now, 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay(now, 'Europe/Berlin', 1).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay(now, 'Nowhere/Else').toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });

  it('upcoming starts tomorrow and covers 7 days', () => {
    const r = upcomingRange(new Date('2026-11-28T10:00:00.000Z'), 'Europe/Moscow');
    expect(r).toEqual({ from: '2026-11-28T21:00:00.000Z', to: '2026-12-05T20:59:59.999Z' });
  });
});

describe('team view', () => {
  it('is for department heads and administrators', () => {
    expect(canSeeTeam(perms('own'))).toBe(false);
    expect(canSeeTeam(perms('department'))).toBe(true);
    expect(canSeeTeam(perms('department_tree'))).toBe(true);
    expect(canSeeTeam(perms('none', true))).toBe(true);
    expect(canSeeTeam(undefined)).toBe(false);
  });

  const deps = [
    { id: 1, name: 'Продажи', parentId: null, headId: null },
    { id: 2, name: 'Москва', parentId: 1, headId: null },
    { id: 3, name: 'Казань', parentId: 2, headId: null },
    { id: 4, name: 'Маркетинг', parentId: null, headId: null },
  ];
  it('covers the department tree by the read level', () => {
    expect(subtreeIds(deps, 1)).toEqual([1, 2, 3]);
    expect(defaultTeamDepartments(perms('department_tree'), 2, deps)).toEqual([2, 3]);
    expect(defaultTeamDepartments(perms('department'), 2, deps)).toEqual([2]);
    expect(defaultTeamDepartments(perms('all'), 2, deps)).toBeNull();
    expect(defaultTeamDepartments(perms('department'), null, deps)).toEqual([]);
  });

  it('groups by manager with counters, the most overdue first', () => {
    const members = [
      { id: 1, name: 'Борис' },
      { id: 2, name: 'Анна' },
      { id: 3, name: 'Вера' },
    ];
    const groups = groupByManager(
      members,
      { overdue: [act(1, 2), act(2, 2), act(3, 1)], today: [act(4, 1)], upcoming: [], noNextStep: [deal(5, 9)] },
      (id) => ({ id, name: `#${id}` }),
      new Map([[1, { today: 12 }]]),
    );
    expect(groups.map((g) => g.user.name)).toEqual(['Анна', 'Борис', '#9', 'Вера']);
    expect(groups[0]!.counters).toEqual({ overdue: 2, today: 0, noNextStep: 0 });
    expect(groups[1]!.counters).toEqual({ overdue: 1, today: 12, noNextStep: 0 });
    expect(groups[2]!.noNextStep.map((d) => d.id)).toEqual([5]);
  });

  it('links owners', () => {
    expect(ownerHref('deal', 5)).toBe('/deals/5');
    expect(ownerHref('company', 5)).toBe('/companies/5');
    expect(ownerHref('contact', 5)).toBe('/contacts/5');
    expect(ownerHref('lead', 5)).toBe('/leads/5');
  });
});

describe('moving a changed activity between the groups at once', () => {
  const now = new Date('2026-11-28T09:00:00.000Z'); // 12:00 in Moscow
  const TZ = 'Europe/Moscow';
  const at = (id: number, deadlineAt: string | null, extra: Partial<Activity> = {}): Activity => ({ ...act(id, 1), deadlineAt, overdue: !!deadlineAt && deadlineAt < now.toISOString(), ...extra });
  const page = (items: Activity[], total = items.length) => ({ items, nextCursor: null, total });

  it('knows the group of a deadline in the user zone', () => {
    expect(dayKindOf(at(1, '2026-11-28T08:59:00.000Z'), now, TZ)).toBe('overdue');
    expect(dayKindOf(at(1, '2026-11-28T20:59:00.000Z'), now, TZ)).toBe('today'); // 23:59 Moscow
    expect(dayKindOf(at(1, '2026-11-28T21:00:00.000Z'), now, TZ)).toBe('upcoming'); // 00:00 on the 29th
    expect(dayKindOf(at(1, '2026-12-05T20:59:00.000Z'), now, TZ)).toBe('upcoming');
    expect(dayKindOf(at(1, '2026-12-05T21:00:00.000Z'), now, TZ)).toBeNull();
    expect(dayKindOf(at(1, null), now, TZ)).toBeNull();
    expect(dayKindOf(at(1, '2026-11-28T08:00:00.000Z', { status: 'done' }), now, TZ)).toBeNull();
  });

  it('an overdue activity moved to tomorrow leaves "overdue" and joins "next 7 days" in order', () => {
    const overdue = at(1, '2026-11-27T12:00:00.000Z');
    const pages: DayPages = {
      overdue: page([overdue, at(2, '2026-11-28T06:00:00.000Z')]),
      today: page([at(3, '2026-11-28T15:00:00.000Z')]),
      upcoming: page([at(4, '2026-11-29T06:00:00.000Z'), at(5, '2026-11-30T06:00:00.000Z')]),
    };
    const moved = { ...overdue, deadlineAt: '2026-11-29T12:00:00.000Z', overdue: false, version: 2 };
    const out = placeChanged(pages, moved, overdue, now, TZ);
    expect(out.overdue!.items.map((a) => a.id)).toEqual([2]);
    expect(out.overdue!.total).toBe(1);
    expect(out.upcoming!.items.map((a) => a.id)).toEqual([4, 1, 5]);
    expect(out.upcoming!.total).toBe(3);
    expect(out.upcoming!.items[1]!.version).toBe(2);
    expect(out.today).toBe(pages.today);
  });

  it('moved beyond the week or done: it only leaves', () => {
    const a = at(1, '2026-11-28T15:00:00.000Z');
    const pages: DayPages = { overdue: page([]), today: page([a]), upcoming: page([]) };
    expect(placeChanged(pages, { ...a, deadlineAt: '2026-12-20T09:00:00.000Z' }, a, now, TZ)).toMatchObject({ today: { items: [], total: 0 }, upcoming: { items: [], total: 0 } });
    expect(placeChanged(pages, { ...a, status: 'done' }, a, now, TZ).today!.items).toEqual([]);
  });

  it('a list showing only its first page counts it but shows it only inside that page', () => {
    const a = at(1, '2026-11-28T15:00:00.000Z');
    const pages: DayPages = { today: page([a]), upcoming: page([at(4, '2026-11-29T06:00:00.000Z')], 30) };
    const out = placeChanged(pages, { ...a, deadlineAt: '2026-12-03T09:00:00.000Z' }, a, now, TZ);
    expect(out.upcoming!.items.map((x) => x.id)).toEqual([4]);
    expect(out.upcoming!.total).toBe(31);
    const early = placeChanged(pages, { ...a, deadlineAt: '2026-11-28T22:00:00.000Z' }, a, now, TZ);
    expect(early.upcoming!.items.map((x) => x.id)).toEqual([1, 4]);
  });

  it('a view that did not list it, or a new responsible, is left to the reload', () => {
    const a = at(1, '2026-11-27T12:00:00.000Z');
    const other: DayPages = { overdue: page([at(2, '2026-11-27T10:00:00.000Z')]) };
    expect(placeChanged(other, { ...a, deadlineAt: '2026-11-29T12:00:00.000Z' }, a, now, TZ)).toBe(other);
    const mine: DayPages = { overdue: page([a]), upcoming: page([]) };
    const handed = placeChanged(mine, { ...a, deadlineAt: '2026-11-29T12:00:00.000Z', responsibleId: 9 }, a, now, TZ);
    expect(handed.overdue!.items).toEqual([]);
    expect(handed.upcoming!.items).toEqual([]);
  });
});
