import { z } from 'zod';
import { boolParam, idParam } from '../../server/http/list-query.js';
import { LEAD_STATUS_SEMANTICS } from './defaults.js';

// zod schemas of the reference-lists API. The kind is checked by the service (an unknown kind
// is a 404, like any unknown resource), not here.

// Control characters (NUL above all, which PostgreSQL text cannot hold) have no place in a label.
const name = z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const sort = z.number().int().min(0).max(1_000_000);
const semantic = z.enum(LEAD_STATUS_SEMANTICS);

export const itemCreateBody = z.strictObject({
  name,
  sort: sort.optional(),
  /** lead statuses only, and required there */
  semantic: semantic.optional(),
});
export type ItemCreateInput = z.infer<typeof itemCreateBody>;

export const itemPatchBody = z.strictObject({
  name: name.optional(),
  sort: sort.optional(),
  /** a lead status keeps its semantic; sending the same value is accepted */
  semantic: semantic.optional(),
  /** false deactivates (like DELETE), true brings a deactivated item back */
  active: z.boolean().optional(),
  version: z.number().int().min(1).max(2 ** 31 - 1).optional(),
});
export type ItemPatchInput = z.infer<typeof itemPatchBody>;

export const listParams = z.object({ kind: z.string().max(50) });
export const itemParams = z.object({ kind: z.string().max(50), id: idParam });
export const listQuery = z.strictObject({ includeInactive: boolParam.optional() });
