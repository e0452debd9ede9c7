import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { type Choice, type CustomField, FIELD_ENTITIES, FIELD_TYPES, type FieldEntity, type FieldType, useAllCustomFields } from '../../api/lookups';
import { type FieldErrors, STALE, useFormSave, useInvalidate } from './api';
import { ConfirmActionModal, useConfirmedAction } from './parts/confirm';
import { PillTabs, SectionHeader, useParamChoice } from './parts/layout';
import { type Column, EditDeleteButtons, RecordTable } from './parts/table';
import { type Editing, existingOf, fieldCodeFrom, withChoiceIds } from './settings-logic';

// Custom fields per record type: code (the API name, fixed once created), name, type, required,
// choices for lists, the record type for links. The type cannot change once values may exist.

export default function CustomFieldsSettings() {
  const { t } = useTranslation();
  const [entity, setEntity] = useParamChoice('entity', FIELD_ENTITIES, 'deal');
  const fields = useAllCustomFields({ staleTime: STALE });
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<Editing<CustomField>>(null);
  const remove = useConfirmedAction({
    action: (f: CustomField) => api.delete(`/custom-fields/${f.id}`),
    done: (f) => t('settings.fields.deleted', { name: f.name }),
    onDone: () => invalidate('custom-fields'),
  });

  const list = (fields.data ?? []).filter((f) => f.entity === entity).sort((a, b) => a.sort - b.sort || a.id - b.id);
  const columns: Array<Column<CustomField>> = [
    { header: t('settings.fields.name'), cell: (f) => f.name },
    {
      header: t('settings.fields.code'),
      cell: (f) => (
        <Text size="sm" ff="monospace">
          {f.code}
        </Text>
      ),
    },
    {
      header: t('settings.fields.type'),
      cell: (f) => (
        <>
          {t(`settings.fields.types.${f.type}`)}
          {f.options.choices?.length ? (
            <Text size="xs" c="dimmed">
              {f.options.choices.map((c) => c.label).join(', ')}
            </Text>
          ) : null}
        </>
      ),
    },
    { header: t('settings.fields.required'), cell: (f) => (f.required ? <Badge variant="light" tt="none">{t('settings.fields.requiredYes')}</Badge> : '—') },
  ];
  const createButton = <Button onClick={() => setEditing('new')}>{t('settings.fields.create')}</Button>;
  return (
    <Stack gap="md">
      <SectionHeader title={t('settings.fields.title')} action={createButton} />
      <PillTabs value={entity} values={FIELD_ENTITIES} onChange={setEntity} label={(e) => t(`settings.fields.entities.${e}`)} />
      {fields.isPending ? (
        <PageLoader />
      ) : fields.isError ? (
        <QueryError error={fields.error} onRetry={() => void fields.refetch()} />
      ) : !list.length ? (
        <Empty title={t('settings.fields.empty')} description={t('settings.fields.emptyHint')} action={createButton} />
      ) : (
        <RecordTable
          rows={list}
          columns={columns}
          minWidth={600}
          rowTestId="field-row"
          actions={(f) => <EditDeleteButtons name={f.name} onEdit={() => setEditing(f)} onDelete={() => remove.ask(f)} />}
        />
      )}
      <FieldModal field={editing} entity={entity} onClose={() => setEditing(null)} onSaved={() => invalidate('custom-fields')} />
      <ConfirmActionModal flow={remove} title={(f) => t('settings.fields.deleteTitle', { name: f.name })}>
        {t('settings.fields.deleteText')}
      </ConfirmActionModal>
    </Stack>
  );
}

const HAS_CHOICES: FieldType[] = ['list', 'multilist'];

