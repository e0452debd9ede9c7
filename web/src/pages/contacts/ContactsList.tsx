import { RecordListPage, standardFilters, commsColumns, createdColumn, linkColumn, refColumn, responsibleColumn } from '../../components/crm/RecordList';
import type { Contact } from './types';

export function ContactsList() {
  return (
    <RecordListPage<Contact>
      resource="contacts"
      // companyId comes from a company card's "all contacts" link
      extraFilterKeys={['companyId']}
      filters={standardFilters(
        [
          { kind: 'ref', key: 'typeId', ref: 'contact-types', label: 'crm.fields.typeId' },
          { kind: 'ref', key: 'sourceId', ref: 'sources', label: 'crm.fields.sourceId' },
        ],
        'lastName',
      )}
      columns={[
        linkColumn<Contact>('contacts', 'crm.fields.name', (c, t) => c.fullName || t('contacts.noName'), (c) => c.position),
        ...commsColumns<Contact>(),
        refColumn<Contact>('crm.fields.typeId', 'contact-types', (c) => c.typeId),
        responsibleColumn<Contact>(),
        createdColumn<Contact>(),
      ]}
    />
  );
}
