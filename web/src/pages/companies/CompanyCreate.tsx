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
import { CompanyFields } from './CompanyFields';
import { companyBody, emptyCompanyForm, type Company, type CompanyForm } from './types';

export function CompanyCreate() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useCurrentUser().user;
  const [form, setForm, clearForm] = useDraft<CompanyForm>('company-new', emptyCompanyForm(me.id));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof CompanyForm>(k: K, v: CompanyForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const create = useMutation({
    mutationFn: () => api.post<Company & { duplicates: Duplicate[] }>('/companies', companyBody(form)),
    onSuccess: (c) => {
      clearForm();
      const { duplicates, ...company } = c;
      qc.setQueryData(['companies', c.id], company);
      void qc.invalidateQueries({ queryKey: ['companies', 'list'] });
      navigate(`/companies/${c.id}`, { state: { duplicates, created: true } });
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });
  return (
    <>
      <PageHeader title={t('companies.new')} />
      <Paper withBorder p="md" maw={760}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <CompanyFields form={form} set={set} errors={errors} />
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
                navigate('/companies');
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('companies.create')}
            </Button>
          </Group>
        </form>
      </Paper>
    </>
  );
}
