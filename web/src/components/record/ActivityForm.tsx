import { useState } from 'react';
import { Alert, Button, Group, List, Modal, SegmentedControl, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { assignableOptions, useAssignable, useUsers } from '../../api/lookups';
import { useCurrentUser } from '../../auth/session';
import { errorMessage } from '../../lib/errors';
import { DialogButtons } from '../ConfirmModal';
import { useFormat } from '../../lib/use-format';
import { dropDraft, readDraft, writeDraft } from '../../lib/use-draft';
import { ACTIVITY_TYPES, type Activity, type ActivityType, type OwnerType } from './activity';
import {
  DESCRIPTION_MAX,
  FORM_FIELDS,
  SUBJECT_MAX,
  changedBody,
  checkValues,
  createBody,
  mergeOnConflict,
  newActivityDraftKey,
  newValues,
  valuesOf,
  type ActivityValues,
  type FormField,
  type Merge,
} from './activity-form-logic';
import { localizeFieldMessage } from './server-message';
import { zonedLocalToUtcIso } from './zoned-time';

// One form to plan an activity and to edit a planned one: kind, subject, deadline (date and time
// in the user's time zone), responsible, description. An edit sends only the changed fields with
// the version it started from; a 409 keeps everything the user typed, takes over what someone else
// changed meanwhile and says what clashed, and the next save goes on top of the new version.
//
//   <ActivityFormModal opened title={t('record.activity.planTitle')} owner={{ type: 'deal', id }} onClose=… onSaved=… />
//   <ActivityFormModal opened title={t('record.activity.editTitle')} activity={a} onClose=… onSaved=… onStale=… />

export interface ActivityFormProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** edit this activity; without it the form plans a new one on `owner` */
  activity?: Activity | null;
  owner?: { type: OwnerType; id: number } | null;
  /** the responsible a new activity starts with (default: the user) */
  defaultResponsibleId?: number;
  /** after a successful save; `before` is the version that was edited (null for a new one) */
  onSaved: (saved: Activity, before: Activity | null) => void;
  /** the server has another version (or none): the lists showing the activity should reload */
  onStale?: () => void;
}

export function ActivityFormModal(props: ActivityFormProps) {
  // a fresh form on every opening; the edited activity is kept while the modal fades out
  const [session, setSession] = useState({ n: 0, open: false, activity: props.activity ?? null });
  if (props.opened !== session.open) setSession({ n: session.n + (props.opened ? 1 : 0), open: props.opened, activity: props.opened ? (props.activity ?? null) : session.activity });
  // a new activity's form keeps what was typed until it is saved or the user closes it (not when a
  // session expiry takes the page away: after logging in again the panel reopens it)
  const draftKey = !props.activity && props.owner ? newActivityDraftKey(props.owner) : null;
  const close = () => {
    if (draftKey) dropDraft(draftKey);
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={props.title} centered size="lg">
      <ActivityFormBody key={session.n} {...props} activity={session.activity} onClose={close} draftKey={draftKey} />
    </Modal>
  );
}

type Errors = Partial<Record<FormField, string>>;

