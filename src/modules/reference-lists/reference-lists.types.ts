import type { ReferenceKind } from './defaults.js';

export interface ReferenceItem {
  id: number;
  kind: ReferenceKind;
  name: string;
  sort: number;
  /** lead statuses only: 'in_progress' | 'converted' | 'junk' */
  semantic: string | null;
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
