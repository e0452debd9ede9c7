import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page, User } from '../../api/types';

// Look-ups the record components (timeline, activities, deal card) need to show names instead of
// ids. The query keys are the same the board and the other cards use, so the cache is shared.

const STALE = 5 * 60_000;

/** URL segment of a record type: `/deals/{id}/timeline`. */
export type RecordEntity = 'deals' | 'leads' | 'contacts' | 'companies';
/** The singular the API uses in bodies and `?entity=`: activities' `entityType`, custom fields. */
export const SINGULAR: Record<RecordEntity, 'deal' | 'lead' | 'contact' | 'company'> = { deals: 'deal', leads: 'lead', contacts: 'contact', companies: 'company' };

export interface RefItem {
  id: number;
  name: string;
  active?: boolean;
  sort?: number;
}

export interface StageLite {
  id: number;
  pipelineId: number;
  name: string;
  color: string;
  semantic: string;
  sort: number;
  requiresLossReason: boolean;
}

export interface PipelineLite {
  id: number;
  name: string;
  isDefault: boolean;
  stages: StageLite[];
}

export type CustomFieldType = 'string' | 'text' | 'number' | 'money' | 'date' | 'datetime' | 'boolean' | 'list' | 'multilist' | 'user' | 'record';

export interface CustomFieldDef {
  id: number;
  entity: 'deal' | 'lead' | 'contact' | 'company';
  code: string;
  name: string;
  type: CustomFieldType;
  required: boolean;
  options: { choices?: Array<{ id: string; label: string }>; recordEntity?: 'deal' | 'lead' | 'contact' | 'company'; maxLength?: number };
  sort: number;
}

export function useUserDirectory() {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 500 }, { signal }),
    staleTime: STALE,
    select: (p) => p.items,
  });
}

export function usePipelineList(enabled = true) {
  return useQuery({
    queryKey: ['pipelines', 'list'],
    queryFn: ({ signal }) => api.get<Page<PipelineLite>>('/pipelines', undefined, { signal }),
    staleTime: STALE,
    enabled,
    select: (p) => p.items,
  });
}

export function useReferenceItems(kind: 'sources' | 'loss-reasons' | 'contact-types' | 'company-types' | 'industries' | 'lead-statuses', enabled = true) {
  return useQuery({
    queryKey: ['reference-lists', kind, false],
    queryFn: ({ signal }) => api.get<Page<RefItem>>(`/reference-lists/${kind}/items`, {}, { signal }),
    staleTime: STALE,
    enabled,
    select: (p) => p.items,
  });
}

export function useCustomFieldDefs(entity: 'deal' | 'lead' | 'contact' | 'company', enabled = true) {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: ({ signal }) => api.get<{ items: CustomFieldDef[] }>('/custom-fields', { entity }, { signal }),
    staleTime: STALE,
    enabled,
    select: (p) => [...p.items].sort((a, b) => a.sort - b.sort || a.id - b.id),
  });
}

/** Select options of the active users, plus the given ids even if deactivated. */
export function userSelectData(users: User[] | undefined, keep: Array<number | null | undefined> = []): Array<{ value: string; label: string }> {
  return (users ?? []).filter((u) => u.active || keep.includes(u.id)).map((u) => ({ value: String(u.id), label: u.name || u.email }));
}

export const userName = (users: User[] | undefined, id: number | null | undefined): string | null =>
  id == null ? null : (users?.find((u) => u.id === id)?.name ?? null);
