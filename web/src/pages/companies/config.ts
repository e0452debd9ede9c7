import type { RecordConfig } from '../../components/crm/record-config';
import { companyBody, companyToForm, emptyCompanyForm, type Company, type CompanyForm } from './types';

// Companies for the shared record screens (src/components/crm): fields, form ↔ API.

export const companyConfig: RecordConfig<Company, CompanyForm> = {
  resource: 'companies',
  fields: [
    { kind: 'text', key: 'name', required: true },
    { kind: 'comms', key: 'phones' },
    { kind: 'comms', key: 'emails' },
    {
      kind: 'grid',
      fields: [
        { kind: 'ref', key: 'typeId', ref: 'company-types' },
        { kind: 'ref', key: 'industryId', ref: 'industries' },
        { kind: 'text', key: 'website' },
        { kind: 'responsible' },
        { kind: 'text', key: 'inn', errorKey: 'requisites.inn' },
        { kind: 'text', key: 'kpp', errorKey: 'requisites.kpp' },
      ],
    },
    { kind: 'text', key: 'address' },
    { kind: 'textarea', key: 'comment' },
  ],
  emptyForm: emptyCompanyForm,
  toForm: companyToForm,
  // ИНН/КПП are kept in `requisites` with the other stored requisites
  toBody: (f, { record }) => ({ body: companyBody(f, record?.requisites) }),
  title: (c) => c.name,
};
