import type { Selectable } from 'kysely';
import type { Communications } from './communications.service.js';
import type { Database } from '../../db/schema.js';
import type { Contact } from './contacts.schema.js';

export type ContactRow = Selectable<Database['contacts']>;

/** "Фамилия Имя Отчество", the order Russian documents and lists use. */
export function contactFullName(r: { first_name: string | null; last_name: string | null; middle_name: string | null }): string {
  return [r.last_name, r.first_name, r.middle_name].filter((p) => p && p.trim() !== '').join(' ');
}

export function toContact(r: ContactRow, comms: Communications, companyIds: number[]): Contact {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    middleName: r.middle_name,
    fullName: contactFullName(r),
    position: r.position,
    birthday: r.birthday,
    typeId: r.type_id,
    sourceId: r.source_id,
    responsibleId: r.responsible_id,
    createdById: r.created_by_id,
    comment: r.comment,
    phones: comms.phones,
    emails: comms.emails,
    companyIds,
    custom: JSON.parse(r.custom) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
