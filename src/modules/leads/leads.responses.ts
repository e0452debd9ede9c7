import { z } from 'zod';
import { itemsOf } from '../../server/http/responses.js';
import { contactOut, duplicateOut } from '../contacts/contacts.schema.js';
import { companyOut } from '../contacts/companies.schema.js';
import { dealSchema } from '../deals/deals.responses.js';
import { LEAD_SEMANTICS, leadSchema as leadOut, leadPageSchema as leadPageOut, leadWithDuplicatesSchema as leadWithDuplicatesOut } from './leads.schema.js';

// zod schemas of the leads API (response side), named for the OpenAPI document.

const int = z.number().int();
const leadSemantic = z.enum(LEAD_SEMANTICS);

export const leadSchema = leadOut.meta({ id: 'Lead' });
export const leadWithDuplicatesSchema = leadWithDuplicatesOut.meta({ id: 'LeadWithDuplicates' });
export const leadPageSchema = leadPageOut.extend({ items: z.array(leadSchema) });

export const leadStatusInfoSchema = z.object({ id: int, name: z.string(), semantic: leadSemantic.nullable(), active: z.boolean() });

export const leadBoardColumnSchema = z
  .object({
    status: leadStatusInfoSchema,
    count: int,
    sums: z.array(z.object({ currency: z.string(), amount: int })),
    items: z.array(leadSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'LeadBoardColumn' });

export const leadBoardSchema = z.object({ columns: z.array(leadBoardColumnSchema) }).meta({ id: 'LeadBoard' });

export const statusHistoryEntrySchema = z
  .object({
    id: int,
    statusId: int,
    statusSemantic: leadSemantic,
    responsibleId: int.nullable(),
    enteredAt: z.string(),
    enteredById: int.nullable(),
    exitedAt: z.string().nullable(),
    exitedById: int.nullable(),
  })
  .meta({ id: 'LeadStatusHistoryEntry' });

export const statusHistorySchema = itemsOf(statusHistoryEntrySchema);

/** POST /leads/{id}/convert: the lead and what it became (a new contact or company carries its duplicates). */
export const leadConversionSchema = z
  .object({
    lead: leadSchema,
    deal: dealSchema.optional(),
    contact: contactOut.extend({ duplicates: z.array(duplicateOut).optional() }).optional(),
    company: companyOut.extend({ duplicates: z.array(duplicateOut).optional() }).optional(),
  })
  .meta({ id: 'LeadConversion' });