function ActivityFormBody({ activity, owner, defaultResponsibleId, onSaved, onStale, onClose, draftKey }: ActivityFormProps & { draftKey: string | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const tz = fmt.timeZone;
  const me = useCurrentUser();
  const users = useUsers();
  // the version being edited: the opened one, then the server's after a conflict
  const [base, setBase] = useState<Activity | null>(activity ?? null);
  const assignable = useAssignable('activity', base ? 'update' : 'create');
  const [values, setValues] = useState<ActivityValues>(() => (activity ? valuesOf(activity, tz) : ((draftKey && readDraft<ActivityValues>(draftKey)) || newValues(defaultResponsibleId ?? me.user.id, new Date(), tz))));
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ merge: Merge; theirs: ActivityValues; status: Activity['status'] } | null>(null);
  const set = <K extends FormField>(field: K, value: ActivityValues[K]) => {
    setValues((v) => {
      const next = { ...v, [field]: value };
      if (draftKey) writeDraft(draftKey, next);
      return next;
    });
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      base
        ? api.patch<Activity>(`/activities/${base.id}`, { ...body, version: base.version })
        : api.post<Activity>('/activities', { ...body, entityType: owner?.type ?? null, entityId: owner?.id ?? null }),
    onSuccess: (saved) => {
      onSaved(saved, base);
      onClose();
    },
    onError: (e, body) => {
      if (!isApiError(e)) return setProblem(errorMessage(t, e));
      if (e.code === 'version_conflict' && base && e.current) {
        const current = e.current as Activity;
        const theirs = valuesOf(current, tz);
        const merge = mergeOnConflict(values, valuesOf(base, tz), theirs);
        setValues(merge.values);
        setBase(current);
        setConflict({ merge, theirs, status: current.status });
        setProblem(null);
        onStale?.();
      } else if (e.status === 404) {
        setProblem(errorMessage(t, e));
        onStale?.();
      } else if (e.code === 'forbidden' && 'responsibleId' in body && Number(body.responsibleId) !== (base?.responsibleId ?? me.user.id)) {
        setErrors({ responsibleId: t('record.activity.forbiddenResponsible') });
      } else if (e.fields.length) {
        const fields = e.fieldErrors();
        setErrors(Object.fromEntries(Object.entries(fields).map(([k, m]) => [k, localizeFieldMessage(t, m)])));
        if (!Object.keys(fields).some((k) => (FORM_FIELDS as string[]).includes(k))) setProblem(errorMessage(t, e));
      } else setProblem(errorMessage(t, e));
    },
  });

  const submit = () => {
    const found = checkValues(values, tz);
    setErrors(
      Object.fromEntries(
        Object.entries(found).map(([f, p]) => [f, p === 'required' ? t('common.required') : p === 'badDeadline' ? t('record.activity.badDeadline') : t('record.activity.tooLong', { max: f === 'subject' ? SUBJECT_MAX : DESCRIPTION_MAX })]),
      ),
    );
    if (Object.keys(found).length) return;
    setProblem(null);
    if (!base) return save.mutate(createBody(values, tz));
    const body = changedBody(values, valuesOf(base, tz), tz);
    if (Object.keys(body).length === 0) return onClose(); // nothing changed
    save.mutate(body);
  };

  const responsibleOptions = assignableOptions(users.data, assignable.data, [base ? base.responsibleId : me.user.id, Number(values.responsibleId)]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <Stack gap="sm">
        {conflict && (
          <ConflictNote
            conflict={conflict}
            onTakeTheirs={() => {
              setValues(conflict.theirs);
              setConflict(null);
              setErrors({});
            }}
          />
        )}
        {problem && (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        )}
        <div role="group" aria-label={t('record.activity.typeLabel')}>
          <SegmentedControl
            fullWidth
            value={values.type}
            onChange={(v) => set('type', v as ActivityType)}
            data={ACTIVITY_TYPES.map((k) => ({ value: k, label: t(`record.activity.type.${k}`) }))}
          />
        </div>
        <TextInput
          label={t('record.activity.subject')}
          placeholder={t(`record.activity.subjectPlaceholder.${values.type}`)}
          required
          value={values.subject}
          onChange={(e) => set('subject', e.currentTarget.value)}
          error={errors.subject}
          maxLength={SUBJECT_MAX + 50}
          data-autofocus
        />
        <TextInput
          type="datetime-local"
          label={t('record.activity.deadline')}
          description={tz ? t('record.activity.timeZone', { tz }) : undefined}
          value={values.deadlineAt}
          onChange={(e) => set('deadlineAt', e.currentTarget.value)}
          error={errors.deadlineAt}
        />
        <Select
          label={t('record.activity.responsible')}
          data={responsibleOptions}
          value={values.responsibleId}
          onChange={(v) => v && set('responsibleId', v)}
          searchable
          allowDeselect={false}
          error={errors.responsibleId}
          comboboxProps={{ withinPortal: true }}
        />
        <Textarea
          label={t('record.activity.description')}
          autosize
          minRows={2}
          maxRows={10}
          value={values.description}
          onChange={(e) => set('description', e.currentTarget.value)}
          error={errors.description}
        />
        <DialogButtons onCancel={onClose} submit actionLabel={base ? t('common.save') : t('record.activity.planSubmit')} loading={save.isPending} />
      </Stack>
    </form>
  );
}

/** What changed on the server while the user was editing, and what to do about it. */
function ConflictNote({ conflict, onTakeTheirs }: { conflict: { merge: Merge; theirs: ActivityValues; status: Activity['status'] }; onTakeTheirs: () => void }) {
  const { t } = useTranslation();
  const text = useValueText();
  const { merge, theirs, status } = conflict;
  const label = (f: FormField) => t(`record.activity.field.${f}`);
  return (
    <Alert color="orange" role="alert" title={t('record.activity.conflict.title')}>
      <Stack gap={6}>
        {status !== 'planned' && <div>{t('record.activity.conflict.closed', { status: t(`record.activity.status.${status}`) })}</div>}
        {merge.taken.length > 0 && <div>{t('record.activity.conflict.taken', { fields: merge.taken.map(label).join(', ') })}</div>}
        {merge.clashes.length > 0 && (
          <div>
            {t('record.activity.conflict.clashes')}
            <List size="sm" mt={4}>
              {merge.clashes.map((f) => (
                <List.Item key={f}>
                  {label(f)}: {text(f, theirs[f])}
                </List.Item>
              ))}
            </List>
          </div>
        )}
        <div>{t('record.activity.conflict.hint')}</div>
        <Group>
          <Button size="xs" variant="light" color="orange" onClick={onTakeTheirs}>
            {t('record.activity.conflict.takeTheirs')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** A form value as a person reads it: «Встреча», «28.11.2026, 10:30», a user's name, «—». */
function useValueText(): (field: FormField, value: string) => string {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  return (field, value) => {
    if (!value.trim()) return t('record.value.none');
    if (field === 'type') return t(`record.activity.type.${value}`);
    if (field === 'deadlineAt') {
      const iso = zonedLocalToUtcIso(value, fmt.timeZone);
      return iso ? fmt.dateTime(iso) : value;
    }
    if (field === 'responsibleId') return users.data?.find((u) => u.id === Number(value))?.name ?? t('record.value.userId', { id: value });
    return `«${value.trim()}»`;
  };
}
