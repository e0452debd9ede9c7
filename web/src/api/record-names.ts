import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from './client';
import { batchById } from './batch-by-id';

// The name of a record by id — a company's name, a contact's full name, a deal's or lead's title —
// cached for everyone under [entity, id, 'name'] (so invalidating [entity, id] after a change or a
// merge refreshes it). Companies and contacts are asked for in batches (GET /companies?ids=…);
// deals and leads one by one (their lists take no `ids`). A record the user may not read, or that
// is gone, has the name null.

export type NamedEntity = 'deals' | 'leads' | 'contacts' | 'companies';

const STALE = 10 * 60_000;
const companyById = batchById<{ id: number; name: string }>('/companies');
const contactById = batchById<{ id: number; fullName: string }>('/contacts');

async function one(entity: 'deals' | 'leads', id: number): Promise<string | null> {
  try {
    return (await api.get<{ title: string }>(`/${entity}/${id}`)).title;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

const FETCH: Record<NamedEntity, (id: number) => Promise<string | null>> = {
  companies: async (id) => (await companyById(id))?.name ?? null,
  contacts: async (id) => (await contactById(id))?.fullName ?? null,
  deals: (id) => one('deals', id),
  leads: (id) => one('leads', id),
};

export const recordNameQuery = (entity: NamedEntity, id: number) => ({
  queryKey: [entity, id, 'name'] as const,
  queryFn: () => FETCH[entity](id),
  staleTime: STALE,
  retry: 1,
});

/** The record's name; undefined while loading, null when hidden or gone. */
export function useRecordName(entity: NamedEntity, id: number | null): string | null | undefined {
  return useQuery({ ...recordNameQuery(entity, id ?? 0), enabled: id !== null }).data;
}

export function prefetchRecordName(qc: QueryClient, entity: NamedEntity, id: number): void {
  void qc.prefetchQuery(recordNameQuery(entity, id));
}
