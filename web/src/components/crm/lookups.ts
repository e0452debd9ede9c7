import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page, User } from '../../api/types';

// Shared look-ups of the CRM record screens (leads, contacts, companies): the user directory,
// reference lists and pipelines, each cached for a few minutes, plus the record shapes.

export interface Communication {
  value: string;
  type: string;
  normalized?: string;
}

export interface Duplicate {
  entity: 'contact' | 'company' | 'lead';
  id: number;
  matchedBy: 'phone' | 'email' | 'name';
}

export interface RefItem {
  id: number;
  name: string;
  semantic: string | null;
  sort: number;
  active: boolean;
}

export type RefKind = 'sources' | 'loss-reasons' | 'contact-types' | 'company-types' | 'industries' | 'lead-statuses';

export interface Stage {
  id: number;
  pipelineId: number;
  name: string;
  color: string | null;
  semantic: string;
}
export interface Pipeline {
  id: number;
  name: string;
  isDefault: boolean;
  stages: Stage[];
}

export interface DealSummary {
  id: number;
  title: string;
  pipelineId: number;
  stageId: number;
  stageSemantic: string;
  amount: number;
  currency: string;
  responsibleId: number;
  closed: boolean;
  createdAt: string;
}

const STALE = 5 * 60_000;

export function useUsers() {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 500 }, { signal }),
    staleTime: STALE,
    select: (p) => p.items,
  });
}

export function useRefList(kind: RefKind, includeInactive = false) {
  return useQuery({
    queryKey: ['reference-lists', kind, includeInactive],
    queryFn: ({ signal }) => api.get<Page<RefItem>>(`/reference-lists/${kind}/items`, includeInactive ? { includeInactive: true } : {}, { signal }),
    staleTime: STALE,
    select: (p) => p.items,
  });
}

export function usePipelines() {
  return useQuery({
    queryKey: ['pipelines', 'list'],
    queryFn: ({ signal }) => api.get<Page<Pipeline>>('/pipelines', undefined, { signal }),
    staleTime: STALE,
    select: (p) => p.items,
  });
}

/** Options for a Mantine Select: active items, plus the current (possibly deactivated) value. */
export function refOptions(items: RefItem[] | undefined, current?: number | null): Array<{ value: string; label: string }> {
  return (items ?? []).filter((i) => i.active || i.id === current).map((i) => ({ value: String(i.id), label: i.name }));
}

export function userOptions(users: User[] | undefined, current?: number | null): Array<{ value: string; label: string }> {
  return (users ?? []).filter((u) => u.active || u.id === current).map((u) => ({ value: String(u.id), label: u.name || u.email }));
}

export const nameOf = <T extends { id: number; name: string }>(items: T[] | undefined, id: number | null | undefined): string | null =>
  id == null ? null : (items?.find((i) => i.id === id)?.name ?? null);

/** "Фамилия Имя Отчество" as the server builds it. */
export function personName(p: { firstName?: string | null; lastName?: string | null; middleName?: string | null }): string {
  return [p.lastName, p.firstName, p.middleName].filter((s) => s && s.trim()).join(' ');
}

/** '' → null, 'x ' → 'x' for optional text fields sent to the API. */
export const textOrNull = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);
export const idOrNull = (s: string | null | undefined): number | null => (s ? Number(s) : null);
