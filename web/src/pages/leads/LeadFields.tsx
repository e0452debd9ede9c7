import { Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CommsEditor } from '../../components/crm/CommsEditor';
import { refOptions, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import type { LeadForm } from './types';

/** The editable fields of a lead, for the create form and the card. */
export function LeadFields({ form, set, errors, disabled }: { form: LeadForm; set: <K extends keyof LeadForm>(k: K, v: LeadForm[K]) => void; errors: Record<string, string>; disabled?: boolean }) {
  const { t } = useTranslation();
  const users = useUsers().data;
  const sources = useReferenceList('sources').data;
  const statuses = useReferenceList('lead-statuses', { includeInactive: true }).data;
  const statusOptions = (statuses ?? [])
    .filter((s) => (s.active && s.semantic !== 'converted') || String(s.id) === form.statusId)
    .map((s) => ({ value: String(s.id), label: s.name, disabled: s.semantic === 'converted' }));
  const text = (k: 'title' | 'lastName' | 'firstName' | 'middleName' | 'companyName' | 'position', extra: { description?: string } = {}) => (
    <TextInput label={t(`crm.fields.${k}`)} value={form[k]} onChange={(e) => set(k, e.currentTarget.value)} error={errors[k]} disabled={disabled} {...extra} />
  );
  return (
    <Stack gap="sm">
      {text('title', { description: t('leads.titleHint') })}
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        {text('lastName')}
        {text('firstName')}
        {text('middleName')}
        {text('position')}
      </SimpleGrid>
      {text('companyName')}
      <CommsEditor kind="phones" value={form.phones} onChange={(v) => set('phones', v)} errors={errors} disabled={disabled} />
      <CommsEditor kind="emails" value={form.emails} onChange={(v) => set('emails', v)} errors={errors} disabled={disabled} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Select label={t('crm.fields.statusId')} data={statusOptions} value={form.statusId} onChange={(v) => set('statusId', v)} error={errors.statusId} disabled={disabled} placeholder={t('leads.defaultStatus')} allowDeselect={false} />
        <Select label={t('crm.fields.sourceId')} data={refOptions(sources, Number(form.sourceId))} value={form.sourceId} onChange={(v) => set('sourceId', v)} clearable error={errors.sourceId} disabled={disabled} />
        <Select
          label={t('crm.fields.responsibleId')}
          data={userOptions(users, [Number(form.responsibleId)])}
          value={form.responsibleId}
          onChange={(v) => set('responsibleId', v)}
          searchable
          allowDeselect={false}
          error={errors.responsibleId}
          disabled={disabled}
        />
        <TextInput
          label={t('crm.fields.amount')}
          inputMode="decimal"
          value={form.amount}
          onChange={(e) => set('amount', e.currentTarget.value)}
          error={errors.amount}
          disabled={disabled}
          rightSection={<Text size="xs">{form.currency}</Text>}
        />
      </SimpleGrid>
      <Textarea label={t('crm.fields.comment')} autosize minRows={2} value={form.comment} onChange={(e) => set('comment', e.currentTarget.value)} error={errors.comment} disabled={disabled} />
    </Stack>
  );
}
