import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { type Choice, type CustomField, FIELD_ENTITIES, FIELD_TYPES, type FieldEntity, type FieldType, useAllCustomFields } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE, useInvalidate } from './api';
import { fieldCodeFrom, withChoiceIds } from './settings-logic';

// Custom fields per record type: code (the API name, fixed once created), name, type, required,
// choices for lists, the record type for links. The type cannot change once values may exist.

export default function CustomFieldsSettings() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const entity = (FIELD_ENTITIES as readonly string[]).includes(params.get('entity') ?? '') ? (params.get('entity') as FieldEntity) : 'deal';
  const fields = useAllCustomFields({ staleTime: STALE });
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<CustomField | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);
  const remove = useMutation({
    mutationFn: (f: CustomField) => api.delete(`/custom-fields/${f.id}`),
    onSuccess: (_r, f) => {
      setDeleting(null);
      invalidate('custom-fields');
      notifySaved(t, t('settings.fields.deleted', { name: f.name }));
    },
    onError: (e) => notifyFailure(t, e),
  });

  const list = (fields.data ?? []).filter((f) => f.entity === entity).sort((a, b) => a.sort - b.sort || a.id - b.id);
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('settings.fields.title')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('settings.fields.create')}</Button>
      </Group>
      <Tabs value={entity} onChange={(v) => v && setParams({ entity: v }, { replace: true })} variant="pills">
        <Tabs.List>
          {FIELD_ENTITIES.map((e) => (
            <Tabs.Tab key={e} value={e}>
              {t(`settings.fields.entities.${e}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {fields.isPending ? (
        <PageLoader />
      ) : fields.isError ? (
        <QueryError error={fields.error} onRetry={() => void fields.refetch()} />
      ) : !list.length ? (
        <Empty title={t('settings.fields.empty')} description={t('settings.fields.emptyHint')} action={<Button onClick={() => setEditing('new')}>{t('settings.fields.create')}</Button>} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('settings.fields.name')}</Table.Th>
                  <Table.Th>{t('settings.fields.code')}</Table.Th>
                  <Table.Th>{t('settings.fields.type')}</Table.Th>
                  <Table.Th>{t('settings.fields.required')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t("settings.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((f) => (
                  <Table.Tr key={f.id} data-testid="field-row">
                    <Table.Td>{f.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {f.code}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {t(`settings.fields.types.${f.type}`)}
                      {f.options.choices?.length ? (
                        <Text size="xs" c="dimmed">
                          {f.options.choices.map((c) => c.label).join(', ')}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{f.required ? <Badge variant="light" tt="none">{t('settings.fields.requiredYes')}</Badge> : '—'}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(f)} aria-label={t('settings.editOf', { name: f.name })}>
                          {t('common.edit')}
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(f)} aria-label={t('settings.deleteOf', { name: f.name })}>
                          {t('common.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <FieldModal field={editing} entity={entity} onClose={() => setEditing(null)} onSaved={() => invalidate('custom-fields')} />
      <ConfirmModal
        opened={!!deleting}
        title={t('settings.fields.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
        loading={remove.isPending}
      >
        <Text>{t('settings.fields.deleteText')}</Text>
      </ConfirmModal>
    </Stack>
  );
}

const HAS_CHOICES: FieldType[] = ['list', 'multilist'];

function FieldModal({ field, entity, onClose, onSaved }: { field: CustomField | 'new' | null; entity: FieldEntity; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const existing = field && field !== 'new' ? field : null;
  const [form, setForm] = useState({ entity, name: '', code: '', codeTouched: false, type: 'string' as FieldType, required: false, recordEntity: 'contact' as FieldEntity });
  const [choices, setChoices] = useState<Array<{ id?: string; label: string }>>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
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
  }, [field]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useMutation({
    mutationFn: () => {
      const options: { choices?: Choice[]; recordEntity?: FieldEntity } = {};
      if (HAS_CHOICES.includes(form.type)) options.choices = withChoiceIds(choices);
      if (form.type === 'record') options.recordEntity = form.recordEntity;
      const hasOptions = Object.keys(options).length > 0;
      if (existing) return api.patch<CustomField>(`/custom-fields/${existing.id}`, { name: form.name.trim(), required: form.required, ...(hasOptions ? { options } : {}), version: existing.version });
      return api.post<CustomField>('/custom-fields', { entity: form.entity, code: form.code, name: form.name.trim(), type: form.type, required: form.required, ...(hasOptions ? { options } : {}) });
    },
    onSuccess: (f) => {
      onSaved();
      onClose();
      notifySaved(t, t('settings.fields.saved', { name: f.name }));
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) {
        const errs: Record<string, string> = {};
        for (const fe of e.fields) errs[fe.path.startsWith('options') ? 'choices' : fe.path] = fe.message;
        setErrors(errs);
        if (e.code !== 'validation_failed') notifyFailure(t, e);
      } else notifyFailure(t, e);
    },
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
    <Modal opened={!!field} onClose={onClose} title={existing ? t('settings.fields.editTitle', { name: existing.name }) : t('settings.fields.create')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Select
            label={t('settings.fields.entity')}
            data={FIELD_ENTITIES.map((e) => ({ value: e, label: t(`settings.fields.entities.${e}`) }))}
            value={form.entity}
            onChange={(v) => v && setForm((f) => ({ ...f, entity: v as FieldEntity }))}
            disabled={!!existing}
            allowDeselect={false}
          />
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
            <Select
              label={t('settings.fields.recordEntity')}
              data={FIELD_ENTITIES.map((e) => ({ value: e, label: t(`settings.fields.entities.${e}`) }))}
              value={form.recordEntity}
              onChange={(v) => v && setForm((f) => ({ ...f, recordEntity: v as FieldEntity }))}
              disabled={!!existing}
              allowDeselect={false}
            />
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
                  <Text size="xs" c="red.8" role="alert">
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
          <Checkbox label={t('settings.fields.requiredLabel')} checked={form.required} onChange={(e) => setForm((f) => ({ ...f, required: e.currentTarget.checked }))} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
