import { z } from 'zod';
import { itemsOf } from '../../server/http/responses.js';
import { FIELD_ENTITIES, FIELD_TYPES } from './custom-field-values.js';

// zod schemas of the custom-fields API (response side), named for the OpenAPI document.

export const customFieldSchema = z
  .object({
    id: z.number().int(),
    entity: z.enum(FIELD_ENTITIES),
    /** the key under `custom` in records and of `custom.<code>` filters */
    code: z.string(),
    name: z.string(),
    type: z.enum(FIELD_TYPES),
    required: z.boolean(),
    options: z.object({
      choices: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
      recordEntity: z.enum(FIELD_ENTITIES).optional(),
      maxLength: z.number().int().optional(),
    }),
    sort: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'CustomField' });
export const customFieldListSchema = itemsOf(customFieldSchema);
