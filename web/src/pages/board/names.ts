import { useQuery, type QueryClient } from '@tanstack/react-query';
import { batchById } from '../../api/batch-by-id';

// Names of a card's company and contact, cached for everyone under ['companies', id, 'name'] and
// ['contacts', id, 'name']. When a board page arrives, the names of all its cards are asked for at
// once (prefetchCardNames), so a page costs one request per resource (GET /companies?ids=…)
// however the virtualised columns then mount their cards; a card that mounts later (a name not
// asked for yet) still joins the requests of its own render.

const STALE = 10 * 60_000;
const companyById = batchById<{ id: number; name: string }>('/companies');
const contactById = batchById<{ id: number; fullName: string }>('/contacts');

const companyName = (id: number) => ({
  queryKey: ['companies', id, 'name'],
  queryFn: async () => (await companyById(id))?.name ?? null,
  staleTime: STALE,
  retry: 1,
});

const contactName = (id: number) => ({
  queryKey: ['contacts', id, 'name'],
  queryFn: async () => (await contactById(id))?.fullName ?? null,
  staleTime: STALE,
  retry: 1,
});

export function useCompanyName(id: number | null): string | undefined {
  return useQuery({ ...companyName(id ?? 0), enabled: id !== null }).data ?? undefined;
}

export function useContactName(id: number | null): string | undefined {
  return useQuery({ ...contactName(id ?? 0), enabled: id !== null }).data ?? undefined;
}

/** Starts loading the names the given cards show; the asks of one call go as one request per resource. */
export function prefetchCardNames(qc: QueryClient, deals: ReadonlyArray<{ companyId: number | null; contactId: number | null }>): void {
  for (const d of deals) {
    if (d.companyId !== null) void qc.prefetchQuery(companyName(d.companyId));
    if (d.contactId !== null) void qc.prefetchQuery(contactName(d.contactId));
  }
}
