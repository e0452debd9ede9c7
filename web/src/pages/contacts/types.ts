import { formToBody, type Communication } from '../../components/crm/records';
import type { Schemas } from '../../api/types';

/** A contact as the API answers it (GET /contacts/{id}). */
export type Contact = Schemas['Contact'];

export interface ContactForm extends Record<string, unknown> {
  lastName: string;
  firstName: string;
  middleName: string;
  position: string;
  birthday: string;
  typeId: string | null;
  sourceId: string | null;
  responsibleId: string | null;
  phones: Communication[];
  emails: Communication[];
  companyIds: number[];
  comment: string;
}

export const emptyContactForm = (responsibleId: number): ContactForm => ({
  lastName: '',
  firstName: '',
  middleName: '',
  position: '',
  birthday: '',
  typeId: null,
  sourceId: null,
  responsibleId: String(responsibleId),
  phones: [{ value: '', type: 'mobile' }],
  emails: [{ value: '', type: 'work' }],
  companyIds: [],
  comment: '',
});

export const contactToForm = (c: Contact): ContactForm => ({
  lastName: c.lastName ?? '',
  firstName: c.firstName ?? '',
  middleName: c.middleName ?? '',
  position: c.position ?? '',
  birthday: c.birthday ?? '',
  typeId: c.typeId === null ? null : String(c.typeId),
  sourceId: c.sourceId === null ? null : String(c.sourceId),
  responsibleId: String(c.responsibleId),
  phones: c.phones.map((p) => ({ value: p.value, type: p.type })),
  emails: c.emails.map((e) => ({ value: e.value, type: e.type })),
  companyIds: c.companyIds,
  comment: c.comment ?? '',
});

/** A form field → the API body field(s). */
export const contactBody = (f: Partial<ContactForm>): Record<string, unknown> => formToBody(f);
