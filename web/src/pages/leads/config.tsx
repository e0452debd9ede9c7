import { Select, TextInput } from '@mantine/core';
import { CurrencySign } from '../../components/CurrencySign';
import { useTranslation } from 'react-i18next';
import { useReferenceList } from '../../api/lookups';
import type { RecordConfig } from '../../components/crm/record-config';
import { personFields, type FieldsProps } from '../../components/crm/RecordFields';
import { emptyLeadForm, leadBody, leadToForm, type Lead, type LeadForm } from './types';

// Leads for the shared record screens (src/components/crm): fields, form ↔ API.

export const semanticColor = (s: string | null | undefined) => (s === 'converted' ? 'green' : s === 'junk' ? 'gray' : 'blue');

export const leadConfig: RecordConfig<Lead, LeadForm> = {
  resource: 'leads',
  fields: [
    { kind: 'text', key: 'title', description: 'leads.titleHint' },
    personFields(),
    { kind: 'text', key: 'companyName' },
    { kind: 'comms', key: 'phones' },
    { kind: 'comms', key: 'emails' },
    {
      kind: 'grid',
      fields: [
        { kind: 'render', id: 'statusId', render: (p) => <StatusSelect {...p} /> },
        { kind: 'ref', key: 'sourceId', ref: 'sources' },
        { kind: 'responsible' },
        { kind: 'render', id: 'amount', render: (p) => <AmountInput {...p} /> },
      ],
    },
    { kind: 'textarea', key: 'comment' },
  ],
  emptyForm: emptyLeadForm,
  toForm: leadToForm,
  toBody: (f, { currency, t }) => {
    const { body, invalid } = leadBody(f, currency);
    return invalid.length ? { body, errors: { amount: t('leads.invalidAmount') } } : { body };
  },
  title: (l) => l.title,
};

/** The statuses a lead can be put in by hand: «converted» only comes with a conversion. */
function StatusSelect({ form, set, errors, disabled }: FieldsProps<LeadForm>) {
  const { t } = useTranslation();
  const statuses = useReferenceList('lead-statuses', { includeInactive: true }).data;
  const options = (statuses ?? [])
    .filter((s) => (s.active && s.semantic !== 'converted') || String(s.id) === form.statusId)
    .map((s) => ({ value: String(s.id), label: s.name, disabled: s.semantic === 'converted' }));
  return <Select label={t('crm.fields.statusId')} data={options} value={form.statusId} onChange={(v) => set('statusId', v)} error={errors.statusId} disabled={disabled} placeholder={t('leads.defaultStatus')} allowDeselect={false} />;
}

function AmountInput({ form, set, errors, disabled }: FieldsProps<LeadForm>) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('crm.fields.amount')}
      inputMode="decimal"
      value={form.amount}
      onChange={(e) => set('amount', e.currentTarget.value)}
      error={errors.amount}
      disabled={disabled}
      rightSection={<CurrencySign currency={form.currency} />}
    />
  );
}
