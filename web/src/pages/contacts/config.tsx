import { useState } from 'react';
import { ActionIcon, Anchor, Group, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { EntityPicker } from '../../components/crm/EntityPicker';
import type { RecordConfig } from '../../components/crm/record-config';
import { personFields } from '../../components/crm/RecordFields';
import { personName } from '../../components/crm/records';
import { contactBody, contactToForm, emptyContactForm, type Contact, type ContactForm } from './types';

// Contacts for the shared record screens (src/components/crm): fields, form ↔ API.

export const contactConfig: RecordConfig<Contact, ContactForm> = {
  resource: 'contacts',
  fields: [
    personFields(),
    { kind: 'comms', key: 'phones' },
    { kind: 'comms', key: 'emails' },
    { kind: 'render', id: 'companyIds', render: ({ form, set, errors, disabled }) => <CompanyLinks ids={form.companyIds} onChange={(v) => set('companyIds', v)} error={errors.companyIds} disabled={disabled} /> },
    {
      kind: 'grid',
      fields: [
        { kind: 'ref', key: 'typeId', ref: 'contact-types' },
        { kind: 'ref', key: 'sourceId', ref: 'sources' },
        { kind: 'responsible' },
        { kind: 'text', key: 'birthday', type: 'date' },
      ],
    },
    { kind: 'textarea', key: 'comment' },
  ],
  emptyForm: emptyContactForm,
  toForm: contactToForm,
  toBody: (f) => ({ body: contactBody(f) }),
  title: (c, t) => c.fullName || personName(c) || t('contacts.noName'),
};

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
          creatable
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
