import { z } from 'zod';
import { idParam, repeatable, type SortFields } from '../../server/http/list-query.js';
import { communicationOut, emailsInput, phonesInput } from './communications.schema.js';
import { commonListParams, listQuery, lookupParams } from './list-params.js';
import { requisitesInput, requisitesOut } from './requisites.js';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const companyFields = {
  typeId: idParam.nullable().optional(),
  industryId: idParam.nullable().optional(),
  website: optionalText(500),
  address: optionalText(1000),
  requisites: requisitesInput.optional(),
  responsibleId: idParam.optional(),
  phones: phonesInput.optional(),
  emails: emailsInput.optional(),
  comment: optionalText(10_000),
  custom: z.record(z.string().max(64), z.unknown()).optional(),
};
const companyName = z.string().trim().min(1).max(300);

export const createCompanyBody = z.strictObject({ name: companyName, ...companyFields });
export const updateCompanyBody = z.strictObject({ name: companyName.optional(), ...companyFields, version: z.number().int().positive().optional() });
export type CreateCompanyInput = z.input<typeof createCompanyBody>;
export type UpdateCompanyInput = z.input<typeof updateCompanyBody>;

export const companyListQuery = listQuery({
  ...commonListParams,
  ...lookupParams,
  industryId: repeatable(idParam),
});
export type CompanyListQuery = z.output<typeof companyListQuery>;

export const COMPANY_SORTS: SortFields = {
  id: { column: 'companies.id', type: 'id' },
  createdAt: { column: 'companies.created_at', type: 'time' },
  updatedAt: { column: 'companies.updated_at', type: 'time' },
  name: { column: 'companies.name_key', type: 'text' },
};

export const companyOut = z.object({
  id: z.number(),
  name: z.string(),
  typeId: z.number().nullable(),
  industryId: z.number().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  requisites: requisitesOut,
  responsibleId: z.number(),
  createdById: z.number(),
  comment: z.string().nullable(),
  phones: z.array(communicationOut),
  emails: z.array(communicationOut),
  custom: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type Company = z.infer<typeof companyOut>;
