import type { Selectable } from 'kysely';
import type { Communications } from './communications.service.js';
import type { Database } from '../../db/schema.js';
import type { Company } from './companies.schema.js';

export type CompanyRow = Selectable<Database['companies']>;

export function toCompany(r: CompanyRow, comms: Communications): Company {
  return {
    id: r.id,
    name: r.name,
    typeId: r.type_id,
    industryId: r.industry_id,
    website: r.website,
    address: r.address,
    requisites: JSON.parse(r.requisites) as Company['requisites'],
    responsibleId: r.responsible_id,
    createdById: r.created_by_id,
    comment: r.comment,
    phones: comms.phones,
    emails: comms.emails,
    custom: JSON.parse(r.custom) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
