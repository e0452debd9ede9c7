import { useState } from 'react';
import { ActionIcon, Anchor, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { CommsEditor } from '../../components/crm/CommsEditor';
import { EntityPicker } from '../../components/crm/EntityPicker';
import { refOptions, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import type { ContactForm } from './types';

/** The editable fields of a contact, for the create form and the card. */
export function ContactFields({ form, set, errors, disabled }: { form: ContactForm; set: <K extends keyof ContactForm>(k: K, v: ContactForm[K]) => void; errors: Record<string, string>; disabled?: boolean }) {
  const { t } = useTranslation();
  const users = useUsers().data;
  const types = useReferenceList('contact-types').data;
  const sources = useReferenceList('sources').data;
  const text = (k: 'lastName' | 'firstName' | 'middleName' | 'position') => (
    <TextInput label={t(`crm.fields.${k}`)} value={form[k]} onChange={(e) => set(k, e.currentTarget.value)} error={errors[k]} disabled={disabled} />
  );
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        {text('lastName')}
        {text('firstName')}
        {text('middleName')}
        {text('position')}
      </SimpleGrid>
      <CommsEditor kind="phones" value={form.phones} onChange={(v) => set('phones', v)} errors={errors} disabled={disabled} />
      <CommsEditor kind="emails" value={form.emails} onChange={(v) => set('emails', v)} errors={errors} disabled={disabled} />
      <CompanyLinks ids={form.companyIds} onChange={(v) => set('companyIds', v)} error={errors.companyIds} disabled={disabled} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Select label={t('crm.fields.typeId')} data={refOptions(types, Number(form.typeId))} value={form.typeId} onChange={(v) => set('typeId', v)} clearable error={errors.typeId} disabled={disabled} />
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
        <TextInput type="date" label={t('crm.fields.birthday')} value={form.birthday} onChange={(e) => set('birthday', e.currentTarget.value)} error={errors.birthday} disabled={disabled} />
      </SimpleGrid>
      <Textarea label={t('crm.fields.comment')} autosize minRows={2} value={form.comment} onChange={(e) => set('comment', e.currentTarget.value)} error={errors.comment} disabled={disabled} />
    </Stack>
  );
}

/** The companies a contact works for: links, remove, add by search. */
function CompanyLinks({ ids, onChange, error, disabled }: { ids: number[]; onChange: (ids: number[]) => void; error?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(0);
  const companies = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['companies', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<{ id: number; name: string }>(`/companies/${id}`, undefined, { signal }),
      staleTime: 60_000,
    })),
  });
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('crm.fields.companyIds')}
      </Text>
      {ids.map((id, i) => (
        <Group key={id} gap={4}>
          <Anchor component={Link} to={`/companies/${id}`} size="sm">
            {companies[i]?.data?.name ?? `#${id}`}
          </Anchor>
          {!disabled && (
            <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`${t('crm.unlink')} ${companies[i]?.data?.name ?? id}`} onClick={() => onChange(ids.filter((x) => x !== id))}>
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {!disabled && (
        <EntityPicker
          key={adding}
          entity="companies"
          label={t('crm.addCompany')}
          value={null}
          excludeIds={ids}
          error={error}
          onChange={(p) => {
            if (p) {
              onChange([...ids, p.id]);
              setAdding((n) => n + 1);
            }
          }}
        />
      )}
    </Stack>
  );
}
