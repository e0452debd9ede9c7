import { Select, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CommsEditor } from '../../components/crm/CommsEditor';
import { refOptions, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import type { CompanyForm } from './types';

/** The editable fields of a company, for the create form and the card. */
export function CompanyFields({ form, set, errors, disabled }: { form: CompanyForm; set: <K extends keyof CompanyForm>(k: K, v: CompanyForm[K]) => void; errors: Record<string, string>; disabled?: boolean }) {
  const { t } = useTranslation();
  const users = useUsers().data;
  const types = useReferenceList('company-types').data;
  const industries = useReferenceList('industries').data;
  const text = (k: 'name' | 'website' | 'address' | 'inn' | 'kpp', errorKey: string = k, required = false) => (
    <TextInput label={t(`crm.fields.${k}`)} value={form[k]} onChange={(e) => set(k, e.currentTarget.value)} error={errors[errorKey]} disabled={disabled} required={required} />
  );
  return (
    <Stack gap="sm">
      {text('name', 'name', true)}
      <CommsEditor kind="phones" value={form.phones} onChange={(v) => set('phones', v)} errors={errors} disabled={disabled} />
      <CommsEditor kind="emails" value={form.emails} onChange={(v) => set('emails', v)} errors={errors} disabled={disabled} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Select label={t('crm.fields.typeId')} data={refOptions(types, Number(form.typeId))} value={form.typeId} onChange={(v) => set('typeId', v)} clearable error={errors.typeId} disabled={disabled} />
        <Select label={t('crm.fields.industryId')} data={refOptions(industries, Number(form.industryId))} value={form.industryId} onChange={(v) => set('industryId', v)} clearable error={errors.industryId} disabled={disabled} />
        {text('website')}
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
        {text('inn', 'requisites.inn')}
        {text('kpp', 'requisites.kpp')}
      </SimpleGrid>
      {text('address')}
      <Textarea label={t('crm.fields.comment')} autosize minRows={2} value={form.comment} onChange={(e) => set('comment', e.currentTarget.value)} error={errors.comment} disabled={disabled} />
    </Stack>
  );
}
