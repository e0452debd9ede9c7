import { useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import { useCustomFieldDefs } from '../../api/lookups';
import { useWorkspace } from '../../app/Layout';
import { useCurrentUser } from '../../auth/session';
import { PageHeader } from '../page';
import { CustomFieldInputs } from '../record/CustomFields';
import { customBody, type CustomDraft } from '../record/CustomFields.logic';
import { SINGULAR } from '../record/keys';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { useFormat } from '../../lib/use-format';
import type { CrmRecord, RecordConfig } from './record-config';
import { RecordFields } from './RecordFields';
import type { Duplicate } from './records';

// /<resource>/new: the entity's fields and its custom fields (a required one must be filled in
// here); the typing survives a reload and an expired session. Created, the card opens with the
// possible duplicates the server found.

export function RecordCreate<R extends CrmRecord, F extends Record<string, unknown>>({ config }: { config: RecordConfig<R, F> }) {
  const { resource } = config;
  const singular = SINGULAR[resource];
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useCurrentUser().user;
  const currency = useWorkspace().data?.currency ?? 'RUB';
  const defs = useCustomFieldDefs(singular).data ?? [];
  const [form, setForm, clearForm] = useDraft<F>(`${singular}-new`, config.emptyForm(me.id, currency));
  const [custom, setCustom, clearCustom] = useDraft<Record<string, CustomDraft>>(`${singular}-new-custom`, {});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof F>(k: K, v: F[K]) => setForm((f) => ({ ...f, [k]: v }));
  const clear = () => {
    clearForm();
    clearCustom();
  };
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<R & { duplicates: Duplicate[] }>(`/${resource}`, body),
    onSuccess: (created) => {
      clear();
      const { duplicates, ...record } = created;
      qc.setQueryData([resource, created.id], record);
      // lists, the leads' board, pickers
      void qc.invalidateQueries({ queryKey: [resource], predicate: (q) => typeof q.queryKey[1] === 'string' });
      navigate(`/${resource}/${created.id}`, { state: { duplicates, created: true } });
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });
  const submit = () => {
    const { body, errors: invalid = {} } = config.toBody(form, { currency, t });
    const extra = customBody(defs, custom, { currency, timeZone: fmt.timeZone });
    const customErrors = Object.fromEntries(Object.entries(extra.errors).map(([k, e]) => [k, t(`record.custom.${e}`)]));
    if (Object.keys(invalid).length || Object.keys(customErrors).length) return setErrors({ ...invalid, ...customErrors });
    create.mutate(Object.keys(extra.custom).length ? { ...body, custom: extra.custom } : body);
  };
  return (
    <>
      <PageHeader title={t(`${resource}.new`)} />
      <Paper withBorder p="md" maw={760}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <RecordFields spec={config.fields} form={form} set={set} errors={errors} assign={{ entity: singular, action: 'create' }} />
          {defs.length > 0 && (
            <Stack gap="sm" mt="lg" component="section" aria-label={t('crm.customFields')}>
              <Title order={2} size="h5">
                {t('crm.customFields')}
              </Title>
              <CustomFieldInputs defs={defs} values={custom} onChange={(code, v) => setCustom((c) => ({ ...c, [code]: v }))} errors={errors} currency={currency} />
            </Stack>
          )}
          {create.isError && (
            <Alert color="red" mt="md" role="alert">
              {errorMessage(t, create.error)}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button
              variant="default"
              onClick={() => {
                clear();
                navigate(`/${resource}`);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t(`${resource}.create`)}
            </Button>
          </Group>
        </form>
      </Paper>
    </>
  );
}
