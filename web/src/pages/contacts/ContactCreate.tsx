import { useState } from 'react';
import { Alert, Button, Group, Paper } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useCurrentUser } from '../../auth/session';
import type { Duplicate } from '../../components/crm/records';
import { PageHeader } from '../../components/page';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { ContactFields } from './ContactFields';
import { contactBody, emptyContactForm, type Contact, type ContactForm } from './types';

export function ContactCreate() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useCurrentUser().user;
  const [form, setForm, clearForm] = useDraft<ContactForm>('contact-new', emptyContactForm(me.id));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof ContactForm>(k: K, v: ContactForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const create = useMutation({
    mutationFn: () => api.post<Contact & { duplicates: Duplicate[] }>('/contacts', contactBody(form)),
    onSuccess: (c) => {
      clearForm();
      const { duplicates, ...contact } = c;
      qc.setQueryData(['contacts', c.id], contact);
      void qc.invalidateQueries({ queryKey: ['contacts', 'list'] });
      navigate(`/contacts/${c.id}`, { state: { duplicates, created: true } });
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });
  return (
    <>
      <PageHeader title={t('contacts.new')} />
      <Paper withBorder p="md" maw={760}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <ContactFields form={form} set={set} errors={errors} />
          {create.isError && (
            <Alert color="red" mt="md" role="alert">
              {errorMessage(t, create.error)}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button
              variant="default"
              onClick={() => {
                clearForm();
                navigate('/contacts');
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('contacts.create')}
            </Button>
          </Group>
        </form>
      </Paper>
    </>
  );
}
