import { z } from 'zod';
import { idParam, type SortFields } from '../../server/http/list-query.js';
import { dateOnly } from '../../server/http/dates.js';
import { communicationOut, emailsInput, phonesInput } from './communications.schema.js';
import { commonListParams, listQuery, lookupParams } from './list-params.js';
import { repeatable } from '../../server/http/list-query.js';

const namePart = z.string().trim().max(200);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const contactFields = {
  firstName: namePart.nullable().optional(),
  lastName: namePart.nullable().optional(),
  middleName: namePart.nullable().optional(),
  position: optionalText(200),
  birthday: dateOnly.nullable().optional(),
  typeId: idParam.nullable().optional(),
  sourceId: idParam.nullable().optional(),
  responsibleId: idParam.optional(),
  phones: phonesInput.optional(),
  emails: emailsInput.optional(),
  companyIds: z.array(idParam).max(100).optional(),
  comment: optionalText(10_000),
  custom: z.record(z.string().max(64), z.unknown()).optional(),
};

export const createContactBody = z.strictObject(contactFields);
export const updateContactBody = z.strictObject({ ...contactFields, version: z.number().int().positive().optional() });
export type CreateContactInput = z.input<typeof createContactBody>;
export type UpdateContactInput = z.input<typeof updateContactBody>;

export const mergeBody = z.strictObject({ sourceId: idParam });
export const commentBody = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
export const timelineQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(500).optional() });

export const contactListQuery = listQuery({
  ...commonListParams,
  ...lookupParams,
  sourceId: repeatable(idParam),
  companyId: repeatable(idParam),
});
export type ContactListQuery = z.output<typeof contactListQuery>;

export const CONTACT_SORTS: SortFields = {
  id: { column: 'contacts.id', type: 'id' },
  createdAt: { column: 'contacts.created_at', type: 'time' },
  updatedAt: { column: 'contacts.updated_at', type: 'time' },
  lastName: { column: 'contacts.name_key', type: 'text' },
};

export const duplicateOut = z.object({ entity: z.enum(['contact', 'company', 'lead']), id: z.number(), matchedBy: z.enum(['phone', 'email', 'name']) });

export const contactOut = z.object({
  id: z.number(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  middleName: z.string().nullable(),
  fullName: z.string(),
  position: z.string().nullable(),
  birthday: z.string().nullable(),
  typeId: z.number().nullable(),
  sourceId: z.number().nullable(),
  responsibleId: z.number(),
  createdById: z.number(),
  comment: z.string().nullable(),
  phones: z.array(communicationOut),
  emails: z.array(communicationOut),
  companyIds: z.array(z.number()),
  custom: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Contact = z.infer<typeof contactOut>;
