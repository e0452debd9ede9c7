import { useState, type ReactNode } from 'react';
import { Anchor, Badge, Box, Button, Group, Modal, Paper, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, isApiError } from '../../api/client';
import { notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { ownerHref, type Activity, type DealItem } from './my-day-logic';

const TYPES = ['call', 'meeting', 'email', 'task'] as const;

/** A titled block of a list with its count; says what "nothing here" means. */
export function Section({ title, count, total, empty, tone, children, testId }: { title: string; count: number; total?: number; empty: string; tone?: 'red'; children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const shown = total ?? count;
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId} component="section" aria-label={title}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h5" c={tone === 'red' && shown > 0 ? 'red.8' : undefined}>
          {title}
        </Title>
        <Badge variant={tone === 'red' && shown > 0 ? 'filled' : 'light'} color={tone === 'red' && shown > 0 ? 'red' : 'gray'} aria-label={t('myDay.countLabel', { count: shown })}>
          {shown}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>{children}</Stack>
      )}
      {total !== undefined && total > count && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('myDay.moreNotShown', { count: total - count })}
        </Text>
      )}
    </Paper>
  );
}

const OWNER_KEY = { deal: 'myDay.owner.deal', lead: 'myDay.owner.lead', contact: 'myDay.owner.contact', company: 'myDay.owner.company' } as const;

export function ActivityItem({ a, ownerTitle, responsibleName, onDone }: { a: Activity; ownerTitle?: string; responsibleName?: string; onDone: (a: Activity) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const when = a.deadlineAt ? (a.overdue ? `${fmt.dateTime(a.deadlineAt)} · ${fmt.relative(a.deadlineAt)}` : fmt.dateTime(a.deadlineAt)) : t('myDay.noDeadline');
  return (
    <Box
      data-testid="my-day-activity"
      data-overdue={a.overdue ? 'true' : 'false'}
      py={6}
      px="xs"
      style={{
        borderLeft: `3px solid var(--mantine-color-${a.overdue ? 'red-7' : 'blue-4'})`,
        background: a.overdue ? 'var(--mantine-color-red-0)' : undefined,
        borderRadius: 4,
      }}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant="light" color="gray">
              {t(`myDay.types.${a.type}`)}
            </Badge>
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {a.subject}
            </Text>
            {a.overdue && (
              <Badge size="xs" color="red" variant="filled" data-testid="overdue-mark">
                {t('myDay.overdueMark')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c={a.overdue ? 'red.8' : 'dimmed'} fw={a.overdue ? 600 : undefined}>
            {when}
            {responsibleName ? ` · ${responsibleName}` : ''}
          </Text>
          {a.entityType && a.entityId && (
            <Text size="xs">
              {t(OWNER_KEY[a.entityType])}:{' '}
              <Anchor component={Link} to={ownerHref(a.entityType, a.entityId)} size="xs">
                {ownerTitle ?? `№${a.entityId}`}
              </Anchor>
            </Text>
          )}
        </div>
        <Button size="compact-sm" variant="light" color="green" onClick={() => onDone(a)} aria-label={t('myDay.doneLabel', { subject: a.subject })}>
          {t('myDay.done')}
        </Button>
      </Group>
    </Box>
  );
}

export function DealNoStepItem({ d, responsibleName, onPlan }: { d: DealItem; responsibleName?: string; onPlan: (d: DealItem) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Box data-testid="my-day-deal" py={6} px="xs" style={{ borderLeft: '3px solid var(--mantine-color-orange-6)', borderRadius: 4 }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text span aria-hidden c="orange.8" fw={700}>
              !
            </Text>
            <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {d.title}
            </Anchor>
          </Group>
          <Text size="xs" c="dimmed">
            {fmt.money(d.amount, d.currency, { compactZeroFraction: true })} · {t('myDay.stageSince', { when: fmt.relative(d.stageChangedAt) })}
            {responsibleName ? ` · ${responsibleName}` : ''}
          </Text>
        </div>
        <Button size="compact-sm" variant="light" onClick={() => onPlan(d)} aria-label={t('myDay.planLabel', { title: d.title })}>
          {t('myDay.plan')}
        </Button>
      </Group>
    </Box>
  );
}

function useRefreshDay() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['activities'] });
    void qc.invalidateQueries({ queryKey: ['deals'] });
  };
}

/** Mark an activity done with a result. */
export function CompleteModal({ activity, onClose }: { activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [result, setResult] = useState('');
  const refresh = useRefreshDay();
  const qc = useQueryClient();
  const complete = useMutation({
    mutationFn: (a: Activity) => api.post<Activity>(`/activities/${a.id}/complete`, { result: result.trim() || null, version: a.version }),
    onSuccess: (a) => {
      setResult('');
      onClose();
      refresh();
      if (a.entityType && a.entityId) {
        const path = a.entityType === 'company' ? 'companies' : `${a.entityType}s`;
        void qc.invalidateQueries({ queryKey: [path, a.entityId] });
      }
    },
    onError: (e) => {
      notifyError(t, e);
      if (isApiError(e) && (e.status === 404 || e.code === 'version_conflict')) refresh();
    },
  });
  return (
    <Modal opened={!!activity} onClose={onClose} title={t('myDay.completeTitle', { subject: activity?.subject ?? '' })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (activity) complete.mutate(activity);
        }}
      >
        <Stack>
          <Textarea label={t('myDay.result')} description={t('myDay.resultHint')} value={result} onChange={(e) => setResult(e.currentTarget.value)} autosize minRows={3} maxLength={20000} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="green" loading={complete.isPending}>
              {t('myDay.markDone')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function tomorrowAtTen(): string {
  const d = new Date(Date.now() + 24 * 3600_000);
  d.setHours(10, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Plan the next step of a deal that has none (the deal's responsible does it). */
export function PlanModal({ deal, onClose }: { deal: DealItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshDay();
  const [type, setType] = useState<string>('call');
  const [subject, setSubject] = useState('');
  const [deadline, setDeadline] = useState(tomorrowAtTen);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const plan = useMutation({
    mutationFn: (d: DealItem) =>
      api.post<Activity>('/activities', {
        type,
        subject: subject.trim() || t(`myDay.types.${type}`),
        deadlineAt: deadline ? new Date(deadline).toISOString() : null,
        responsibleId: d.responsibleId,
        entityType: 'deal',
        entityId: d.id,
      }),
    onSuccess: () => {
      setSubject('');
      setErrors({});
      onClose();
      refresh();
    },
    onError: (e) => (isApiError(e) && e.fields.length ? setErrors(e.fieldErrors()) : notifyError(t, e)),
  });
  return (
    <Modal opened={!!deal} onClose={onClose} title={t('myDay.planTitle', { title: deal?.title ?? '' })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (deal) plan.mutate(deal);
        }}
      >
        <Stack gap="sm">
          <SegmentedControl aria-label={t('myDay.type')} value={type} onChange={setType} data={TYPES.map((ty) => ({ value: ty, label: t(`myDay.types.${ty}`) }))} />
          <TextInput label={t('myDay.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} placeholder={t(`myDay.types.${type}`)} error={errors.subject} data-autofocus />
          <TextInput type="datetime-local" label={t('myDay.deadline')} value={deadline} onChange={(e) => setDeadline(e.currentTarget.value)} error={errors.deadlineAt} required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={plan.isPending}>
              {t('myDay.planSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
