import { createContext, useContext } from 'react';
import type { Deal, DealPatch } from './types';

export interface DealContextValue {
  deal: Deal;
  canEdit: boolean;
  /**
   * PATCHes the deal with the version of `base` (the deal as the user saw it when they started
   * editing). Resolves true when saved, false when the user chose to take the other version in
   * the conflict dialog. Throws ApiError for anything else (shown at the field).
   */
  save: (patch: DealPatch, base: Deal) => Promise<boolean>;
}

export const DealContext = createContext<DealContextValue | null>(null);

export function useDeal(): DealContextValue {
  const v = useContext(DealContext);
  if (!v) throw new Error('useDeal() outside the deal card');
  return v;
}
