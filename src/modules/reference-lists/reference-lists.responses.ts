import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { LEAD_STATUS_SEMANTICS, REFERENCE_KINDS } from './defaults.js';

// zod schemas of the reference-lists API (response side), named for the OpenAPI document.

export const referenceItemSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(REFERENCE_KINDS),
    name: z.string(),
    sort: z.number().int(),
    /** lead statuses only */
    semantic: z.enum(LEAD_STATUS_SEMANTICS).nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'ReferenceItem' });
export const referenceItemPageSchema = pageOf(referenceItemSchema);
