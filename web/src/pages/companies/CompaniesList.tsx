import { RecordListPage, standardFilters, commsColumns, createdColumn, linkColumn, refColumn, responsibleColumn } from '../../components/crm/RecordList';
import type { Company } from './types';

export function CompaniesList() {
  return (
    <RecordListPage<Company>
      resource="companies"
      filters={standardFilters(
        [
          { kind: 'ref', key: 'typeId', ref: 'company-types', label: 'crm.fields.typeId' },
          { kind: 'ref', key: 'industryId', ref: 'industries', label: 'crm.fields.industryId' },
        ],
        'name',
      )}
      columns={[
        linkColumn<Company>('companies', 'crm.fields.name', (c) => c.name, (c, t) => c.requisites.inn && `${t('crm.fields.inn')} ${c.requisites.inn}`),
        ...commsColumns<Company>(),
        refColumn<Company>('crm.fields.typeId', 'company-types', (c) => c.typeId),
        refColumn<Company>('crm.fields.industryId', 'industries', (c) => c.industryId),
        responsibleColumn<Company>(),
        createdColumn<Company>(),
      ]}
    />
  );
}