function FieldModal({ field, entity, onClose, onSaved }: { field: Editing<CustomField>; entity: FieldEntity; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const existing = existingOf(field);
  const [form, setForm] = useState({ entity, name: '', code: '', codeTouched: false, type: 'string' as FieldType, required: false, recordEntity: 'contact' as FieldEntity });
  const [choices, setChoices] = useState<Array<{ id?: string; label: string }>>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  /** A record type select (where the field shows, what a link field points to): fixed once created. */
  const entityChoice = (k: 'entity' | 'recordEntity') => ({
    data: FIELD_ENTITIES.map((e) => ({ value: e, label: t(`settings.fields.entities.${e}`) })),
    value: form[k],
    onChange: (v: string | null) => v && setForm((f) => ({ ...f, [k]: v as FieldEntity })),
    disabled: !!existing,
    allowDeselect: false,
  });
  useEffect(() => {
    if (!field) return;
    setErrors({});
    if (existing) {
      setForm({ entity: existing.entity, name: existing.name, code: existing.code, codeTouched: true, type: existing.type, required: existing.required, recordEntity: existing.options.recordEntity ?? 'contact' });
      setChoices(existing.options.choices?.map((c) => ({ ...c })) ?? []);
    } else {
      setForm({ entity, name: '', code: '', codeTouched: false, type: 'string', required: false, recordEntity: 'contact' });
      setChoices([{ label: '' }]);
    }
    // the form is filled when the dialog opens for a field, not again
    // while it is being edited.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [field]);

  const save = useFormSave({
    save: () => {
      const options: { choices?: Choice[]; recordEntity?: FieldEntity } = {};
      if (HAS_CHOICES.includes(form.type)) options.choices = withChoiceIds(choices);
      if (form.type === 'record') options.recordEntity = form.recordEntity;
      const hasOptions = Object.keys(options).length > 0;
      if (existing) return api.patch<CustomField>(`/custom-fields/${existing.id}`, { name: form.name.trim(), required: form.required, ...(hasOptions ? { options } : {}), version: existing.version });
      return api.post<CustomField>('/custom-fields', { entity: form.entity, code: form.code, name: form.name.trim(), type: form.type, required: form.required, ...(hasOptions ? { options } : {}) });
    },
    setErrors,
    toField: (path) => (path.startsWith('options') ? 'choices' : path),
    onSuccess: () => (onSaved(), onClose()),
    done: (f) => t('settings.fields.saved', { name: f.name }),
  });

  const submit = () => {
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = t('common.required');
    if (!existing && !/^[a-z][a-z0-9_]{0,39}$/.test(form.code)) errs.code = t('settings.fields.codeRule');
    if (HAS_CHOICES.includes(form.type) && !choices.some((c) => c.label.trim())) errs.choices = t('settings.fields.choicesRequired');
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  };

  return (
    <FormModal opened={!!field} onClose={onClose} title={existing ? t('settings.fields.editTitle', { name: existing.name }) : t('settings.fields.create')} size="lg" loading={save.isPending} onSubmit={submit}>
      <Select label={t('settings.fields.entity')} {...entityChoice('entity')} />
      <TextInput
        label={t('settings.fields.name')}
        value={form.name}
        onChange={(e) => {
          const name = e.currentTarget.value;
          setForm((f) => ({ ...f, name, code: f.codeTouched ? f.code : fieldCodeFrom(name) }));
        }}
        error={errors.name}
        maxLength={255}
        required
        data-autofocus
      />
      <TextInput
        label={t('settings.fields.code')}
        description={t('settings.fields.codeHint')}
        value={form.code}
        onChange={(e) => {
          const code = e.currentTarget.value;
          setForm((f) => ({ ...f, code, codeTouched: true }));
        }}
        error={errors.code}
        disabled={!!existing}
        maxLength={40}
        required
        ff="monospace"
      />
      <Select
        label={t('settings.fields.type')}
        description={existing ? t('settings.fields.typeFixed') : undefined}
        data={FIELD_TYPES.map((ty) => ({ value: ty, label: t(`settings.fields.types.${ty}`) }))}
        value={form.type}
        onChange={(v) => v && setForm((f) => ({ ...f, type: v as FieldType }))}
        disabled={!!existing}
        allowDeselect={false}
        error={errors.type}
      />
      {form.type === 'record' && (
        <Select label={t('settings.fields.recordEntity')} {...entityChoice('recordEntity')} />
      )}
      {HAS_CHOICES.includes(form.type) && (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <Text component="legend" size="sm" fw={500} mb={4}>
            {t('settings.fields.choices')}
          </Text>
          <Stack gap={4}>
            {choices.map((c, i) => (
              <Group key={i} gap={4} wrap="nowrap">
                <TextInput
                  aria-label={t('settings.fields.choiceN', { n: i + 1 })}
                  value={c.label}
                  onChange={(e) => {
                    const label = e.currentTarget.value;
                    setChoices((cs) => cs.map((x, j) => (j === i ? { ...x, label } : x)));
                  }}
                  style={{ flex: 1 }}
                  maxLength={255}
                />
                <ActionIcon variant="subtle" color="red" aria-label={t('settings.fields.removeChoice', { n: i + 1 })} onClick={() => setChoices((cs) => cs.filter((_x, j) => j !== i))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
            {errors.choices && (
              <Text size="xs" c="red.9" role="alert">
                {errors.choices}
              </Text>
            )}
            <Group>
              <Button size="compact-sm" variant="light" onClick={() => setChoices((cs) => [...cs, { label: '' }])}>
                {t('settings.fields.addChoice')}
              </Button>
            </Group>
          </Stack>
        </fieldset>
      )}
      <Checkbox label={t('settings.fields.requiredLabel')} checked={form.required} onChange={(e) => {
          const required = e.currentTarget.checked;
          setForm((f) => ({ ...f, required }));
        }} />
    </FormModal>
  );
}
