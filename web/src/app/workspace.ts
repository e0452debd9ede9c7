import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

// The workspace's settings as every screen sees them (one query, ['workspace']): the shell shows its
// name and follows its CRM mode, screens take the default currency, settings edit it all.

export type CrmMode = 'with_leads' | 'without_leads';

export interface Workspace {
  id: number;
  name: string;
  /** with_leads: requests are qualified as leads first; without_leads: the team works with deals only */
  crmMode: CrmMode;
  currency: string;
  timeZone: string;
  locale: string;
  version: number;
}

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>('/workspace'), staleTime: 5 * 60_000 });
}

/** Whether the workspace works with leads; undefined while not known yet (or when it could not be read). */
export function useLeadsEnabled(): boolean | undefined {
  const mode = useWorkspace().data?.crmMode;
  return mode === undefined ? undefined : leadsEnabled(mode);
}

export const leadsEnabled = (mode: CrmMode): boolean => mode !== 'without_leads';
