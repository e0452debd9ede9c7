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
import { personName, type Duplicate } from '../../components/crm/records';
import { PageHeader, PageLoader, QueryError } from '../../components/page';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { ContactFields } from './ContactFields';
import { contactBody, contactToForm, type Contact } from './types';

export function ContactCard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['contacts', id], queryFn: ({ signal }) => api.get<Contact>(`/contacts/${id}`, undefined, { signal }), enabled: id > 0 });
  const contact = q.data;
  const { form, set, dirty, reset, base } = useEditForm(contact, contactToForm);
  const { save, errors, conflict, reload } = useSaveRecord('contacts', base, reset);
  const [duplicates, setDuplicates] = useState<Duplicate[]>(() => (location.state as { duplicates?: Duplicate[] } | null)?.duplicates ?? []);
  const [mergeOpen, setMergeOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const types = useReferenceList('contact-types').data;
  const sources = useReferenceList('sources').data;

  const remove = useMutation({
    mutationFn: () => api.delete(`/contacts/${id}`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['contacts', id] });
      void qc.invalidateQueries({ queryKey: ['contacts', 'list'] });
      notifications.show({ message: t('contacts.deleted') });
      navigate(duplicates[0]?.entity === 'contact' ? `/contacts/${duplicates[0].id}` : '/contacts');
    },
    onError: (e) => notifyError(t, e),
  });

  if (!(id > 0)) return <QueryError error={new ApiError(404, 'not_found', 'not found')} />;
  if (q.isPending) return <PageLoader />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!contact || !form) return null;
  const title = contact.fullName || personName(contact) || t('contacts.noName');
  const save_ = () => {
    const before = contactToForm(base ?? contact);
    const keys = changedKeys(before, form);
    save.mutate(contactBody(Object.fromEntries(keys.map((k) => [k, form[k]]))));
  };

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/contacts" size="sm">
          {t('contacts.title')}
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
                {duplicates.some((d) => d.entity === 'contact') && (
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
      {conflict && <ConflictAlert fields={changedKeys(contactToForm(base ?? contact), contactToForm(conflict)) as string[]} onReload={() => { reload(); reset(conflict); }} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6, lg: 5 }}>
          <Stack>
            <Section title={t('crm.about')}>
              <ContactFields form={form} set={set} errors={errors} />
              <Text size="xs" c="dimmed" mt="sm">
                {t('crm.createdAt', { date: fmt.dateTime(contact.createdAt) })}
              </Text>
              <SaveBar dirty={dirty} saving={save.isPending} onSave={save_} onDiscard={() => reset()} />
            </Section>
            <Section title={t('crm.deals.title')}>
              <RecordDeals by="contactId" id={contact.id} />
            </Section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6, lg: 7 }}>
          <Stack>
            <ActivityAndHistory owner="contacts" id={contact.id} />
          </Stack>
        </Grid.Col>
      </Grid>
      <MergeDialog
        resource="contacts"
        survivor={contact}
        survivorLabel={title}
        opened={mergeOpen}
        onClose={() => setMergeOpen(false)}
        suggestions={duplicates.filter((d) => d.entity === 'contact').map((d) => ({ id: d.id, label: qc.getQueryData<Contact>(['contacts', d.id])?.fullName ?? `#${d.id}` }))}
        rows={(s, o) => [
          mergeScalar('lastName', s.lastName, o.lastName),
          mergeScalar('firstName', s.firstName, o.firstName),
          mergeScalar('middleName', s.middleName, o.middleName),
          mergeScalar('position', s.position, o.position),
          mergeScalar('birthday', s.birthday, o.birthday, (v) => (v ? fmt.date(v as string) : '')),
          mergeScalar('typeId', s.typeId, o.typeId, (v) => nameOf(types, v as number) ?? ''),
          mergeScalar('sourceId', s.sourceId, o.sourceId, (v) => nameOf(sources, v as number) ?? ''),
          mergeList('phones', s.phones, o.phones, (p) => p.normalized ?? p.value, (p) => p.value),
          mergeList('emails', s.emails, o.emails, (p) => p.normalized ?? p.value.toLowerCase(), (p) => p.value),
          mergeList('companyIds', s.companyIds, o.companyIds, String, (c) => qc.getQueryData<{ name: string }>(['companies', c])?.name ?? `#${c}`),
          mergeScalar('comment', s.comment, o.comment),
        ]}
      />
      <ConfirmModal opened={deleteOpen} title={t('contacts.deleteTitle')} confirmLabel={t('common.delete')} loading={remove.isPending} onConfirm={() => remove.mutate()} onClose={() => setDeleteOpen(false)}>
        <Text size="sm">{t('contacts.deleteText', { name: title })}</Text>
      </ConfirmModal>
    </>
  );
}
