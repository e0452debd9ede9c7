import { useState } from 'react';
import { Anchor, Breadcrumbs, Button, Grid, Menu, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { ActivityAndHistory, ConflictAlert, SaveBar, Section } from '../../components/crm/card-parts';
import { ConfirmModal } from '../../components/ConfirmModal';
import { DuplicatesAlert } from '../../components/crm/DuplicatesAlert';
import { MergeDialog } from '../../components/crm/MergeDialog';
import { RecordDeals } from '../../components/crm/RecordDeals';
import { mergeList, mergeScalar } from '../../components/crm/merge-preview';
import { changedKeys, useEditForm, useSaveRecord } from '../../components/crm/record-form';
import { nameOf, useReferenceList } from '../../api/lookups';
import type { Duplicate } from '../../components/crm/records';
import { PageHeader, PageLoader, QueryError } from '../../components/page';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { CompanyContacts } from './CompanyContacts';
import { CompanyFields } from './CompanyFields';
import { companyBody, companyToForm, type Company } from './types';

export function CompanyCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['companies', id], queryFn: ({ signal }) => api.get<Company>(`/companies/${id}`, undefined, { signal }), enabled: id > 0 });
  const company = q.data;
  const { form, set, dirty, reset, base } = useEditForm(company, companyToForm);
  const { save, errors, conflict, reload } = useSaveRecord('companies', base, reset);
  const [duplicates, setDuplicates] = useState<Duplicate[]>(() => (location.state as { duplicates?: Duplicate[] } | null)?.duplicates ?? []);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const types = useReferenceList('company-types').data;
  const industries = useReferenceList('industries').data;

  const remove = useMutation({
    mutationFn: () => api.delete(`/companies/${id}`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['companies', id] });
      void qc.invalidateQueries({ queryKey: ['companies', 'list'] });
      notifications.show({ message: t('companies.deleted') });
      navigate(duplicates[0]?.entity === 'company' ? `/companies/${duplicates[0].id}` : '/companies');
    },
    onError: (e) => notifyError(t, e),
  });

  if (!(id > 0)) return <QueryError error={new ApiError(404, 'not_found', 'not found')} />;
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!company || !form) return null;
  const title = company.name;
  const save_ = () => {
    const before = companyToForm(base ?? company);
    const keys = changedKeys(before, form);
    save.mutate(companyBody(Object.fromEntries(keys.map((k) => [k, form[k]])), company.requisites));
  };

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/companies" size="sm">
          {t('companies.title')}
        </Anchor>
        <Text size="sm">{title}</Text>
      </Breadcrumbs>
      <PageHeader
        title={title}
        actions={
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="default">{t('crm.actions')}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => setMergeOpen(true)}>{t('crm.merge.action')}</Menu.Item>
              <Menu.Item color="red" onClick={() => setDeleteOpen(true)}>
                {t('common.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        }
      />
      {duplicates.length > 0 && (
        <Stack mb="md">
          <DuplicatesAlert
            duplicates={duplicates}
            onClose={() => setDuplicates([])}
            actions={
              <>
                <Button size="xs" variant="default" onClick={() => setDuplicates([])}>
                  {t('crm.duplicates.keep')}
                </Button>
                {duplicates.some((d) => d.entity === 'company') && (
                  <Button size="xs" color="orange" variant="light" onClick={() => setMergeOpen(true)}>
                    {t('crm.merge.action')}
                  </Button>
                )}
                <Button size="xs" color="red" variant="light" onClick={() => setDeleteOpen(true)}>
                  {t('crm.duplicates.deleteNew')}
                </Button>
              </>
            }
          />
        </Stack>
      )}
      {conflict && <ConflictAlert fields={changedKeys(companyToForm(base ?? company), companyToForm(conflict)) as string[]} onReload={() => { reload(); reset(conflict); }} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6, lg: 5 }}>
          <Stack>
            <Section title={t('crm.about')}>
              <CompanyFields form={form} set={set} errors={errors} />
              <Text size="xs" c="dimmed" mt="sm">
                {t('crm.createdAt', { date: fmt.dateTime(company.createdAt) })}
              </Text>
              <SaveBar dirty={dirty} saving={save.isPending} onSave={save_} onDiscard={() => reset()} />
            </Section>
            <Section title={t('companies.contacts')}>
              <CompanyContacts companyId={company.id} />
            </Section>
            <Section title={t('crm.deals.title')}>
              <RecordDeals by="companyId" id={company.id} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, lg: 7 }}>
          <Stack>
            <ActivityAndHistory owner="companies" id={company.id} />
          </Stack>
        </Grid.Col>
      </Grid>
      <MergeDialog
        resource="companies"
        survivor={company}
        survivorLabel={title}
        opened={mergeOpen}
        onClose={() => setMergeOpen(false)}
        suggestions={duplicates.filter((d) => d.entity === 'company').map((d) => ({ id: d.id, label: qc.getQueryData<Company>(['companies', d.id])?.name ?? `#${d.id}` }))}
        rows={(s, o) => [
          mergeScalar('name', s.name, o.name),
          mergeScalar('typeId', s.typeId, o.typeId, (v) => nameOf(types, v as number) ?? ''),
          mergeScalar('industryId', s.industryId, o.industryId, (v) => nameOf(industries, v as number) ?? ''),
          mergeScalar('website', s.website, o.website),
          mergeScalar('address', s.address, o.address),
          mergeScalar('inn', s.requisites.inn, o.requisites.inn),
          mergeScalar('kpp', s.requisites.kpp, o.requisites.kpp),
          mergeList('phones', s.phones, o.phones, (p) => p.normalized ?? p.value, (p) => p.value),
          mergeList('emails', s.emails, o.emails, (p) => p.normalized ?? p.value.toLowerCase(), (p) => p.value),
          mergeScalar('comment', s.comment, o.comment),
        ]}
      />
      <ConfirmModal opened={deleteOpen} title={t('companies.deleteTitle')} confirmLabel={t('common.delete')} loading={remove.isPending} onConfirm={() => remove.mutate()} onClose={() => setDeleteOpen(false)}>
        <Text size="sm">{t('companies.deleteText', { name: title })}</Text>
      </ConfirmModal>
    </>
  );
}
