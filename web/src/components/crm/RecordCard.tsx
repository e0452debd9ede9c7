import { useState, type ReactNode } from 'react';
import { Anchor, Breadcrumbs, Button, Grid, Menu, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { RecordNotFound, isRecordMissing } from '../record/RecordNotFound';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { useCustomFieldDefs } from '../../api/lookups';
import { useWorkspace } from '../../app/Layout';
import { ConfirmModal } from '../ConfirmModal';
import { PageHeader, PageLoader, QueryError } from '../page';
import { CustomFields } from '../record/CustomFields';
import { SINGULAR, invalidateLinks } from '../record/keys';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { ActivityAndHistory, ConflictAlert, SaveBar, Section } from './card-parts';
import { DuplicatesAlert } from './DuplicatesAlert';
import { MergeDialog } from './MergeDialog';
import { RecordDeals } from './RecordDeals';
import type { MergeRow } from './merge-preview';
import type { CrmRecord, RecordConfig } from './record-config';
import { useMayCreate } from '../../auth/use-may-act';
import { changedKeys, useCanUpdate, useEditForm, usePatchInPlace, useSaveRecord } from './record-form';
import { RecordFields } from './RecordFields';
import type { Duplicate } from './records';

// The card of a lead, contact or company (/<resource>/:id): the fields with Save, the custom
// fields edited in place, the entity's own sections; activities and history on the right. The
// duplicates found on creation are offered to keep, merge or delete; merging and deleting ask first.

export interface RecordCardProps<R extends CrmRecord, F extends Record<string, unknown>> {
  config: RecordConfig<R, F>;
  /** buttons before «Actions» (a lead's status and «Convert») */
  headerActions?: (r: R) => ReactNode;
  /** above everything else (a converted lead's links) */
  banner?: (r: R) => ReactNode;
  /** sections under the fields (the company's people, a lead's UTM tags) */
  sections?: (r: R) => ReactNode;
  /** the record's deals (contacts, companies): GET /deals?<dealsBy>=id */
  dealsBy?: 'contactId' | 'companyId';
  /** «Merge with…» (contacts, companies): what the preview compares */
  mergeRows?: (survivor: R, other: R) => MergeRow[];
  /** dialogs of the entity (a lead's conversion) */
  dialogs?: (r: R) => ReactNode;
}

export function RecordCard<R extends CrmRecord, F extends Record<string, unknown>>({ config, headerActions, banner, sections, dealsBy, mergeRows, dialogs }: RecordCardProps<R, F>) {
  const { resource } = config;
  const { t } = useTranslation();
  const mayCreateDeals = useMayCreate('deal');
  const fmt = useFormat();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: [resource, id], queryFn: ({ signal }) => api.get<R>(`/${resource}/${id}`, undefined, { signal }), enabled: id > 0 });
  const record = q.data;
  const { form, set, dirty, reset, base } = useEditForm(record, config.toForm, `record-edit:${resource}:${id}`);
  const { save, errors, setErrors, conflict, reload } = useSaveRecord(resource, base, reset);
  const patchInPlace = usePatchInPlace<R>(resource);
  const [duplicates, setDuplicates] = useState<Duplicate[]>(() => (location.state as { duplicates?: Duplicate[] } | null)?.duplicates ?? []);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const defs = useCustomFieldDefs(SINGULAR[resource]).data ?? [];
  const workspaceCurrency = useWorkspace().data?.currency ?? 'RUB';
  const canEdit = useCanUpdate(resource, record?.responsibleId ?? 0);
  const singular = SINGULAR[resource];

  const remove = useMutation({
    mutationFn: () => api.delete(`/${resource}/${id}`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: [resource, id] });
      // a deleted company leaves its contacts and deals; a deleted contact its companies and deals
      invalidateLinks(qc);
      notifications.show({ message: t(`${resource}.deleted`) });
      // the new record was a duplicate: go to the one it repeated
      navigate(duplicates[0]?.entity === singular ? `/${resource}/${duplicates[0].id}` : `/${resource}`);
    },
    onError: (e) => notifyError(t, e),
  });

  if (!(id > 0) || isRecordMissing(q.error)) return <RecordNotFound entity={resource} />;
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!record || !form) return null;
  const title = config.title(record, t);
  const currency = record.currency ?? workspaceCurrency;
  const saveChanges = () => {
    const keys = changedKeys(config.toForm(base ?? record), form);
    const { body, errors: invalid } = config.toBody(Object.fromEntries(keys.map((k) => [k, form[k]])) as Partial<F>, { record, currency, t });
    if (invalid) return setErrors(invalid);
    save.mutate(body);
  };
  const sameKind = duplicates.filter((d) => d.entity === singular);

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to={`/${resource}`} size="sm">
          {t(`${resource}.title`)}
        </Anchor>
        <Text size="sm">{title}</Text>
      </Breadcrumbs>
      <PageHeader
        title={title}
        actions={
          <>
            {headerActions?.(record)}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default">{t('crm.actions')}</Button>
              </Menu.Target>
              <Menu.Dropdown>
                {mergeRows && <Menu.Item onClick={() => setMergeOpen(true)}>{t('crm.merge.action')}</Menu.Item>}
                <Menu.Item color="red" onClick={() => setDeleteOpen(true)}>
                  {t('common.delete')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      {banner?.(record)}
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
                {mergeRows && sameKind.length > 0 && (
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
      {conflict && (
        <ConflictAlert
          fields={changedKeys(config.toForm(base ?? record), config.toForm(conflict)) as string[]}
          onReload={() => {
            reload();
            reset(conflict);
          }}
        />
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6, lg: 5 }}>
          <Stack>
            <Section title={t('crm.about')}>
              <RecordFields spec={config.fields} form={form} set={set} errors={errors} disabled={!canEdit} saved={record} assign={{ entity: singular, action: 'update' }} />
              <Text size="xs" c="dimmed" mt="sm">
                {t('crm.createdAt', { date: fmt.dateTime(record.createdAt) })}
              </Text>
              <SaveBar dirty={dirty} saving={save.isPending} onSave={saveChanges} onDiscard={() => reset()} />
            </Section>
            {defs.length > 0 && (
              <Section title={t('crm.customFields')} testId="custom-fields">
                <CustomFields entity={singular} defs={defs} record={record} currency={currency} canEdit={canEdit} save={patchInPlace} />
              </Section>
            )}
            {sections?.(record)}
            {dealsBy && (
              <Section title={t('crm.deals.title')}>
                <RecordDeals by={dealsBy} id={record.id} />
                {mayCreateDeals && (
                  <Button component={Link} to={`/deals/new?${dealsBy}=${record.id}`} variant="light" size="xs" mt="sm" data-testid="record-new-deal">
                    {t('dealNew.title')}
                  </Button>
                )}
              </Section>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, lg: 7 }}>
          <Stack>
            <ActivityAndHistory owner={resource} id={record.id} currency={record.currency} />
          </Stack>
        </Grid.Col>
      </Grid>
      {mergeRows && resource !== 'leads' && (
        <MergeDialog
          resource={resource}
          survivor={record}
          survivorLabel={title}
          currency={currency}
          opened={mergeOpen}
          onClose={() => setMergeOpen(false)}
          suggestions={sameKind.map((d) => {
            const cached = qc.getQueryData<R>([resource, d.id]);
            return { id: d.id, label: cached ? config.title(cached, t) : `#${d.id}` };
          })}
          rows={mergeRows}
        />
      )}
      {dialogs?.(record)}
      <ConfirmModal opened={deleteOpen} title={t(`${resource}.deleteTitle`)} confirmLabel={t('common.delete')} loading={remove.isPending} onConfirm={() => remove.mutate()} onClose={() => setDeleteOpen(false)}>
        <Text size="sm">{t(`${resource}.deleteText`, { name: title, title })}</Text>
      </ConfirmModal>
    </>
  );
}
