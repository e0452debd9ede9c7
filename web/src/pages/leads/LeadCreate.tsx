import { useState } from 'react';
import { Alert, Button, Group, Paper } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useWorkspace } from '../../app/Layout';
import { useCurrentUser } from '../../auth/session';
import type { Duplicate } from '../../components/crm/records';
import { PageHeader } from '../../components/page';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { LeadFields } from './LeadFields';
import { emptyLeadForm, leadBody, type Lead, type LeadForm } from './types';

export function LeadCreate() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useCurrentUser().user;
  const currency = useWorkspace().data?.currency ?? 'RUB';
  const [form, setForm, clearForm] = useDraft<LeadForm>('lead-new', emptyLeadForm(me.id, currency));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof LeadForm>(k: K, v: LeadForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Lead & { duplicates: Duplicate[] }>('/leads', body),
    onSuccess: (l) => {
      clearForm();
      const { duplicates, ...lead } = l;
      qc.setQueryData(['leads', l.id], lead);
      void qc.invalidateQueries({ queryKey: ['leads', 'list'] });
      void qc.invalidateQueries({ queryKey: ['leads', 'board'] });
      navigate(`/leads/${l.id}`, { state: { duplicates } });
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });
  const submit = () => {
    const { currency: _c, ...rest } = form;
    void _c;
    const { body, invalid } = leadBody({ ...rest, ...(form.amount.trim() ? { currency: form.currency } : {}) }, currency);
    if (!form.statusId) delete body.statusId;
    if (invalid.length) return setErrors({ amount: t('leads.invalidAmount') });
    create.mutate(body);
  };
  return (
    <>
      <PageHeader title={t('leads.new')} />
      <Paper withBorder p="md" maw={760}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <LeadFields form={form} set={set} errors={errors} />
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
                navigate('/leads');
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('leads.create')}
            </Button>
          </Group>
        </form>
      </Paper>
    </>
  );
}
