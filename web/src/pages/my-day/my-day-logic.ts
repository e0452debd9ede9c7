// Pure logic of "My day": the time ranges of the groups, who counts as a head of sales, which
// users make up a department (with its sub-departments) and grouping of the lists by manager.

import type { Department as FullDepartment } from '../../api/lookups';
import type { Page, Permissions } from '../../api/types';
import { subtreeIds, type Activity } from '../../components/record/activity';
import { safeTimeZone, wallClock, wallToInstant } from '../../../../src/shared/time-zone';

export type { Activity, OwnerType } from '../../components/record/activity';
export { ownerHref, subtreeIds } from '../../components/record/activity';

export interface DealItem {
  id: number;
  title: string;
  amount: number;
  currency: string;
  responsibleId: number;
  stageId: number;
  pipelineId: number;
  companyId: number | null;
  stageChangedAt: string;
  updatedAt: string;
}

/** The part of a department (src/api/lookups.ts) the team views need. */
export type Department = Pick<FullDepartment, 'id' | 'name' | 'parentId' | 'headId'>;

/** 00:00 of the calendar day `days` after the one holding `now`, in the zone, as a UTC instant (DST-safe). */
export function startOfDay(now: Date, timeZone: string | undefined, days = 0): Date {
  const tz = safeTimeZone(timeZone);
  const w = wallClock(now.getTime(), tz);
  return new Date(wallToInstant(Date.UTC(w.year, w.month - 1, w.day + days), tz));
}

/** Upcoming = after today, through the next 7 days (the day the user is in is the "today" group). */
export function upcomingRange(now: Date, timeZone: string | undefined, days = 7): { from: string; to: string } {
  return { from: startOfDay(now, timeZone, 1).toISOString(), to: new Date(startOfDay(now, timeZone, days + 1).getTime() - 1).toISOString() };
}

const TEAM_LEVELS = new Set(['department', 'department_tree', 'all']);

/** A head of sales (reads the department's deals) or an administrator sees the team view. */
export function canSeeTeam(p: Permissions | undefined): boolean {
  if (!p) return false;
  if (p.isAdmin) return true;
  return TEAM_LEVELS.has(p.entities.deal?.read ?? 'none');
}

/**
 * The departments a user's team view covers by default: their own one (with sub-departments
 * for `department_tree`), every department for `all`/admins. null = no restriction.
 */
export function defaultTeamDepartments(p: Permissions, departmentId: number | null, departments: Department[]): number[] | null {
  const level = p.entities.deal?.read ?? 'none';
  if (p.isAdmin || level === 'all') return null;
  if (departmentId == null) return [];
  return level === 'department_tree' ? subtreeIds(departments, departmentId) : [departmentId];
}

export interface Counters {
  overdue: number;
  today: number;
  noNextStep: number;
}

export interface ManagerGroup<U> {
  user: U;
  overdue: Activity[];
  today: Activity[];
  upcoming: Activity[];
  noNextStep: DealItem[];
  counters: Counters;
}

/**
 * Groups the team's lists by responsible: every member gets a group (even with nothing to do),
 * records of someone outside the list get one too. Order: most overdue first, then by name.
 */
export function groupByManager<U extends { id: number; name: string }>(
  members: U[],
  lists: { overdue: Activity[]; today: Activity[]; upcoming: Activity[]; noNextStep: DealItem[] },
  unknownUser: (id: number) => U,
  exactCounts?: Map<number, Partial<Counters>>,
): Array<ManagerGroup<U>> {
  const groups = new Map<number, ManagerGroup<U>>();
  const groupOf = (id: number): ManagerGroup<U> => {
    let g = groups.get(id);
    if (!g) {
      const user = members.find((m) => m.id === id) ?? unknownUser(id);
      g = { user, overdue: [], today: [], upcoming: [], noNextStep: [], counters: { overdue: 0, today: 0, noNextStep: 0 } };
      groups.set(id, g);
    }
    return g;
  };
  for (const m of members) groupOf(m.id);
  for (const a of lists.overdue) groupOf(a.responsibleId).overdue.push(a);
  for (const a of lists.today) groupOf(a.responsibleId).today.push(a);
  for (const a of lists.upcoming) groupOf(a.responsibleId).upcoming.push(a);
  for (const d of lists.noNextStep) groupOf(d.responsibleId).noNextStep.push(d);
  for (const g of groups.values()) {
    const exact = exactCounts?.get(g.user.id);
    g.counters = {
      overdue: exact?.overdue ?? g.overdue.length,
      today: exact?.today ?? g.today.length,
      noNextStep: exact?.noNextStep ?? g.noNextStep.length,
    };
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.counters.overdue - a.counters.overdue ||
      b.counters.today + b.counters.noNextStep - (a.counters.today + a.counters.noNextStep) ||
      a.user.name.localeCompare(b.user.name),
  );
}

export type DayKind = 'overdue' | 'today' | 'upcoming';
export const DAY_KINDS: DayKind[] = ['overdue', 'today', 'upcoming'];
export type DayPages = Partial<Record<DayKind, Page<Activity>>>;

/** The group of My day an activity belongs in at `now`, as the server's lists pick them; null: none. */
export function dayKindOf(a: Pick<Activity, 'status' | 'deadlineAt'>, now: Date, timeZone: string | undefined): DayKind | null {
  if (a.status !== 'planned' || !a.deadlineAt) return null;
  const at = Date.parse(a.deadlineAt);
  if (at < now.getTime()) return 'overdue';
  if (at < startOfDay(now, timeZone, 1).getTime()) return 'today';
  return at <= Date.parse(upcomingRange(now, timeZone).to) ? 'upcoming' : null;
}

const deadlineMs = (a: Activity) => (a.deadlineAt ? Date.parse(a.deadlineAt) : Infinity);
const byDeadline = (a: Activity, b: Activity) => deadlineMs(a) - deadlineMs(b) || a.id - b.id;

/**
 * One view's lists (one responsible scope) after the server accepted a change of `updated`: it
 * leaves the group it was listed in and, at once, joins the one it belongs in now, in deadline
 * order, the counts following. A list showing only its first page gets it only if it falls inside
 * that page. A scope that did not list it, or a change of responsible, only removes: the reload
 * that follows puts it where that view wants it.
 */
export function placeChanged(pages: DayPages, updated: Activity, before: Activity | null, now: Date, timeZone: string | undefined): DayPages {
  const listedIn = DAY_KINDS.find((k) => pages[k]?.items.some((a) => a.id === updated.id));
  if (!listedIn) return pages;
  const out: DayPages = { ...pages };
  const from = pages[listedIn]!;
  out[listedIn] = { ...from, items: from.items.filter((a) => a.id !== updated.id), total: from.total === undefined ? undefined : Math.max(0, from.total - 1) };
  if (before && before.responsibleId !== updated.responsibleId) return out;
  const kind = dayKindOf(updated, now, timeZone);
  const to = kind ? out[kind] : undefined;
  if (!kind || !to) return out;
  const total = to.total === undefined ? undefined : to.total + 1;
  const more = to.nextCursor !== null || (to.total !== undefined && to.total > to.items.length);
  const last = to.items[to.items.length - 1];
  if (more && (!last || byDeadline(updated, last) > 0)) out[kind] = { ...to, total };
  else out[kind] = { ...to, items: [...to.items, updated].sort(byDeadline), total };
  return out;
}
