import { useMemo, useState } from 'react';
import { Alert, Divider, JsonInput, MultiSelect, NumberInput, Select, Switch, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { refOptions, useReferenceList, useUsers, userOptions, type Pipeline } from '../../api/lookups';
import { FormModal } from '../../components/FormModal';
import { errorMessage } from '../../lib/errors';
import { cleanParams, errorAt, fromCondition, initialParams, isNestedCondition, paramFields, poolOf, toCondition, unplacedErrors, type CatalogueEntry, type ConditionGroup, type ParamField, type Robot, type RobotType } from './robot-logic';
import { ConditionBuilder, PeoplePicker, PersonPicker, PoolPicker, TemplateInput, TimingEditor, type TimingValue } from './widgets';

// The form of a robot: its name, its type's parameters (built from the type's JSON Schema, with
// widgets for the known shapes), when it runs, what happens when the deal leaves the stage, and
// an optional condition. The server checks it all; its field errors show at the fields.

export function RobotForm({
  opened,
  onClose,
  type,
  entityType = 'deal',
  stageId,
  robot,
  catalogue,
  pipelines,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  type: RobotType;
  /** a robot of a deal stage, or of a lead status (stageId is then the status) */
  entityType?: 'deal' | 'lead';
  stageId: number;
  /** editing this robot; a new one when absent */
  robot?: Robot;
  catalogue: CatalogueEntry[];
  pipelines: Pipeline[];
  onSaved: (r: Robot) => void;
}) {
  const { t } = useTranslation();
  const fields = useMemo(() => paramFields(type), [type]);
  const [name, setName] = useState(robot?.name ?? type.title);
  const [params, setParams] = useState<Record<string, unknown>>(() => (robot ? { ...robot.params } : initialParams(fields)));
  const [timing, setTiming] = useState<TimingValue>(() => (robot?.timing as TimingValue | undefined) ?? { kind: 'immediate' });
  const [leaveKeep, setLeaveKeep] = useState(robot?.leavePolicy === 'keep');
  const [enabled, setEnabled] = useState(robot?.enabled ?? true);
  const [condition, setCondition] = useState<ConditionGroup>(() => fromCondition(robot?.condition));
  // a nested condition (made through the API) is kept as it is: the builder shows one group only
  const nested = isNestedCondition(robot?.condition);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const dateFields = catalogue.filter((c) => c.type === 'date' || c.type === 'datetime');
  const typeOf = (path: string) => catalogue.find((c) => c.path === path)?.type ?? 'string';

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim() || undefined,
        params: cleanParams(fields, params),
        timing,
        leavePolicy: leaveKeep ? 'keep' : 'cancel',
        enabled,
        condition: nested ? undefined : (toCondition(condition, typeOf) ?? null),
      };
      if (robot) return api.patch<Robot>(`/automation/robots/${robot.id}`, { ...body, version: robot.version });
      const { condition: c, ...rest } = body;
      return api.post<Robot>('/automation/robots', { ...rest, ...(c ? { condition: c } : {}), entityType, stageId, type: type.type });
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
  const placed = (p: string) => p === 'name' || p.startsWith('params.') || p.startsWith('timing') || p.startsWith('condition.');
  const rest = unplacedErrors(errors, placed);
  const conditionWhole = errors['condition'];

  return (
    <FormModal opened={opened} onClose={onClose} title={robot ? t('automation.form.editTitle', { name: robot.name }) : t('automation.form.addTitle', { type: type.title })} onSubmit={() => save.mutate()} loading={save.isPending} size="lg">
      <Text size="sm" c="dimmed">
        {type.description}
      </Text>
      <TextInput label={t('automation.form.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} maxLength={200} data-autofocus />
      {fields.map((f) => (
        <ParamInput
          key={f.key}
          field={f}
          value={params[f.key]}
          onChange={(v) => setParams((p) => ({ ...p, [f.key]: v }))}
          params={params}
          setParams={setParams}
          error={err(`params.${f.key}`)}
          errors={(sub) => err(`params.${f.key}${sub ? `.${sub}` : ''}`)}
          errorsAt={(key) => err(`params.${key}`)}
          catalogue={catalogue}
          pipelines={pipelines}
          dateFields={dateFields}
        />
      ))}
      <Divider />
      <TimingEditor label={t('automation.form.timing')} value={timing} onChange={(v) => v && setTiming(v)} errors={(sub) => err(sub ? `timing.${sub}` : 'timing')} dateFields={dateFields} />
      <Switch label={t('automation.form.leaveKeep')} description={t('automation.form.leaveKeepHint')} checked={leaveKeep} onChange={(e) => setLeaveKeep(e.currentTarget.checked)} />
      <Switch label={t('automation.form.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
      <Divider />
      {nested ? (
        <Text size="sm" c="dimmed" data-testid="nested-condition">
          {t('automation.condition.nested')}
        </Text>
      ) : (
        <ConditionBuilder value={condition} onChange={setCondition} catalogue={catalogue} errors={err} />
      )}
      {conditionWhole && (
        <Text size="xs" c="red">
          {conditionWhole}
        </Text>
      )}
      {(rest.length > 0 || failure) && (
        <Alert color="red" data-testid="robot-form-error">
          {failure}
          {rest.map((m) => (
            <div key={m}>{m}</div>
          ))}
        </Alert>
      )}
    </FormModal>
  );
}

function ParamInput({
  field: f,
  value,
  onChange,
  params,
  setParams,
  error,
  errors,
  errorsAt,
  catalogue,
  pipelines,
  dateFields,
}: {
  field: ParamField;
  value: unknown;
  onChange: (v: unknown) => void;
  /** all the parameters, for a widget that edits several keys (the pool) */
  params: Record<string, unknown>;
  setParams: (f: (p: Record<string, unknown>) => Record<string, unknown>) => void;
  error?: string;
  errors: (sub: string) => string | undefined;
  /** the error of another parameter key */
  errorsAt: (key: string) => string | undefined;
  catalogue: CatalogueEntry[];
  pipelines: Pipeline[];
  dateFields: CatalogueEntry[];
}) {
  const { t } = useTranslation();
  const users = useUsers();
  const lossReasons = useReferenceList('loss-reasons', { enabled: f.widget.kind === 'lossReason' });
  const label = t(`automation.params.${f.key}`, { defaultValue: f.key });
  const w = f.widget;
  switch (w.kind) {
    case 'text':
      return f.template ? (
        <TemplateInput label={label} value={typeof value === 'string' ? value : ''} onChange={onChange} error={error} multiline={w.multiline} required={f.required} catalogue={catalogue} testId={`param-${f.key}`} />
      ) : (
        <TextInput label={label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value)} error={error} required={f.required} maxLength={w.maxLength} />
      );
    case 'enum':
      return (
        <Select
          label={label}
          data={w.values.map((v) => ({ value: v, label: t(`automation.enums.${f.key}.${v}`, { defaultValue: v }) }))}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v ?? undefined)}
          error={error}
          required={f.required}
          allowDeselect={!f.required}
        />
      );
    case 'number':
      return <NumberInput label={label} value={typeof value === 'number' ? value : ''} onChange={(n) => onChange(typeof n === 'number' ? n : undefined)} min={w.min} max={w.max} allowDecimal={!w.integer} error={error} required={f.required} />;
    case 'boolean':
      return <Switch label={label} checked={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} error={error} />;
    case 'person':
      return <PersonPicker label={label} value={value as never} onChange={onChange} error={error} />;
    case 'people':
      return <PeoplePicker label={label} value={value as never} onChange={onChange} error={error} />;
    case 'deadline':
      return <TimingEditor label={label} value={(value as TimingValue | null) ?? null} onChange={onChange} errors={(sub) => errors(sub) ?? (sub === '' ? error : undefined)} dateFields={dateFields} deadline />;
    case 'stage':
      return (
        <Select
          label={label}
          data={pipelines.map((p) => ({ group: p.name, items: p.stages.map((s) => ({ value: String(s.id), label: s.name })) }))}
          value={typeof value === 'number' ? String(value) : null}
          onChange={(v) => onChange(v ? Number(v) : undefined)}
          error={error}
          required={f.required}
        />
      );
    case 'lossReason':
      return <Select label={label} data={refOptions(lossReasons.data)} value={typeof value === 'number' ? String(value) : null} onChange={(v) => onChange(v ? Number(v) : null)} error={error} clearable />;
    case 'users':
      return (
        <MultiSelect
          label={label}
          data={userOptions(users.data)}
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={(ids) => onChange(ids.map(Number))}
          error={error}
          required={f.required}
          searchable
        />
      );
    case 'pool':
      return <PoolPicker label={t('automation.people.pool')} value={poolOf(params)} onChange={(v) => setParams((p) => ({ ...p, ...v }))} error={error ?? errorsAt('departmentId') ?? errorsAt('includeSubdepartments')} />;
    case 'json':
      return (
        <JsonInput
          label={label}
          description={t('automation.form.jsonHint')}
          defaultValue={JSON.stringify(value ?? {}, null, 2)}
          onChange={(s) => {
            try {
              onChange(JSON.parse(s));
            } catch {
              /* kept until it parses */
            }
          }}
          error={error}
          autosize
          minRows={3}
          validationError={t('automation.form.jsonInvalid')}
        />
      );
  }
}
