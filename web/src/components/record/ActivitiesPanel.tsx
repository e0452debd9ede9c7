import { useState } from 'react';
import { ActionIcon, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { Page } from '../../api/types';
import { useCurrentUser } from '../../auth/session';
import { errorMessage, notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { QueryError } from '../page';
import { activitiesQueryKey, invalidateAfterActivity } from './keys';
import { userOptions, useUsers } from '../../api/lookups';
import { SINGULAR, type RecordEntity } from './keys';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

// The activities (дела) of a record: the planned ones, soonest first (overdue in red), each with
// «done» (asks for the result) and «cancel» (asks to confirm); a button to plan a call, meeting,
// e-mail or task with a subject, deadline and responsible; the finished ones on request.
//
//   <ActivitiesPanel entity="deals" id={deal.id} />

export const ACTIVITY_TYPES = ['call', 'meeting', 'email', 'task'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface Activity {
  id: number;
  type: ActivityType;
  subject: string;
  description: string | null;
  startAt: string | null;
  deadlineAt: string | null;
  responsibleId: number;
  entityType: string | null;
  entityId: number | null;
  status: 'planned' | 'done' | 'cancelled';
  result: string | null;
  completedAt: string | null;
  overdue: boolean;
  version: number;
}

export interface ActivitiesPanelProps {
  entity: RecordEntity;
  id: number;
  /** false: list only (no planning, completing or cancelling) */
  canEdit?: boolean;
}

export function ActivitiesPanel({ entity, id, canEdit = true }: ActivitiesPanelProps) {
  const { t } = useTranslation();
  const [planning, setPlanning] = useState(false);
  const [showClosed, setShowClosed] = useState(false);
  const [completing, setCompleting] = useState<Activity | null>(null);
  const [cancelling, setCancelling] = useState<Activity | null>(null);

  const planned = useQuery({
    queryKey: [...activitiesQueryKey(entity, id), 'planned'],
    queryFn: ({ signal }) => api.get<Page<Activity>>(`/${entity}/${id}/activities`, { status: 'planned', sort: 'deadlineAt', limit: 100 }, { signal }),
  });
  const closed = useQuery({
    queryKey: [...activitiesQueryKey(entity, id), 'closed'],
    queryFn: ({ signal }) => api.get<Page<Activity>>(`/${entity}/${id}/activities`, { status: ['done', 'cancelled'], sort: '-id', limit: 50 }, { signal }),
    enabled: showClosed,
  });

  const items = planned.data?.items ?? [];
  return (
    <Stack gap="sm" data-testid="activities">
      {canEdit && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => setPlanning(true)}>
            {t('record.activity.plan')}
          </Button>
        </Group>
      )}
      {planned.isError ? (
        <QueryError error={planned.error} onRetry={() => void planned.refetch()} />
      ) : planned.isPending ? (
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="orange.8" data-testid="no-next-step">
          {t('record.activity.none')}
        </Text>
      ) : (
        <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('record.activity.plannedList')}>
          {items.map((a) => (
            <ActivityRow key={a.id} activity={a} canEdit={canEdit} onDone={() => setCompleting(a)} onCancel={() => setCancelling(a)} />
          ))}
        </Stack>
      )}
      <Button variant="subtle" size="xs" onClick={() => setShowClosed((v) => !v)} aria-expanded={showClosed}>
        {showClosed ? t('record.activity.hideClosed') : t('record.activity.showClosed')}
      </Button>
      {showClosed &&
        (closed.isError ? (
          <QueryError error={closed.error} onRetry={() => void closed.refetch()} />
        ) : (closed.data?.items.length ?? 0) === 0 ? (
          <Text size="sm" c="dimmed">
            {closed.isPending ? t('common.loading') : t('record.activity.noneClosed')}
          </Text>
        ) : (
          <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('record.activity.closedList')}>
            {closed.data!.items.map((a) => (
              <ActivityRow key={a.id} activity={a} canEdit={false} />
            ))}
          </Stack>
        ))}
      <PlanActivityModal entity={entity} id={id} opened={planning} onClose={() => setPlanning(false)} />
      <CompleteModal entity={entity} id={id} activity={completing} onClose={() => setCompleting(null)} />
      <CancelModal entity={entity} id={id} activity={cancelling} onClose={() => setCancelling(null)} />
    </Stack>
  );
}

