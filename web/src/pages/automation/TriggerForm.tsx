import { useMemo, useState } from 'react';
import { Alert, Divider, NumberInput, Select, Switch, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { useUsers, userOptions } from '../../api/lookups';
import { FormModal } from '../../components/FormModal';
import { errorMessage } from '../../lib/errors';
import { errorAt, fromCondition, isNestedCondition, toCondition, unplacedErrors, type CatalogueEntry, type ConditionGroup } from './robot-logic';
import { cleanTriggerParams, initialTriggerParams, isWatchedField, triggerParamFields, type Trigger, type TriggerParamField, type TriggerType } from './trigger-logic';
import { ConditionBuilder, useFieldLabel } from './widgets';

// The form of a trigger: its name, its type's parameters (from the type's JSON Schema: the
// activity type, the deal field and the value, the user, the days), whether it may move a deal
// back, whether it is on, and an optional condition (the robots' builder). The server checks it
// all; its field errors show at the fields.

export function TriggerForm({
  onClose,
  type,
  stageId,
  trigger,
  catalogue,
  onSaved,
}: {
  onClose: () => void;
  type: TriggerType;
  stageId: number;
  trigger?: Trigger;
  catalogue: CatalogueEntry[];
  onSaved: (t: Trigger) => void;
}) {
  const { t } = useTranslation();
  const fields = useMemo(() => triggerParamFields(type), [type]);
  const [name, setName] = useState(trigger?.name ?? type.title);
  const [params, setParams] = useState<Record<string, unknown>>(() => (trigger ? { ...trigger.params } : initialTriggerParams(fields)));
  const [allowBack, setAllowBack] = useState(trigger?.allowBack ?? false);
  const [enabled, setEnabled] = useState(trigger?.enabled ?? true);
  const [condition, setCondition] = useState<ConditionGroup>(() => fromCondition(trigger?.condition));
  const nested = isNestedCondition(trigger?.condition);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const typeOf = (path: string) => catalogue.find((c) => c.path === path)?.type ?? 'string';

  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim() || undefined, params: cleanTriggerParams(fields, params), allowBack, enabled, condition: nested ? undefined : (toCondition(condition, typeOf) ?? null) };
      if (trigger) return api.patch<Trigger>(`/automation/triggers/${trigger.id}`, { ...body, version: trigger.version });
      const { condition: c, ...rest } = body;
      return api.post<Trigger>('/automation/triggers', { ...rest, ...(c ? { condition: c } : {}), stageId, type: type.type });
    },
    onSuccess: (r) => {
      setErrors({});
      setFailure(null);
      onSaved(r);
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length > 0) {
        setErrors(e.fieldErrors());
        setFailure(null);
      } else setFailure(errorMessage(t, e));
    },
  });

  const err = (path: string) => errorAt(errors, path);
  const placed = (p: string) => p === 'name' || fields.some((f) => p === `params.${f.key}` || p.startsWith(`params.${f.key}.`)) || p.startsWith('condition.');
  const rest = unplacedErrors(errors, placed);

  return (
    <FormModal opened onClose={onClose} title={trigger ? t('automation.triggers.editTitle', { name: trigger.name }) : t('automation.triggers.addTitle', { type: type.title })} onSubmit={() => save.mutate()} loading={save.isPending} size="lg">
      <Text size="sm" c="dimmed">
        {type.description}
      </Text>
      <TextInput label={t('automation.form.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} maxLength={200} data-autofocus />
      {fields.map((f) => (
        <TriggerParamInput key={f.key} field={f} value={params[f.key]} onChange={(v) => setParams((p) => ({ ...p, [f.key]: v }))} error={err(`params.${f.key}`)} catalogue={catalogue} />
      ))}
      {type.secret && (
        <Text size="xs" c="dimmed">
          {t('automation.triggers.webhookHint')}
        </Text>
      )}
      <Divider />
      <Switch label={t('automation.triggers.allowBack')} description={t('automation.triggers.allowBackHint')} checked={allowBack} onChange={(e) => setAllowBack(e.currentTarget.checked)} />
      <Switch label={t('automation.form.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <Divider />
      {nested ? (
        <Text size="sm" c="dimmed" data-testid="nested-condition">
          {t('automation.condition.nested')}
        </Text>
      ) : (
        <ConditionBuilder value={condition} onChange={setCondition} catalogue={catalogue} errors={err} />
      )}
      {errors['condition'] && (
        <Text size="xs" c="red">
          {errors['condition']}
        </Text>
      )}
      {(rest.length > 0 || failure) && (
        <Alert color="red" data-testid="trigger-form-error">
          {failure}
          {rest.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </Alert>
      )}
    </FormModal>
  );
}

function TriggerParamInput({ field: f, value, onChange, error, catalogue }: { field: TriggerParamField; value: unknown; onChange: (v: unknown) => void; error?: string; catalogue: CatalogueEntry[] }) {
  const { t } = useTranslation();
  const users = useUsers({ enabled: f.widget.kind === 'user' });
  const fieldLabel = useFieldLabel();
  const label = t(`automation.triggers.params.${f.key}`, { defaultValue: t(`automation.params.${f.key}`, { defaultValue: f.key }) });
  const w = f.widget;
  switch (w.kind) {
    case 'enum':
      return (
        <Select
          label={label}
          placeholder={f.required ? undefined : t('automation.triggers.any')}
          data={w.values.map((v) => ({ value: v, label: t(`automation.enums.${f.key}.${v}`, { defaultValue: v }) }))}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v ?? (f.nullable ? null : undefined))}
          error={error}
          required={f.required}
          clearable={!f.required}
        />
      );
    case 'dealField':
      return (
        <Select
          label={label}
          data={catalogue.filter((c) => isWatchedField(c.path)).map((c) => ({ value: c.path, label: fieldLabel(c, c.path) }))}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v ?? undefined)}
          error={error}
          required={f.required}
          searchable
        />
      );
    case 'value':
      return (
        <TextInput
          label={label}
          description={t('automation.triggers.valueHint')}
          value={value === undefined || value === null ? '' : String(value)}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={error}
        />
      );
    case 'user':
      return (
        <Select
          label={label}
          placeholder={t('automation.triggers.anyone')}
          data={userOptions(users.data, [typeof value === 'number' ? value : null])}
          value={typeof value === 'number' ? String(value) : null}
          onChange={(v) => onChange(v ? Number(v) : null)}
          error={error}
          clearable
          searchable
        />
      );
    case 'number':
      return <NumberInput label={label} value={typeof value === 'number' ? value : ''} onChange={(n) => onChange(typeof n === 'number' ? n : undefined)} min={w.min} max={w.max} allowDecimal={!w.integer} error={error} required={f.required} />;
    case 'boolean':
      return <Switch label={label} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} error={error} />;
    default:
      return <TextInput label={label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)} error={error} required={f.required} />;
  }
}
