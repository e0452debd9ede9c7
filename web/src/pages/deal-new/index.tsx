import { useMemo, useState } from 'react';
import { Alert, Button, Group, Paper, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { assignableOptions, useAssignable, useCustomFieldDefs, usePipelines, useUsers } from '../../api/lookups';
import { useWorkspace } from '../../app/workspace';
import { useCurrentUser } from '../../auth/session';
import { PageHeader, PageLoader, QueryError } from '../../components/page';
import { CustomFieldInputs } from '../../components/record/CustomFields';
import { customBody, type CustomDraft } from '../../components/record/CustomFields.logic';
import { currencyChoices } from '../../lib/currencies';
import { errorMessage } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { CompanyPicker, ContactsPicker } from '../deal-card/pickers';
import { initialNewDeal, newDealBody, openStages, type NewDealForm } from './new-deal-logic';

// /deals/new: the full «Новая сделка» form — title, pipeline and stage, amount and currency,
// responsible, client (contacts and company, created on the spot if new) and the deal's custom
// fields (the required ones must be filled in). The board, a contact's and a company's card open it
// prefilled (?pipelineId=&stageId=, ?contactId=, ?companyId=).

export default function NewDealPage() {
  const pipelines = usePipelines();
  const workspace = useWorkspace();
  if (pipelines.isError) return <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  if (!pipelines.data || !workspace.data) return <PageLoader />;
  return <NewDealFormView currency={workspace.data.currency} />;
}

function NewDealFormView({ currency: wsCurrency }: { currency: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const me = useCurrentUser().user;
  const pipelines = usePipelines().data ?? [];
  const users = useUsers().data;
  const defs = useCustomFieldDefs('deal').data ?? [];
  const [form, setForm] = useState<NewDealForm>(() => initialNewDeal(params, pipelines, { id: me.id, currency: wsCurrency }));
  const [custom, setCustom] = useState<Record<string, CustomDraft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof NewDealForm>(k: K, v: NewDealForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const pipeline = pipelines.find((p) => String(p.id) === form.pipelineId);
  const assignable = useAssignable('deal', 'create', pipeline?.id);
  const stages = useMemo(() => openStages(pipeline), [pipeline]);

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ id: number }>('/deals', body),
    onSuccess: (deal) => {
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'pipelines' && q.queryKey[2] === 'board' });
      void qc.invalidateQueries({ queryKey: ['deals'] });
      navigate(`/deals/${deal.id}`);
    },
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });

  const submit = () => {
    const { body, errors: invalid } = newDealBody(form);
    const extra = customBody(defs, custom, { currency: form.currency, timeZone: fmt.timeZone });
    const errs: Record<string, string> = Object.fromEntries(Object.entries(invalid).map(([k, v]) => [k, v === 'required' ? t('common.required') : t('board.quick.badAmount')]));
    for (const [k, v] of Object.entries(extra.errors)) errs[k] = t(`record.custom.${v}`);
    for (const d of defs) if (d.required && !(d.code in extra.custom) && !errs[`custom.${d.code}`]) errs[`custom.${d.code}`] = t('common.required');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate(Object.keys(extra.custom).length ? { ...body, custom: extra.custom } : body);
  };
  const shown = new Set(['title', 'amount', 'currency', 'pipelineId', 'stageId', 'responsibleId', 'contactIds', 'companyId']);
  const unshown = Object.keys(errors).some((k) => !shown.has(k) && !k.startsWith('custom.'));

  return (
    <>
      <PageHeader title={t('dealNew.title')} />
      <Paper withBorder p="md" maw={760}>
        <form
          noValidate
          aria-label={t('dealNew.title')}
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <TextInput label={t('dealCard.fields.title')} value={form.title} onChange={(e) => set('title', e.currentTarget.value)} error={errors.title} maxLength={500} required autoFocus />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t('dealNew.pipeline')}
                data={pipelines.map((p) => ({ value: String(p.id), label: p.name }))}
                value={form.pipelineId}
                onChange={(v) => setForm((f) => ({ ...f, pipelineId: v, stageId: String(openStages(pipelines.find((p) => String(p.id) === v))[0]?.id ?? '') || null }))}
                allowDeselect={false}
                error={errors.pipelineId}
              />
              <Select label={t('dealNew.stage')} data={stages.map((s) => ({ value: String(s.id), label: s.name }))} value={form.stageId} onChange={(v) => set('stageId', v)} allowDeselect={false} error={errors.stageId} />
              <TextInput label={t('dealCard.fields.amount')} inputMode="decimal" placeholder="0" value={form.amount} onChange={(e) => set('amount', e.currentTarget.value)} error={errors.amount} />
              <Select label={t('dealCard.fields.currency')} data={currencyChoices(wsCurrency)} value={form.currency} onChange={(v) => v && set('currency', v)} allowDeselect={false} error={errors.currency} />
              <Select
                label={t('dealCard.fields.responsible')}
                data={assignableOptions(users, assignable.data, [Number(form.responsibleId)])}
                value={form.responsibleId}
                onChange={(v) => set('responsibleId', v)}
                searchable
                allowDeselect={false}
                error={errors.responsibleId}
              />
            </SimpleGrid>
            <ContactsPicker label={t('dealCard.fields.contacts')} value={form.contactIds} onChange={(v) => set('contactIds', v)} error={errors.contactIds} autoFocus={false} />
            <CompanyPicker label={t('dealCard.fields.company')} value={form.companyId} onChange={(v) => set('companyId', v)} error={errors.companyId} autoFocus={false} />
          </Stack>
          {defs.length > 0 && (
            <Stack gap="sm" mt="lg" component="section" aria-label={t('crm.customFields')}>
              <Title order={2} size="h5">
                {t('crm.customFields')}
              </Title>
              <CustomFieldInputs defs={defs} values={custom} onChange={(code, v) => setCustom((c) => ({ ...c, [code]: v }))} errors={errors} currency={form.currency} />
            </Stack>
          )}
          {create.isError && (unshown || !Object.keys(errors).length) && (
            <Alert color="red" mt="md" role="alert">
              {errorMessage(t, create.error)}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('dealNew.create')}
            </Button>
          </Group>
        </form>
      </Paper>
    </>
  );
}
