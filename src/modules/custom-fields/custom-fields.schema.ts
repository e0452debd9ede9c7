import { z } from 'zod';
import { FIELD_ENTITIES, FIELD_TYPES, TEXT_MAX } from './custom-field-values.js';

export const CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

const choice = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -'),
  label: z.string().trim().min(1).max(255),
});

export const fieldOptionsSchema = z.strictObject({
  choices: z.array(choice).min(1).max(500).optional(),
  recordEntity: z.enum(FIELD_ENTITIES).optional(),
  maxLength: z.number().int().min(1).max(TEXT_MAX).optional(),
});

export const createFieldBody = z.strictObject({
  entity: z.enum(FIELD_ENTITIES),
  code: z.string().regex(CODE_PATTERN, 'must start with a lower-case letter, then up to 39 lower-case letters, digits or _'),
  name: z.string().trim().min(1).max(255),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().optional(),
  options: fieldOptionsSchema.optional(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
});

export const updateFieldBody = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  /** accepted only to refuse a change with 422: stored values would no longer match */
  type: z.enum(FIELD_TYPES).optional(),
  required: z.boolean().optional(),
  options: fieldOptionsSchema.optional(),
  sort: z.number().int().min(0).max(1_000_000).optional(),
  version: z.number().int().positive().optional(),
});

export const listFieldsQuery = z.strictObject({ entity: z.enum(FIELD_ENTITIES).optional() });

export type CreateFieldInput = z.infer<typeof createFieldBody>;
export type UpdateFieldInput = z.infer<typeof updateFieldBody>;
export type FieldOptionsInput = z.infer<typeof fieldOptionsSchema>;