function ActivityRow({ activity: a, canEdit, onDone, onCancel }: { activity: Activity; canEdit: boolean; onDone?: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const responsible = users.data?.find((u) => u.id === a.responsibleId)?.name;
  return (
    <Paper component="li" withBorder p="xs" radius="sm" data-testid="activity" style={a.overdue ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="light" color={TYPE_COLOR[a.type]}>
              {t(`record.activity.type.${a.type}`)}
            </Badge>
            {a.status !== 'planned' && (
              <Badge size="xs" variant="outline" color={a.status === 'done' ? 'green' : 'gray'}>
                {t(`record.activity.status.${a.status}`)}
              </Badge>
            )}
            {a.overdue && (
              <Badge size="xs" color="red">
                {t('record.activity.overdue')}
              </Badge>
            )}
          </Group>
          <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {a.subject}
          </Text>
          <Text size="xs" c={a.overdue ? 'red.7' : 'dimmed'}>
            {a.deadlineAt ? `${t('record.activity.deadline')}: ${fmt.dateTime(a.deadlineAt)} (${fmt.relative(a.deadlineAt)})` : t('record.activity.noDeadline')}
            {responsible ? ` · ${responsible}` : ''}
          </Text>
          {a.description && (
            <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
              {a.description}
            </Text>
          )}
          {a.result && (
            <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
              {t('record.activity.result')}: {a.result}
            </Text>
          )}
        </Stack>
        {canEdit && a.status === 'planned' && (
          <Group gap={4} wrap="nowrap">
            <Tooltip label={t('record.activity.done')}>
              <ActionIcon variant="light" color="green" onClick={onDone} aria-label={t('record.activity.doneNamed', { subject: a.subject })}>
                ✓
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('record.activity.cancel')}>
              <ActionIcon variant="subtle" color="gray" onClick={onCancel} aria-label={t('record.activity.cancelNamed', { subject: a.subject })}>
                ✕
              </ActionIcon>
            </Tooltip>
          </Group>
        )}
      </Group>
    </Paper>
  );
}

const TYPE_COLOR: Record<ActivityType, string> = { call: 'blue', meeting: 'violet', email: 'cyan', task: 'gray' };

/** Tomorrow 10:00 in the user's time zone, as a datetime-local value. */
function defaultDeadline(timeZone?: string): string {
  const now = new Date();
  const local = utcIsoToZonedLocal(new Date(now.getTime() + 86_400_000).toISOString(), timeZone);
  return `${local.slice(0, 10)}T10:00`;
}

function PlanActivityModal({ entity, id, opened, onClose }: { entity: RecordEntity; id: number; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const users = useUsers();
  const [type, setType] = useState<ActivityType>('call');
  const [subject, setSubject] = useState('');
  const [deadline, setDeadline] = useState(() => defaultDeadline(fmt.timeZone));
  const [responsible, setResponsible] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const reset = () => {
    setType('call');
    setSubject('');
    setDeadline(defaultDeadline(fmt.timeZone));
    setResponsible(null);
    setDescription('');
    setErrors({});
  };
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Activity>('/activities', body),
    onSuccess: () => {
      invalidateAfterActivity(qc, entity, id);
      reset();
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setErrors(e.fieldErrors());
      else notifyError(t, e);
    },
  });
  const submit = () => {
    const errs: Record<string, string> = {};
    if (!subject.trim()) errs.subject = t('common.required');
    let deadlineAt: string | null = null;
    if (deadline) {
      deadlineAt = zonedLocalToUtcIso(deadline, fmt.timeZone);
      if (!deadlineAt) errs.deadlineAt = t('record.activity.badDeadline');
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    create.mutate({
      type,
      subject: subject.trim(),
      deadlineAt,
      responsibleId: responsible ? Number(responsible) : me.user.id,
      description: description.trim() || null,
      entityType: SINGULAR[entity],
      entityId: id,
    });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('record.activity.planTitle')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <div role="group" aria-label={t('record.activity.typeLabel')}>
            <SegmentedControl
              fullWidth
              value={type}
              onChange={(v) => setType(v as ActivityType)}
              data={ACTIVITY_TYPES.map((k) => ({ value: k, label: t(`record.activity.type.${k}`) }))}
            />
          </div>
          <TextInput
            label={t('record.activity.subject')}
            placeholder={t(`record.activity.subjectPlaceholder.${type}`)}
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
            data-autofocus
          />
          <TextInput
            type="datetime-local"
            label={t('record.activity.deadline')}
            description={fmt.timeZone ? t('record.activity.timeZone', { tz: fmt.timeZone }) : undefined}
            value={deadline}
            onChange={(e) => setDeadline(e.currentTarget.value)}
            error={errors.deadlineAt}
          />
          <Select
            label={t('record.activity.responsible')}
            data={userOptions(users.data, [me.user.id])}
            value={responsible ?? String(me.user.id)}
            onChange={setResponsible}
            searchable
            allowDeselect={false}
            error={errors.responsibleId}
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea label={t('record.activity.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('record.activity.planSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CompleteModal({ entity, id, activity, onClose }: { entity: RecordEntity; id: number; activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [result, setResult] = useState('');
  const complete = useMutation({
    mutationFn: (a: Activity) => api.post<Activity>(`/activities/${a.id}/complete`, { result: result.trim() || null, version: a.version }),
    onSuccess: () => {
      invalidateAfterActivity(qc, entity, id);
      setResult('');
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'version_conflict') invalidateAfterActivity(qc, entity, id);
    },
  });
  return (
    <Modal opened={activity !== null} onClose={onClose} title={t('record.activity.completeTitle')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (activity) complete.mutate(activity);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{activity?.subject}</Text>
          <Textarea
            label={t('record.activity.result')}
            placeholder={t('record.activity.resultPlaceholder')}
            autosize
            minRows={3}
            value={result}
            onChange={(e) => setResult(e.currentTarget.value)}
            error={complete.isError ? errorMessage(t, complete.error) : undefined}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="green" loading={complete.isPending}>
              {t('record.activity.completeSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CancelModal({ entity, id, activity, onClose }: { entity: RecordEntity; id: number; activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cancel = useMutation({
    mutationFn: (a: Activity) => api.post<Activity>(`/activities/${a.id}/cancel`, { version: a.version }),
    onSuccess: () => {
      invalidateAfterActivity(qc, entity, id);
      onClose();
    },
    onError: (e) => notifyError(t, e),
  });
  return (
    <Modal opened={activity !== null} onClose={onClose} title={t('record.activity.cancelTitle')} centered>
      <Text size="sm" mb="md">
        {t('record.activity.cancelText', { subject: activity?.subject ?? '' })}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose} data-autofocus>
          {t('record.activity.keep')}
        </Button>
        <Button color="red" loading={cancel.isPending} onClick={() => activity && cancel.mutate(activity)}>
          {t('record.activity.cancelSubmit')}
        </Button>
      </Group>
    </Modal>
  );
}
