import type { ReactNode } from 'react';
import { Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { assignableOptions, refOptions, useAssignable, useReferenceList, userOptions, useUsers, type AssignEntity, type RefKind } from '../../api/lookups';
import { localizeFieldMessage } from '../record/server-message';
import { CommsEditor } from './CommsEditor';
import type { Communication } from './records';

// The editable fields of a lead, contact or company (the create form and the card), described by
// the entity as a list: each label is `crm.fields.<key>`, each server error is found by its key.

export interface FieldsProps<F> {
  form: F;
  set: <K extends keyof F>(k: K, v: F[K]) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  /** the record as saved (a card): its phones and e-mails get tel:/mailto: links */
  saved?: object;
  /** the responsible picker offers whom the user may assign: on a new record (create) or a hand-over (update) */
  assign?: { entity: AssignEntity; action: 'create' | 'update' };
}

type Key<F> = keyof F & string;

export type FieldSpec<F> =
  | { kind: 'text'; key: Key<F>; required?: boolean; type?: 'date'; /** i18n key */ description?: string; /** the API's path of its errors */ errorKey?: string }
  | { kind: 'textarea'; key: Key<F> }
  | { kind: 'comms'; key: 'phones' | 'emails' }
  | { kind: 'ref'; key: Key<F>; ref: RefKind }
  | { kind: 'responsible' }
  | { kind: 'grid'; fields: Array<FieldSpec<F>> }
  /** an input of its own (a lead's status, a contact's companies) */
  | { kind: 'render'; id: string; render: (p: FieldsProps<F>) => ReactNode };

/** Фамилия, Имя, Отчество, Должность in two columns (contacts, leads). */
export const personFields = <F extends { lastName: string; firstName: string; middleName: string; position: string }>(): FieldSpec<F> => ({
  kind: 'grid',
  fields: (['lastName', 'firstName', 'middleName', 'position'] as const).map((key) => ({ kind: 'text', key })),
});

export function RecordFields<F extends Record<string, unknown>>({ spec, errors, ...p }: FieldsProps<F> & { spec: Array<FieldSpec<F>> }) {
  const { t } = useTranslation();
  // the server words its messages in English: the common ones in the user's language
  const shown = Object.fromEntries(Object.entries(errors).map(([k, m]) => [k, localizeFieldMessage(t, m)]));
  return (
    <Stack gap="sm">
      {spec.map((s, i) => (
        <Field key={i} s={s} p={{ ...p, errors: shown }} />
      ))}
    </Stack>
  );
}

function Field<F extends Record<string, unknown>>({ s, p }: { s: FieldSpec<F>; p: FieldsProps<F> }) {
  const { t } = useTranslation();
  const { form, errors, disabled } = p;
  const set = p.set as (k: string, v: unknown) => void;
  switch (s.kind) {
    case 'text':
      return (
        <TextInput
          label={t(`crm.fields.${s.key}`)}
          type={s.type}
          description={s.description && t(s.description)}
          value={form[s.key] as string}
          onChange={(e) => set(s.key, e.currentTarget.value)}
          error={errors[s.errorKey ?? s.key]}
          required={s.required}
          disabled={disabled}
        />
      );
    case 'textarea':
      return <Textarea label={t(`crm.fields.${s.key}`)} autosize minRows={2} value={form[s.key] as string} onChange={(e) => set(s.key, e.currentTarget.value)} error={errors[s.key]} disabled={disabled} />;
    case 'comms':
      return (
        <CommsEditor
          kind={s.key}
          value={form[s.key] as Communication[]}
          onChange={(v) => set(s.key, v)}
          errors={errors}
          disabled={disabled}
          saved={(p.saved as Partial<Record<'phones' | 'emails', Communication[]>> | undefined)?.[s.key]}
        />
      );
    case 'ref':
      return <RefSelect kind={s.ref} label={t(`crm.fields.${s.key}`)} value={form[s.key] as string | null} onChange={(v) => set(s.key, v)} error={errors[s.key]} disabled={disabled} />;
    case 'responsible':
      return <ResponsibleSelect value={form.responsibleId as string | null} onChange={(v) => set('responsibleId', v)} error={errors.responsibleId} disabled={disabled} assign={p.assign} />;
    case 'grid':
      return (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          {s.fields.map((f, i) => (
            <Field key={i} s={f} p={p} />
          ))}
        </SimpleGrid>
      );
    case 'render':
      return <>{s.render(p)}</>;
  }
}

function RefSelect({ kind, label, value, onChange, error, disabled }: { kind: RefKind; label: string; value: string | null; onChange: (v: string | null) => void; error?: string; disabled?: boolean }) {
  const items = useReferenceList(kind).data;
  return <Select label={label} data={refOptions(items, Number(value))} value={value} onChange={onChange} clearable error={error} disabled={disabled} />;
}

function ResponsibleSelect({ value, onChange, error, disabled, assign }: { value: string | null; onChange: (v: string | null) => void; error?: string; disabled?: boolean; assign?: FieldsProps<unknown>['assign'] }) {
  const { t } = useTranslation();
  const users = useUsers().data;
  const assignable = useAssignable(assign?.entity ?? 'contact', assign?.action ?? 'update').data;
  return (
    <Select
      label={t('crm.fields.responsibleId')}
      data={assign ? assignableOptions(users, assignable, [Number(value)]) : userOptions(users, [Number(value)])}
      value={value}
      onChange={onChange}
      searchable
      allowDeselect={false}
      error={error}
      disabled={disabled}
    />
  );
}
