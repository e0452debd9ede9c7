import { z } from 'zod';
import { idParam, repeatable, type SortFields } from '../../server/http/list-query.js';
import { moneyAmount } from '../../server/http/money.js';
import { currencyCode } from '../workspaces/workspaces.schema.js';
// Phones/e-mails and list parameters are shaped as for contacts and companies, so that every
// record with a phone reads and filters the same way.
import { communicationOut, emailsInput, phonesInput } from '../contacts/communications.schema.js';
import { commonListParams, listQuery } from '../contacts/list-params.js';
import { createContactBody } from '../contacts/contacts.schema.js';
import { createCompanyBody } from '../contacts/companies.schema.js';
import { dealCreateBody } from '../deals/deals.schema.js';

// The API shapes of leads: request bodies and queries (strict, so unknown fields are a 400)
// and the answers, reused for the OpenAPI document.

const id = z.number().int().positive().max(2 ** 31 - 1);
const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullable().optional();

/** Kopecks, 0 … MONEY_MAX. */
const money = moneyAmount;
const custom = z.record(z.string().max(64), z.unknown());

const leadFields = {
  title: text(255).min(1).optional(),
  firstName: optionalText(100),
  lastName: optionalText(100),
  middleName: optionalText(100),
  companyName: optionalText(255),
  position: optionalText(255),
  phones: phonesInput.optional(),
  emails: emailsInput.optional(),
  statusId: id.optional(),
  sourceId: id.nullable().optional(),
  responsibleId: id.optional(),
  amount: money.optional(),
  currency: currencyCode.optional(),
  comment: optionalText(10_000),
  utmSource: optionalText(255),
  utmMedium: optionalText(255),
  utmCampaign: optionalText(255),
  utmContent: optionalText(255),
  utmTerm: optionalText(255),
  custom: custom.optional(),
};

export const leadCreateSchema = z.strictObject(leadFields);
export type LeadCreateInput = z.infer<typeof leadCreateSchema>;

export const leadPatchSchema = z.strictObject({ ...leadFields, version: z.number().int().positive().optional() });
export type LeadPatchInput = Omit<z.infer<typeof leadPatchSchema>, 'version'>;

export const LEAD_SEMANTICS = ['in_progress', 'converted', 'junk'] as const;
export type LeadSemantic = (typeof LEAD_SEMANTICS)[number];

const { typeId: _noTypeOnLeads, limit: _listLimit, cursor, sort, withTotal, ...filterParams } = commonListParams;
void _noTypeOnLeads;
void _listLimit;

/** Filters shared by the list and the board (plus `custom.<code>`, let through by listQuery). */
const filterFields = {
  ...filterParams,
  statusId: repeatable(idParam),
  sourceId: repeatable(idParam),
  semantic: repeatable(z.enum(LEAD_SEMANTICS)),
};
export const LEAD_SORTS: SortFields = {
  id: { column: 'leads.id', type: 'id' },
  createdAt: { column: 'leads.created_at', type: 'time' },
  updatedAt: { column: 'leads.updated_at', type: 'time' },
};

export const leadListQuerySchema = listQuery({
  ...filterFields,
  limit: commonListParams.limit,
  cursor,
  sort,
  withTotal,
});
export type LeadListQuery = z.output<typeof leadListQuerySchema>;

/** The filter part of a list or board query; `custom.<code>` keys ride along untyped. */
export type LeadFilters = { [K in keyof typeof filterFields]?: z.output<(typeof filterFields)[K]> } & Record<string, unknown>;

const columnLimit = z.coerce.number().int().min(1).max(100).default(20);
export const leadBoardQuerySchema = listQuery({ ...filterFields, limit: columnLimit });
export const leadBoardColumnQuerySchema = listQuery({ ...filterFields, limit: columnLimit, cursor });

// --- conversion ---

// What a conversion may say about each record it creates: the fields of that record's own
// create body, less the links the conversion sets itself.
const contactCreateFields = createContactBody.omit({ companyIds: true });
const companyCreateFields = createCompanyBody.partial({ name: true });
const dealCreateFields = dealCreateBody.omit({ contactIds: true, primaryContactId: true, companyId: true }).partial({ title: true });

const createOrLink = <T extends z.ZodTypeAny>(create: T) =>
  z.union([z.strictObject({ create }), z.strictObject({ id })]);

export const leadConvertSchema = z
  .strictObject({
    // A deal is always produced anew from the lead; linking a lead to an old deal is not offered.
    deal: z.strictObject({ create: dealCreateFields.optional() }).optional(),
    contact: createOrLink(contactCreateFields).optional(),
    company: createOrLink(companyCreateFields).optional(),
    version: z.number().int().positive().optional(),
  })
  .refine((b) => b.deal || b.contact || b.company, { message: 'name at least one of deal, contact, company', path: ['deal'] });
export type LeadConvertInput = z.infer<typeof leadConvertSchema>;
export type ContactCreateFields = z.infer<typeof contactCreateFields>;
export type CompanyCreateFields = z.infer<typeof companyCreateFields>;
export type DealCreateFields = z.infer<typeof dealCreateFields>;

// --- answers ---

export const leadSchema = z.object({
  id: z.number(),
  title: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  middleName: z.string().nullable(),
  companyName: z.string().nullable(),
  position: z.string().nullable(),
  phones: z.array(communicationOut),
  emails: z.array(communicationOut),
  statusId: z.number(),
  statusSemantic: z.enum(LEAD_SEMANTICS),
  sourceId: z.number().nullable(),
  responsibleId: z.number(),
  createdById: z.number(),
  amount: z.number(),
  currency: z.string(),
  comment: z.string().nullable(),
  utmSource: z.string().nullable(),
  utmMedium: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  utmContent: z.string().nullable(),
  utmTerm: z.string().nullable(),
  convertedAt: z.string().nullable(),
  convertedDealId: z.number().nullable(),
  convertedContactId: z.number().nullable(),
  convertedCompanyId: z.number().nullable(),
  custom: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Lead = z.infer<typeof leadSchema>;

export const duplicateSchema = z.object({ entity: z.enum(['contact', 'company', 'lead']), id: z.number(), matchedBy: z.enum(['phone', 'email', 'name']) });
export const leadWithDuplicatesSchema = leadSchema.extend({ duplicates: z.array(duplicateSchema) });
export const leadPageSchema = z.object({ items: z.array(leadSchema), nextCursor: z.string().nullable(), total: z.number().optional() });

export const leadIdParams = z.object({ id: idParam });
export const timelineQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(500).optional() });
export const commentSchema = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
