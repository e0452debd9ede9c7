import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Page, Schemas, User } from './types';

// Look-ups every screen shares: the user directory, reference lists, pipelines with their stages,
// departments and custom field definitions, with their shapes (see API.md). The query keys are
// the same on every screen, so the board, the cards and the lists share one cache entry each and
// `invalidateQueries({ queryKey: ['pipelines'] })` (settings) refreshes them everywhere.
// The shell's look-ups (users, pipelines; the workspace in app/workspace.ts) take no abort signal:
// a screen that goes away while they load must not cancel what the next screen needs at once
// (a cancelled read is asked again, and the early answer of index.html is lost).

/** How long a look-up stays fresh unless a screen asks otherwise (settings use a minute). */
export const LOOKUP_STALE = 5 * 60_000;

interface LookupOptions {
  enabled?: boolean;
  staleTime?: number;
}

// ---- users ----

/** Active users of the workspace (the directory; also used for names). */
export function useUsers({ enabled = true, staleTime = LOOKUP_STALE }: LookupOptions = {}) {
  return useQuery({
    queryKey: ['users', 'directory'],
    queryFn: () => api.get<Page<User>>('/users', { limit: 500 }),
    staleTime,
    enabled,
    select: (p) => p.items,
  });
}

/** Select options of the active users, plus the given ids even if deactivated. */
export function userOptions(users: User[] | undefined, keep: Array<number | null | undefined> = []): Array<{ value: string; label: string }> {
  return (users ?? []).filter((u) => u.active || keep.includes(u.id)).map((u) => ({ value: String(u.id), label: u.name || u.email }));
}

export type AssignEntity = 'deal' | 'lead' | 'contact' | 'company' | 'activity';
export interface Assignable {
  all: boolean;
  userIds: number[];
}

/**
 * Whom the signed-in user may make responsible for a record (GET /users/assignable): on `create`
 * a new one, on `update` a hand-over; deals per pipeline. The server refuses anyone else.
 */
export function useAssignable(entity: AssignEntity, action: 'create' | 'update', pipelineId?: number | null) {
  return useQuery({
    queryKey: ['users', 'assignable', entity, action, pipelineId ?? null],
    queryFn: ({ signal }) => api.get<Assignable>('/users/assignable', { entity, action, ...(pipelineId ? { pipelineId } : {}) }, { signal }),
    staleTime: LOOKUP_STALE,
  });
}

/** Select options of the users one may assign (`keep`: the current responsible, shown even if not); while unknown, only `keep`. */
export function assignableOptions(users: User[] | undefined, assignable: Assignable | undefined, keep: Array<number | null | undefined> = []): Array<{ value: string; label: string }> {
  const may = (id: number) => keep.includes(id) || (!!assignable && (assignable.all || assignable.userIds.includes(id)));
  return userOptions(users, keep).filter((o) => may(Number(o.value)));
}

export const nameOf = <T extends { id: number; name: string }>(items: T[] | undefined, id: number | null | undefined): string | null =>
  id == null ? null : (items?.find((i) => i.id === id)?.name ?? null);

// ---- reference lists ----

export type RefKind = Schemas['ReferenceItem']['kind'];
export const REF_KINDS: RefKind[] = ['sources', 'loss-reasons', 'lead-statuses', 'contact-types', 'company-types', 'industries'];

export type RefItem = Schemas['ReferenceItem'];

/** Items of a reference list: the active ones, or all with `includeInactive`. */
export function useReferenceList(kind: RefKind, { includeInactive = false, enabled = true, staleTime = LOOKUP_STALE }: LookupOptions & { includeInactive?: boolean } = {}) {
  return useQuery({
    queryKey: ['reference-lists', kind, includeInactive],
    queryFn: ({ signal }) => api.get<Page<RefItem>>(`/reference-lists/${kind}/items`, includeInactive ? { includeInactive: true } : {}, { signal }),
    staleTime,
    enabled,
    select: (p) => p.items,
  });
}

/** Options for a Mantine Select: active items, plus the current (possibly deactivated) value. */
export function refOptions(items: RefItem[] | undefined, current?: number | null): Array<{ value: string; label: string }> {
  return (items ?? []).filter((i) => i.active || i.id === current).map((i) => ({ value: String(i.id), label: i.name }));
}

// ---- pipelines ----

export type StageSemantic = Schemas['Stage']['semantic'];
export type Stage = Schemas['Stage'];
export type Pipeline = Schemas['Pipeline'];

export function usePipelines({ enabled = true, staleTime = LOOKUP_STALE }: LookupOptions = {}) {
  return useQuery({
    queryKey: ['pipelines', 'list'],
    queryFn: () => api.get<Page<Pipeline>>('/pipelines'),
    staleTime,
    enabled,
    select: (p) => p.items,
  });
}

// ---- departments ----

export type Department = Schemas['Department'];

export function useDepartments({ enabled = true, staleTime = LOOKUP_STALE }: LookupOptions = {}) {
  return useQuery({
    queryKey: ['departments', 'list'],
    queryFn: ({ signal }) => api.get<{ items: Department[] }>('/departments', undefined, { signal }),
    select: (r) => r.items,
    staleTime,
    enabled,
  });
}

// ---- custom fields ----

export const FIELD_ENTITIES = ['deal', 'lead', 'contact', 'company'] as const;
export const FIELD_TYPES = ['string', 'text', 'number', 'money', 'date', 'datetime', 'boolean', 'list', 'multilist', 'user', 'record'] as const;
export type FieldEntity = (typeof FIELD_ENTITIES)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type CustomField = Schemas['CustomField'];
export type Choice = NonNullable<CustomField['options']['choices']>[number];

/** The custom fields of one record type, in their display order. */
export function useCustomFieldDefs(entity: FieldEntity, enabled = true) {
  return useQuery({
    queryKey: ['custom-fields', entity],
    queryFn: ({ signal }) => api.get<{ items: CustomField[] }>('/custom-fields', { entity }, { signal }),
    staleTime: LOOKUP_STALE,
    enabled,
    select: (p) => [...p.items].sort((a, b) => a.sort - b.sort || a.id - b.id),
  });
}

/** Every custom field of every record type (settings). */
export function useAllCustomFields({ enabled = true, staleTime = LOOKUP_STALE }: LookupOptions = {}) {
  return useQuery({
    queryKey: ['custom-fields', 'all'],
    queryFn: ({ signal }) => api.get<Page<CustomField>>('/custom-fields', undefined, { signal }),
    select: (p) => p.items,
    staleTime,
    enabled,
  });
}
