import { formToBody, type Communication } from '../../components/crm/records';
import type { Schemas } from '../../api/types';

/** A company as the API answers it (GET /companies/{id}). */
export type Company = Schemas['Company'];
export type Requisites = Company['requisites'];

export interface CompanyForm extends Record<string, unknown> {
  name: string;
  typeId: string | null;
  industryId: string | null;
  website: string;
  address: string;
  responsibleId: string | null;
  phones: Communication[];
  emails: Communication[];
  inn: string;
  kpp: string;
  comment: string;
}

export const emptyCompanyForm = (responsibleId: number): CompanyForm => ({
  name: '',
  typeId: null,
  industryId: null,
  website: '',
  address: '',
  responsibleId: String(responsibleId),
  phones: [{ value: '', type: 'work' }],
  emails: [{ value: '', type: 'work' }],
  inn: '',
  kpp: '',
  comment: '',
});

export const companyToForm = (c: Company): CompanyForm => ({
  name: c.name,
  typeId: c.typeId === null ? null : String(c.typeId),
  industryId: c.industryId === null ? null : String(c.industryId),
  website: c.website ?? '',
  address: c.address ?? '',
  responsibleId: String(c.responsibleId),
  phones: c.phones.map((p) => ({ value: p.value, type: p.type })),
  emails: c.emails.map((e) => ({ value: e.value, type: e.type })),
  inn: c.requisites.inn ?? '',
  kpp: c.requisites.kpp ?? '',
  comment: c.comment ?? '',
});

/** Form fields → API body; ИНН/КПП go into `requisites` together with the other stored requisites. */
export function companyBody(f: Partial<CompanyForm>, requisites: Requisites = {}): Record<string, unknown> {
  return formToBody(f, (k, v, body) => {
    if (k === 'inn' || k === 'kpp') {
      const r = (body.requisites as Requisites | undefined) ?? { ...requisites };
      const value = (v as string).trim();
      if (value) r[k] = value;
      else delete r[k];
      body.requisites = r;
    } else if (k === 'name') body[k] = (v as string).trim();
    else return false;
    return true;
  });
}
