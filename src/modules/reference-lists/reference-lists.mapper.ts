import type { ReferenceKind } from './defaults.js';
import type { ReferenceItemRow } from './reference-lists.repo.js';
import type { LeadStatusSemantic, ReferenceItem, ReferenceItemRef } from './reference-lists.types.js';

export const toItem = (r: ReferenceItemRow): ReferenceItem => ({
  id: r.id,
  kind: r.kind as ReferenceKind,
  name: r.name,
  sort: r.sort,
  semantic: r.semantic as LeadStatusSemantic | null,
  active: r.active === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export const toRef = (r: ReferenceItemRow): ReferenceItemRef => ({ id: r.id, name: r.name, semantic: r.semantic });
