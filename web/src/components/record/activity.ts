import type { QueryClient } from '@tanstack/react-query';
import type { Permissions } from '../../api/types';
import { invalidateAfterActivity, type RecordEntity } from './keys';

// An activity (дело) as the API gives it, and what the cards and My day both need to know about
// one: where its record lives, who may change it, what to refresh after a change. Pure but for
// the query invalidation at the end.

export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type OwnerType = 'deal' | 'lead' | 'contact' | 'company';

export interface Activity {
  id: number;
  type: ActivityType;
  subject: string;
  description: string | null;
  startAt: string | null;
  deadlineAt: string | null;
  responsibleId: number;
  entityType: OwnerType | null;
  entityId: number | null;
  status: 'planned' | 'done' | 'cancelled';
  result: string | null;
  completedAt?: string | null;
  /** planned and its deadline has passed (as of the answer) */
  overdue: boolean;
  version: number;
}

/** The URL segment of an owner type: deal → deals. */
export const OWNER_SEGMENT: Record<OwnerType, RecordEntity> = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' };

/** The link to the record an activity belongs to. */
export function ownerHref(type: OwnerType, id: number): string {
  return `/${OWNER_SEGMENT[type]}/${id}`;
}

/** The department and all departments under it. */
export function subtreeIds(departments: Array<{ id: number; parentId: number | null }>, rootId: number): number[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) for (const d of departments) if (d.parentId === out[i] && !out.includes(d.id)) out.push(d.id);
  return out;
}

export interface Directory {
  /** the users with their departments (the look-up directory) */
  users?: Array<{ id: number; departmentId: number | null }>;
  departments?: Array<{ id: number; parentId: number | null }>;
}

/**
 * Whether the user may change (edit, reschedule, complete, cancel) an activity of `responsibleId`:
 * the client twin of the server's `mayActOn(actor, 'activity', 'update', …)`. Department levels
 * need the directory; until it is loaded the answer is "no" (the controls appear a moment later).
 */
export function mayUpdateActivity(p: Permissions, me: { id: number; departmentId: number | null }, responsibleId: number, dir: Directory = {}): boolean {
  const level = p.entities.activity?.update ?? 'none';
  if (level === 'all') return true;
  if (level === 'none' || !['own', 'department', 'department_tree'].includes(level)) return false;
  if (responsibleId === me.id) return true;
  if (level === 'own' || me.departmentId == null) return false;
  const dep = dir.users?.find((u) => u.id === responsibleId)?.departmentId;
  if (dep == null) return false;
  if (level === 'department') return dep === me.departmentId;
  return !!dir.departments && subtreeIds(dir.departments, me.departmentId).includes(dep);
}

/** After a change to an activity: its record (next step, history), every activity list, My day. */
export function invalidateForActivity(qc: QueryClient, a: Pick<Activity, 'entityType' | 'entityId'>): void {
  if (a.entityType && a.entityId) {
    invalidateAfterActivity(qc, OWNER_SEGMENT[a.entityType], a.entityId);
    return;
  }
  void qc.invalidateQueries({ queryKey: ['activities'] });
  void qc.invalidateQueries({ queryKey: ['deals', 'myDay'] });
}
