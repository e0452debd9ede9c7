import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client';

// Names of a card's company and contact. The API has no "several records by id" read
// (GET /companies?id=… is a 400), so each distinct record is read once by id and cached for
// everyone (['companies', id] — the same entry the record screens use). Only the cards on
// screen ask (the columns are virtualised), all at once, never one after another.

const STALE = 10 * 60_000;
const noRetryOn4xx = (failures: number, error: unknown) => failures < 1 && !(isApiError(error) && error.status < 500);

export function useCompanyName(id: number | null): string | undefined {
  return useQuery({
    queryKey: ['companies', id],
    queryFn: ({ signal }) => api.get<{ id: number; name: string }>(`/companies/${id}`, undefined, { signal }),
    enabled: id !== null,
    staleTime: STALE,
    retry: noRetryOn4xx,
    select: (c) => c.name,
  }).data;
}

export function useContactName(id: number | null): string | undefined {
  return useQuery({
    queryKey: ['contacts', id],
    queryFn: ({ signal }) => api.get<{ id: number; fullName: string }>(`/contacts/${id}`, undefined, { signal }),
    enabled: id !== null,
    staleTime: STALE,
    retry: noRetryOn4xx,
    select: (c) => c.fullName,
  }).data;
}
