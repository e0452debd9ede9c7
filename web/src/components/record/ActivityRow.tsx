import type { ReactNode } from 'react';
import { ActionIcon, Anchor, Badge, Button, Group, Menu, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUsers } from '../../api/lookups';
import { useFormat } from '../../lib/use-format';
import { CommLinks } from '../crm/CommLinks';
import type { CommValue } from '../crm/comm-links';
import { ownerHref, type Activity, type ActivityType } from './activity';
import { RESCHEDULE_PRESETS, rescheduleTarget, type ReschedulePreset } from './reschedule';

// One activity in a list — the same row on the record cards and in My day: kind, subject, deadline
// (red when overdue), responsible, the record it belongs to, description and result; for someone
// who may change it, «Выполнено», «Перенести» (an hour, tomorrow, a week, a picked date), edit and
// cancel. The handlers come from useActivityActions().

export interface RowActions {
  onDone: () => void;
  onCancel: () => void;
  onEdit: () => void;
  onReschedule: (preset: ReschedulePreset) => void;
  onPickDate: () => void;
  /** a change of this activity is on its way */
  busy?: boolean;
}

/** The list the rows go in (a <ul> with a name). */
export function ActivityList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={label}>
      {children}
    </Stack>
  );
}

const TYPE_COLOR: Record<ActivityType, string> = { call: 'blue', meeting: 'violet', email: 'cyan', task: 'gray' };

export function ActivityRow({
  activity: a,
  actions,
  owner,
  showResponsible = true,
  testId = 'activity',
  phones,
}: {
  activity: Activity;
  /** absent: read only (no right to change it, or a finished one) */
  actions?: RowActions;
  /** show the link to the record the activity belongs to (with its title once known) */
  owner?: { title?: string };
  showResponsible?: boolean;
  testId?: string;
  /** a call's numbers to dial (tel: links) */
  phones?: CommValue[];
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers({ enabled: showResponsible });
  const responsible = showResponsible ? users.data?.find((u) => u.id === a.responsibleId)?.name : undefined;
  return (
    <Paper
      component="li"
      withBorder
      py={6}
      px="xs"
      radius="sm"
      id={`activity-${a.id}`}
      data-testid={testId}
      data-overdue={a.overdue ? 'true' : 'false'}
      style={{
        borderLeft: `3px solid var(--mantine-color-${a.overdue ? 'red-7' : a.status === 'planned' ? 'blue-4' : 'gray-4'})`,
        background: a.overdue ? 'var(--mantine-color-red-0)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 14rem' }}>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="light" color={TYPE_COLOR[a.type]}>
              {t(`record.activity.type.${a.type}`)}
            </Badge>
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {a.subject}
            </Text>
            {a.status !== 'planned' && (
              <Badge size="xs" variant="outline" color={a.status === 'done' ? 'green' : 'gray'}>
                {t(`record.activity.status.${a.status}`)}
              </Badge>
            )}
            {a.overdue && (
              <Badge size="xs" color="red" variant="filled" data-testid="overdue-mark">
                {t('record.activity.overdue')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c={a.overdue ? 'red.9' : 'dimmed'} fw={a.overdue ? 600 : undefined} data-testid="activity-deadline">
            {a.deadlineAt ? `${t('record.activity.deadline')}: ${fmt.dateTime(a.deadlineAt)} (${fmt.relative(a.deadlineAt)})` : t('record.activity.noDeadline')}
            {responsible ? ` · ${responsible}` : ''}
          </Text>
          {owner && a.entityType && a.entityId && (
            <Text size="xs">
              {t(`record.activity.owner.${a.entityType}`)}:{' '}
              <Anchor component={Link} to={ownerHref(a.entityType, a.entityId)} size="xs">
                {owner.title ?? `№${a.entityId}`}
              </Anchor>
            </Text>
          )}
          {phones && phones.length > 0 && <CommLinks phones={phones} max={2} size="xs" prefix={t('crm.comms.call')} />}
          {a.description && (
            <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={4}>
              {a.description}
            </Text>
          )}
          {a.result && (
            <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {t('record.activity.result')}: {a.result}
            </Text>
          )}
        </Stack>
        {actions && <RowButtons activity={a} actions={actions} />}
      </Group>
    </Paper>
  );
}

function RowButtons({ activity: a, actions }: { activity: Activity; actions: RowActions }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-sm" variant="light" color="green" onClick={actions.onDone} aria-label={t('record.activity.doneNamed', { subject: a.subject })}>
        {t('record.activity.done')}
      </Button>
      <RescheduleMenu activity={a} actions={actions} />
      <Tooltip label={t('record.activity.edit')}>
        <ActionIcon variant="subtle" color="gray" onClick={actions.onEdit} aria-label={t('record.activity.editNamed', { subject: a.subject })}>
          <span aria-hidden>✎</span>
        </ActionIcon>
      </Tooltip>
      <Tooltip label={t('record.activity.cancel')}>
        <ActionIcon variant="subtle" color="gray" onClick={actions.onCancel} aria-label={t('record.activity.cancelNamed', { subject: a.subject })}>
          <span aria-hidden>✕</span>
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function RescheduleMenu({ activity: a, actions }: { activity: Activity; actions: RowActions }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button size="compact-sm" variant="default" loading={actions.busy} aria-label={t('record.activity.rescheduleNamed', { subject: a.subject })}>
          {t('record.activity.reschedule')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('record.activity.rescheduleTo')}</Menu.Label>
        {RESCHEDULE_PRESETS.map((p) => {
          // the dropdown is rendered when it opens: "now" is the moment of opening
          const target = rescheduleTarget(p, a.deadlineAt, new Date(), fmt.timeZone);
          return (
            <Menu.Item
              key={p}
              onClick={() => actions.onReschedule(p)}
              rightSection={
                <Text size="xs" c="dimmed" ml="md">
                  {p === 'hour' ? fmt.time(target) : fmt.dateTime(target)}
                </Text>
              }
            >
              {t(`record.activity.preset.${p}`)}
            </Menu.Item>
          );
        })}
        <Menu.Divider />
        <Menu.Item onClick={actions.onPickDate}>{t('record.activity.preset.pick')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
