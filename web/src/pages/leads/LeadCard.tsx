import { useState } from 'react';
import { Alert, Anchor, Badge, Breadcrumbs, Button, Grid, Group, Menu, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { ActivityAndHistory, ConflictAlert, SaveBar, Section } from '../../components/crm/card-parts';
import { ConfirmModal } from '../../components/ConfirmModal';
import { DuplicatesAlert } from '../../components/crm/DuplicatesAlert';
import { changedKeys, useEditForm, useSaveRecord } from '../../components/crm/record-form';
import { nameOf, useReferenceList } from '../../api/lookups';
import type { Duplicate } from '../../components/crm/records';
import { PageHeader, PageLoader, QueryError } from '../../components/page';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { ConvertDialog } from './ConvertDialog';
import { LeadFields } from './LeadFields';
import { leadBody, leadToForm, type Lead } from './types';

export const semanticColor = (s: string | null | undefined) => (s === 'converted' ? 'green' : s === 'junk' ? 'gray' : 'blue');

export function LeadCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['leads', id], queryFn: ({ signal }) => api.get<Lead>(`/leads/${id}`, undefined, { signal }), enabled: id > 0 });
  const lead = q.data;
  const { form, set, dirty, reset, base } = useEditForm(lead, leadToForm);
  const { save, errors, setErrors, conflict, reload } = useSaveRecord('leads', base, reset);
  const [duplicates, setDuplicates] = useState<Duplicate[]>(() => (location.state as { duplicates?: Duplicate[] } | null)?.duplicates ?? []);
  const [convertOpen, setConvertOpen] = useState(() => !!(location.state as { convert?: boolean } | null)?.convert);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const statuses = useReferenceList('lead-statuses', { includeInactive: true }).data;

  const remove = useMutation({
    mutationFn: () => api.delete(`/leads/${id}`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['leads', id] });
      void qc.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ message: t('leads.deleted') });
      navigate('/leads');
    },
    onError: (e) => notifyError(t, e),
  });

  if (!(id > 0)) return <QueryError error={new ApiError(404, 'not_found', 'not found')} />;
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!lead || !form) return null;
  const converted = lead.statusSemantic === 'converted';
  const saveChanges = () => {
    const keys = changedKeys(leadToForm(base ?? lead), form);
    const { body, invalid } = leadBody(Object.fromEntries(keys.map((k) => [k, form[k]])), lead.currency);
    if (invalid.length) return setErrors({ amount: t('leads.invalidAmount') });
    save.mutate(body);
  };
  const utm = (['utmSource', 'utmMedium', 'utmCampaign', 'utmContent', 'utmTerm'] as const).filter((k) => lead[k]);

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/leads" size="sm">
          {t('leads.title')}
        </Anchor>
        <Text size="sm">{lead.title}</Text>
      </Breadcrumbs>
      <PageHeader
        title={lead.title}
        actions={
          <>
            <Badge size="lg" variant="light" color={semanticColor(lead.statusSemantic)} data-testid="lead-status">
              {nameOf(statuses, lead.statusId) ?? lead.statusSemantic}
            </Badge>
            {!converted && <Button onClick={() => setConvertOpen(true)}>{t('leads.convert.action')}</Button>}
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default">{t('crm.actions')}</Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item color="red" onClick={() => setDeleteOpen(true)}>
                  {t('common.delete')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </>
        }
      />
      {converted && (
        <Alert color="green" mb="md" title={t('leads.convertedTitle', { date: lead.convertedAt ? fmt.dateTime(lead.convertedAt) : '' })} data-testid="lead-converted">
          <Group gap="md">
            {lead.convertedDealId && (
              <Anchor component={Link} to={`/deals/${lead.convertedDealId}`}>
                {t('leads.openDeal', { id: lead.convertedDealId })}
              </Anchor>
            )}
            {lead.convertedContactId && (
              <Anchor component={Link} to={`/contacts/${lead.convertedContactId}`}>
                {t('leads.openContact')}
              </Anchor>
            )}
            {lead.convertedCompanyId && (
              <Anchor component={Link} to={`/companies/${lead.convertedCompanyId}`}>
                {t('leads.openCompany')}
              </Anchor>
            )}
          </Group>
        </Alert>
      )}
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
          fields={changedKeys(leadToForm(base ?? lead), leadToForm(conflict)) as string[]}
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
              <LeadFields form={form} set={set} errors={errors} />
              <Text size="xs" c="dimmed" mt="sm">
                {t('crm.createdAt', { date: fmt.dateTime(lead.createdAt) })}
              </Text>
              <SaveBar dirty={dirty} saving={save.isPending} onSave={saveChanges} onDiscard={() => reset()} />
            </Section>
            {utm.length > 0 && (
              <Section title={t('leads.utm')}>
                <Table>
                  <Table.Tbody>
                    {utm.map((k) => (
                      <Table.Tr key={k}>
                        <Table.Th w={160}>{t(`crm.fields.${k}`)}</Table.Th>
                        <Table.Td>{lead[k]}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, lg: 7 }}>
          <Stack>
            <ActivityAndHistory owner="leads" id={lead.id} currency={lead.currency} />
          </Stack>
        </Grid.Col>
      </Grid>
      {convertOpen && <ConvertDialog lead={lead} opened={convertOpen} onClose={() => setConvertOpen(false)} />}
      <ConfirmModal opened={deleteOpen} title={t('leads.deleteTitle')} confirmLabel={t('common.delete')} loading={remove.isPending} onConfirm={() => remove.mutate()} onClose={() => setDeleteOpen(false)}>
        <Text size="sm">{t('leads.deleteText', { title: lead.title })}</Text>
      </ConfirmModal>
    </>
  );
}
