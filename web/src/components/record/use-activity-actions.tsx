import { useState, type ReactNode } from 'react';
import { Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { useDepartments, useUsers } from '../../api/lookups';
import { useCurrentUser } from '../../auth/session';
import { errorMessage, notifyError } from '../../lib/errors';
import { useFormat } from '../../lib/use-format';
import { ConfirmModal } from '../ConfirmModal';
import { FormModal } from '../FormModal';
import { invalidateForActivity, mayUpdateActivity, type Activity } from './activity';
import { ActivityFormModal } from './ActivityForm';
import type { RowActions } from './ActivityRow';
import { defaultDeadlineLocal, rescheduleTarget, type ReschedulePreset } from './reschedule';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

// What can be done to a planned activity from a list (a record card, My day): complete with a
// result, cancel (confirmed), edit in the planning form, reschedule by a preset or to a picked
// date. `forRow(a)` gives a row its handlers, or nothing when the user may not change it;
// `modals` goes once into the screen.
//
//   const actions = useActivityActions({ onChanged: (a, before) => … });
//   {items.map((a) => <ActivityRow key={a.id} activity={a} actions={actions.forRow(a)} />)}
//   {actions.modals}

/** Whether the user may change an activity (their `activity.update` level; see mayUpdateActivity). */
export function useMayUpdateActivity(): (a: Pick<Activity, 'responsibleId'>) => boolean {
  const { user, permissions } = useCurrentUser();
  const level = permissions.entities.activity?.update ?? 'none';
  const users = useUsers({ enabled: level === 'department' || level === 'department_tree' });
  const departments = useDepartments({ enabled: level === 'department_tree' });
  return (a) => mayUpdateActivity(permissions, { id: user.id, departmentId: user.departmentId }, a.responsibleId, { users: users.data, departments: departments.data });
}

/** The last non-null value, so that a closing modal keeps its text while it fades out. */
function useShown<T>(value: T | null): T | null {
  const [last, setLast] = useState(value);
  if (value !== null && value !== last) setLast(value);
  return value ?? last;
}

export interface ActivityActionsOptions {
  /** false: no row gets actions (the record itself is read-only for the user) */
  canEdit?: boolean;
  /** after the server accepted a change (before the lists reload): e.g. regroup My day at once */
  onChanged?: (updated: Activity, before: Activity | null) => void;
}

export function useActivityActions({ canEdit = true, onChanged }: ActivityActionsOptions = {}): { forRow: (a: Activity) => RowActions | undefined; modals: ReactNode } {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const mayUpdate = useMayUpdateActivity();
  const [completing, setCompleting] = useState<Activity | null>(null);
  const [cancelling, setCancelling] = useState<Activity | null>(null);
  const [editing, setEditing] = useState<Activity | null>(null);
  const [picking, setPicking] = useState<Activity | null>(null);
  const cancelShown = useShown(cancelling);

  const changed = (updated: Activity, before: Activity | null) => {
    onChanged?.(updated, before);
    invalidateForActivity(qc, updated);
    // moved to another record: the old one loses it
    if (before && (before.entityType !== updated.entityType || before.entityId !== updated.entityId)) invalidateForActivity(qc, before);
  };
  const stale = (a: Activity) => invalidateForActivity(qc, a);

  const reschedule = useMutation({
    mutationFn: ({ a, deadlineAt }: { a: Activity; deadlineAt: string }) => api.patch<Activity>(`/activities/${a.id}`, { deadlineAt, version: a.version }),
    onSuccess: (updated, { a }) => {
      setPicking(null);
      changed(updated, a);
      notifications.show({
        color: 'green',
        message: t('record.activity.rescheduled', { subject: updated.subject, when: updated.deadlineAt ? fmt.dateTime(updated.deadlineAt) : '' }),
      });
    },
    onError: (e, { a }) => {
      notifyError(t, e);
      if (isApiError(e) && (e.code === 'version_conflict' || e.status === 404)) {
        stale(a);
        // the picker stays open on the server's version, so that trying again works
        if (e.current && picking) setPicking(e.current as Activity);
        else setPicking(null);
      }
    },
  });
  const cancel = useMutation({
    mutationFn: (a: Activity) => api.post<Activity>(`/activities/${a.id}/cancel`, { version: a.version }),
    onSuccess: (updated, a) => {
      setCancelling(null);
      changed(updated, a);
    },
    onError: (e, a) => {
      notifyError(t, e);
      if (isApiError(e) && (e.code === 'version_conflict' || e.status === 404)) {
        stale(a);
        setCancelling(null);
      }
    },
  });

  const forRow = (a: Activity): RowActions | undefined => {
    if (!canEdit || a.status !== 'planned' || !mayUpdate(a)) return undefined;
    return {
      onDone: () => setCompleting(a),
      onCancel: () => setCancelling(a),
      onEdit: () => setEditing(a),
      onPickDate: () => setPicking(a),
      onReschedule: (preset: ReschedulePreset) => reschedule.mutate({ a, deadlineAt: rescheduleTarget(preset, a.deadlineAt, new Date(), fmt.timeZone) }),
      busy: reschedule.isPending && reschedule.variables?.a.id === a.id,
    };
  };

  const modals = (
    <>
      <CompleteModal activity={completing} onClose={() => setCompleting(null)} onDone={changed} onStale={stale} onRetryWith={setCompleting} />
      <ConfirmModal
        opened={cancelling !== null}
        title={t('record.activity.cancelTitle')}
        confirmLabel={t('record.activity.cancelSubmit')}
        loading={cancel.isPending}
        onConfirm={() => cancelling && cancel.mutate(cancelling)}
        onClose={() => setCancelling(null)}
      >
        <Text size="sm">{t('record.activity.cancelText', { subject: cancelShown?.subject ?? '' })}</Text>
      </ConfirmModal>
      <ActivityFormModal
        opened={editing !== null}
        activity={editing}
        title={t('record.activity.editTitle')}
        onClose={() => setEditing(null)}
        onSaved={changed}
        onStale={() => editing && stale(editing)}
      />
      <PickDateModal activity={picking} onClose={() => setPicking(null)} pending={reschedule.isPending} onSubmit={(a, deadlineAt) => reschedule.mutate({ a, deadlineAt })} />
    </>
  );
  return { forRow, modals };
}

/** Mark an activity done with a result. A 409 keeps the typed result and retries on the server's version. */
function CompleteModal({
  activity,
  onClose,
  onDone,
  onStale,
  onRetryWith,
}: {
  activity: Activity | null;
  onClose: () => void;
  onDone: (updated: Activity, before: Activity) => void;
  onStale: (a: Activity) => void;
  onRetryWith: (a: Activity) => void;
}) {
  const { t } = useTranslation();
  const shown = useShown(activity);
  const [result, setResult] = useState('');
  // the typed result survives closing by mistake, not a switch to another activity
  const [forId, setForId] = useState(activity?.id);
  if (activity && activity.id !== forId) {
    setForId(activity.id);
    setResult('');
  }
  const complete = useMutation({
    mutationFn: (a: Activity) => api.post<Activity>(`/activities/${a.id}/complete`, { result: result.trim() || null, version: a.version }),
    onSuccess: (updated, a) => {
      setResult('');
      onClose();
      onDone(updated, a);
    },
    onError: (e, a) => {
      if (!isApiError(e) || (e.code !== 'version_conflict' && e.status !== 404)) return;
      onStale(a);
      const current = e.current as Activity | undefined;
      if (current?.status === 'planned') onRetryWith(current);
    },
  });
  return (
    <FormModal
      opened={activity !== null}
      title={t('record.activity.completeTitle')}
      onClose={onClose}
      onSubmit={() => activity && complete.mutate(activity)}
      submitLabel={t('record.activity.completeSubmit')}
      loading={complete.isPending}
    >
      <Text size="sm" fw={500}>
        {shown?.subject}
      </Text>
      <Textarea
        label={t('record.activity.result')}
        placeholder={t('record.activity.resultPlaceholder')}
        autosize
        minRows={3}
        maxLength={20_000}
        value={result}
        onChange={(e) => setResult(e.currentTarget.value)}
        error={complete.isError ? errorMessage(t, complete.error) : undefined}
        data-autofocus
      />
    </FormModal>
  );
}

/** «Выбрать дату…»: a new deadline, date and time in the user's zone. */
function PickDateModal({ activity, onClose, onSubmit, pending }: { activity: Activity | null; onClose: () => void; onSubmit: (a: Activity, deadlineAt: string) => void; pending: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const shown = useShown(activity);
  const initial = (a: Activity | null) => (a?.deadlineAt && !a.overdue ? utcIsoToZonedLocal(a.deadlineAt, fmt.timeZone) : defaultDeadlineLocal(new Date(), fmt.timeZone));
  const [value, setValue] = useState(() => initial(activity));
  const [error, setError] = useState<string | null>(null);
  // a new activity to move: start from its deadline (or tomorrow 10:00 for an overdue one)
  const [forId, setForId] = useState(activity?.id);
  if (activity && activity.id !== forId) {
    setForId(activity.id);
    setValue(initial(activity));
    setError(null);
  }
  const submit = () => {
    const iso = value ? zonedLocalToUtcIso(value, fmt.timeZone) : null;
    if (!iso) return setError(t('record.activity.badDeadline'));
    if (activity) onSubmit(activity, iso);
  };
  return (
    <FormModal opened={activity !== null} title={t('record.activity.rescheduleTitle')} onClose={onClose} onSubmit={submit} submitLabel={t('record.activity.rescheduleSubmit')} loading={pending}>
      <Text size="sm" fw={500}>
        {shown?.subject}
      </Text>
      {shown?.deadlineAt && (
        <Text size="xs" c="dimmed">
          {t('record.activity.currentDeadline', { when: fmt.dateTime(shown.deadlineAt) })}
        </Text>
      )}
      <TextInput
        type="datetime-local"
        label={t('record.activity.newDeadline')}
        description={fmt.timeZone ? t('record.activity.timeZone', { tz: fmt.timeZone }) : undefined}
        withAsterisk
        value={value}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setError(null);
        }}
        error={error}
        data-autofocus
      />
    </FormModal>
  );
}
