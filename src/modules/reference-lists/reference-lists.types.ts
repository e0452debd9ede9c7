import type { LEAD_STATUS_SEMANTICS, ReferenceKind } from './defaults.js';

export type LeadStatusSemantic = (typeof LEAD_STATUS_SEMANTICS)[number];

export interface ReferenceItem {
  id: number;
  kind: ReferenceKind;
  name: string;
  sort: number;
  /** lead statuses only */
  semantic: LeadStatusSemantic | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What other modules get back from ensureItem and the lead-status helpers. */
export interface ReferenceItemRef {
  id: number;
  name: string;
  semantic: string | null;
}
