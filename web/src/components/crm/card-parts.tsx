import type { ReactNode } from 'react';
import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../icons';
import { ActivitiesPanel } from '../record/ActivitiesPanel';
import { Timeline } from '../record/Timeline';

/** A titled block of a card. */
export function Section({ title, children, actions, testId }: { title: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title} data-testid={testId}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/** Save / discard when the card's fields differ from the saved record (sticky at the bottom). */
export function SaveBar({ dirty, saving, onSave, onDiscard }: { dirty: boolean; saving: boolean; onSave: () => void; onDiscard: () => void }) {
  const { t } = useTranslation();
  if (!dirty) return null;
  return (
    <Paper withBorder shadow="sm" p="xs" mt="md" style={{ position: 'sticky', bottom: 8, zIndex: 5 }} data-testid="save-bar">
      <Group justify="flex-end" gap="xs">
        <Button variant="default" size="sm" onClick={onDiscard}>
          {t('crm.discard')}
        </Button>
        <Button size="sm" onClick={onSave} loading={saving}>
          {t('common.save')}
        </Button>
      </Group>
    </Paper>
  );
}

/** Someone else saved first: which fields they changed, and a reload. */
export function ConflictAlert({ fields, onReload }: { fields: string[]; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" icon={<Icon name="alert" />} title={t('crm.conflict.title')} mb="md" role="alert">
      <Stack gap="xs" align="flex-start">
        <span>{fields.length ? t('crm.conflict.fields', { fields: fields.map((f) => t(`crm.fields.${f}`, { defaultValue: f })).join(', ') }) : t('crm.conflict.noFields')}</span>
        <Button size="xs" color="orange" onClick={onReload}>
          {t('crm.conflict.reload')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** Activities and timeline of a record (the shared record components): the right-hand side of a card. */
export function ActivityAndHistory({ owner, id, currency, canEdit = true }: { owner: 'leads' | 'contacts' | 'companies'; id: number; currency?: string; canEdit?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Section title={t('crm.activitiesTitle')} testId="activities-panel">
        <ActivitiesPanel entity={owner} id={id} canEdit={canEdit} />
      </Section>
      <Section title={t('record.timeline.title')}>
        <Timeline entity={owner} id={id} currency={currency} canComment={canEdit} />
      </Section>
    </>
  );
}
