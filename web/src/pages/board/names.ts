import { useQuery } from '@tanstack/react-query';
import { batchById } from '../../api/batch-by-id';

// Names of a card's company and contact. The cards on screen ask together (the columns are
// virtualised, so only those), and the asks of one render go as one request per resource
// (GET /companies?ids=…); each name is then cached for everyone under ['companies', id, 'name'].

const STALE = 10 * 60_000;
const companyById = batchById<{ id: number; name: string }>('/companies');
const contactById = batchById<{ id: number; fullName: string }>('/contacts');

export function useCompanyName(id: number | null): string | undefined {
  return useQuery({
    queryKey: ['companies', id, 'name'],
    queryFn: async () => (await companyById(id!))?.name ?? null,
    enabled: id !== null,
    staleTime: STALE,
    retry: 1,
  }).data ?? undefined;
}

export function useContactName(id: number | null): string | undefined {
  return useQuery({
    queryKey: ['contacts', id, 'name'],
    queryFn: async () => (await contactById(id!))?.fullName ?? null,
    enabled: id !== null,
    staleTime: STALE,
    retry: 1,
  }).data ?? undefined;
}
