import type { QueryClient } from '@tanstack/react-query';
import { prefetchRecordName, useRecordName } from '../../api/record-names';

// Names of a card's company and contact (the shared [entity, id, 'name'] cache of api/record-names).
// When a board page arrives, the names of all its cards are asked for at once (prefetchCardNames),
// so a page costs one request per resource (GET /companies?ids=…) however the virtualised columns
// then mount their cards; a card that mounts later (a name not asked for yet) still joins the
// requests of its own render.

export function useCompanyName(id: number | null): string | undefined {
  return useRecordName('companies', id) ?? undefined;
}

export function useContactName(id: number | null): string | undefined {
  return useRecordName('contacts', id) ?? undefined;
}

/** Starts loading the names the given cards show; the asks of one call go as one request per resource. */
export function prefetchCardNames(qc: QueryClient, deals: ReadonlyArray<{ companyId: number | null; contactId: number | null }>): void {
  for (const d of deals) {
    if (d.companyId !== null) prefetchRecordName(qc, 'companies', d.companyId);
    if (d.contactId !== null) prefetchRecordName(qc, 'contacts', d.contactId);
  }
}
