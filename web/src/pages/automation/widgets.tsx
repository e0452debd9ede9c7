import { useRef, useState } from 'react';
import { ActionIcon, Button, Group, Menu, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDepartments, useUsers, userOptions } from '../../api/lookups';
import { insertAt, type PoolValue, NO_VALUE_OPS, OPS_BY_TYPE, placeholderFields, type CatalogueEntry, type CatalogueType, type ConditionGroup, type ConditionOp, type ConditionRow } from './robot-logic';

// The small editors of the robot form: a text with a placeholder picker, the person pickers, the
// timing (and a deadline, a timing of its own), and the condition builder.

export function useFieldLabel() {
  const { t } = useTranslation();
  return (e: CatalogueEntry | undefined, path: string) => e?.name ?? t(`automation.fields.${path}`, { defaultValue: path });
}

/** A text parameter with a «Вставить поле» menu putting `{{path}}` at the cursor. */
export function TemplateInput({
  label,
  value,
  onChange,
  error,
  multiline,
  required,
  catalogue,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  multiline: boolean;
  required?: boolean;
  catalogue: CatalogueEntry[];
  testId?: string;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const insert = (path: string) => {
    const el = ref.current;
    const next = insertAt(value, `{{${path}}}`, el?.selectionStart ?? null, el?.selectionEnd ?? null);
    onChange(next.value);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.cursor, next.cursor);
    });
  };
  const custom = catalogue.filter((c) => c.path.includes('.custom.'));
  const picker = (
    <Menu shadow="md" position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" size="compact-xs" aria-label={t('automation.form.insertFieldInto', { name: label })}>
          {t('automation.form.insertField')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
        {[...placeholderFields(catalogue).map((p) => ({ path: p, name: undefined as string | undefined })), ...custom.map((c) => ({ path: c.path, name: c.name }))].map((f) => (
          <Menu.Item key={f.path} onClick={() => insert(f.path)}>
            {f.name ?? fieldLabel(undefined, f.path)} <Text span size="xs" c="dimmed">{`{{${f.path}}}`}</Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
  const common = { label, value, required, error, ref, 'data-testid': testId, onChange: (e: React.ChangeEvent<HTMLInputElement & HTMLTextAreaElement>) => onChange(e.currentTarget.value) };
  return (
    <Stack gap={2}>
      {multiline ? <Textarea {...common} autosize minRows={2} maxRows={8} /> : <TextInput {...common} />}
      <Group justify="flex-end">{picker}</Group>
    </Stack>
  );
}

type Person = { kind: 'responsible' } | { kind: 'user'; userId?: number } | { kind: 'head' };
type People = { kind: 'responsible' } | { kind: 'users'; userIds: number[] } | { kind: 'head' };

/** assignee: the responsible, a chosen user, or the head of the responsible's department. */
export function PersonPicker({ label, value, onChange, error }: { label: string; value: Person | undefined; onChange: (v: Person) => void; error?: string }) {
  const { t } = useTranslation();
  const users = useUsers();
  const v = value ?? { kind: 'responsible' };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        value={v.kind}
        onChange={(k) => onChange(k === 'user' ? { kind: 'user' } : ({ kind: k } as Person))}
        data={[
          { value: 'responsible', label: t('automation.people.responsible') },
          { value: 'user', label: t('automation.people.user') },
          { value: 'head', label: t('automation.people.head') },
        ]}
      />
      {v.kind === 'user' && (
        <Select
          aria-label={t('automation.people.chooseUser')}
          placeholder={t('automation.people.chooseUser')}
          data={userOptions(users.data)}
          value={v.userId ? String(v.userId) : null}
          onChange={(id) => onChange({ kind: 'user', userId: Number(id) })}
          searchable
        />
      )}
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** to: the responsible, chosen users, or the head. */
export function PeoplePicker({ label, value, onChange, error }: { label: string; value: People | undefined; onChange: (v: People) => void; error?: string }) {
  const { t } = useTranslation();
  const users = useUsers();
  const v = value ?? { kind: 'responsible' };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        value={v.kind}
        onChange={(k) => onChange(k === 'users' ? { kind: 'users', userIds: [] } : ({ kind: k } as People))}
        data={[
          { value: 'responsible', label: t('automation.people.responsible') },
          { value: 'users', label: t('automation.people.users') },
          { value: 'head', label: t('automation.people.head') },
        ]}
      />
      {v.kind === 'users' && (
        <MultiSelect
          aria-label={t('automation.people.chooseUsers')}
          placeholder={t('automation.people.chooseUsers')}
          data={userOptions(users.data)}
          value={v.userIds.map(String)}
          onChange={(ids) => onChange({ kind: 'users', userIds: ids.map(Number) })}
          searchable
        />
      )}
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** change_responsible's pool: chosen users, or the members of a department (with its sub-departments when asked). */
export function PoolPicker({ label, value, onChange, error }: { label: string; value: PoolValue; onChange: (v: PoolValue) => void; error?: string }) {
  const { t } = useTranslation();
  const users = useUsers();
  const departments = useDepartments();
  const [kind, setKind] = useState<'users' | 'department'>(value.departmentId !== null ? 'department' : 'users');
  return (
    <Stack gap={4} data-testid="param-pool">
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        value={kind}
        onChange={(k) => {
          setKind(k as 'users' | 'department');
          onChange({ userIds: [], departmentId: null, includeSubdepartments: false });
        }}
        data={[
          { value: 'users', label: t('automation.people.users') },
          { value: 'department', label: t('automation.people.department') },
        ]}
      />
      {kind === 'users' ? (
        <MultiSelect
          aria-label={t('automation.people.chooseUsers')}
          placeholder={t('automation.people.chooseUsers')}
          data={userOptions(users.data)}
          value={value.userIds.map(String)}
          onChange={(ids) => onChange({ ...value, userIds: ids.map(Number), departmentId: null })}
          searchable
        />
      ) : (
        <>
          <Select
            aria-label={t('automation.people.chooseDepartment')}
            placeholder={t('automation.people.chooseDepartment')}
            description={t('automation.people.departmentHint')}
            data={(departments.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
            value={value.departmentId !== null ? String(value.departmentId) : null}
            onChange={(id) => onChange({ ...value, userIds: [], departmentId: id ? Number(id) : null })}
            searchable
          />
          <Switch
            label={t('automation.people.withSubdepartments')}
            checked={value.includeSubdepartments}
            onChange={(e) => onChange({ ...value, userIds: [], includeSubdepartments: e.currentTarget.checked })}
          />
        </>
      )}
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export type TimingValue = Record<string, unknown> & { kind: string };
const UNITS = ['minutes', 'hours', 'days'] as const;

/**
 * The robot's timing (all kinds) or a deadline (`deadline`: none, a delay or relative to a date field).
 * `dateFields`: the catalogue's date and datetime fields.
 */
export function TimingEditor({
  label,
  value,
  onChange,
  errors,
  dateFields,
  deadline = false,
}: {
  label: string;
  value: TimingValue | null;
  onChange: (v: TimingValue | null) => void;
  errors: (path: string) => string | undefined;
  dateFields: CatalogueEntry[];
  deadline?: boolean;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const kinds = deadline ? ['none', 'delay', 'field'] : ['immediate', 'delay', 'field', 'time_of_day', 'after_previous'];
  const kind = value?.kind ?? 'none';
  const set = (patch: Record<string, unknown>) => onChange({ ...(value ?? { kind: 'delay' }), ...patch } as TimingValue);
  const choose = (k: string) => {
    if (k === 'none') return onChange(null);
    if (k === 'immediate') return onChange({ kind: 'immediate' });
    if (k === 'delay') return onChange({ kind: 'delay', amount: 1, unit: deadline ? 'days' : 'hours', workingTime: false });
    if (k === 'field') return onChange({ kind: 'field', field: 'deal.closeDate', direction: 'before', amount: 1, unit: 'days' });
    if (k === 'time_of_day') return onChange({ kind: 'time_of_day', at: '09:00', workingDays: false });
    return onChange({ kind: 'after_previous', amount: 0, unit: 'minutes', workingTime: false });
  };
  const unitSelect = (
    <Select
      aria-label={t('automation.timing.unit')}
      data={UNITS.map((u) => ({ value: u, label: t(`automation.timing.units.${u}`) }))}
      value={String(value?.unit ?? 'minutes')}
      onChange={(u) => u && set({ unit: u })}
      allowDeselect={false}
      w={120}
    />
  );
  const amount = (min: number) => (
    <NumberInput aria-label={t('automation.timing.amount')} value={Number(value?.amount ?? min)} min={min} max={100_000} onChange={(n) => set({ amount: typeof n === 'number' ? n : min })} error={errors('amount')} w={100} />
  );
  return (
    <Stack gap={6} data-testid={deadline ? 'deadline-editor' : 'timing-editor'}>
      <Select
        label={label}
        data={kinds.map((k) => ({ value: k, label: t(`automation.timing.kinds.${k}`) }))}
        value={kind}
        onChange={(k) => k && choose(k)}
        allowDeselect={false}
        error={errors('kind') ?? (kind === 'immediate' || kind === 'none' ? errors('') : undefined)}
      />
      {kind === 'delay' && (
        <Group gap="xs" align="flex-start">
          {amount(1)}
          {unitSelect}
          <Switch label={t('automation.timing.workingTime')} checked={Boolean(value?.workingTime)} onChange={(e) => set({ workingTime: e.currentTarget.checked })} mt={6} />
        </Group>
      )}
      {kind === 'after_previous' && (
        <Group gap="xs" align="flex-start">
          <Text size="sm" mt={6}>
            {t('automation.timing.thenWait')}
          </Text>
          {amount(0)}
          {unitSelect}
          <Switch label={t('automation.timing.workingTime')} checked={Boolean(value?.workingTime)} onChange={(e) => set({ workingTime: e.currentTarget.checked })} mt={6} />
        </Group>
      )}
      {kind === 'field' && (
        <Group gap="xs" align="flex-start" wrap="wrap">
          {amount(0)}
          {unitSelect}
          <Select
            aria-label={t('automation.timing.direction')}
            data={['before', 'after'].map((d) => ({ value: d, label: t(`automation.timing.directions.${d}`) }))}
            value={String(value?.direction ?? 'before')}
            onChange={(d) => d && set({ direction: d })}
            allowDeselect={false}
            w={110}
          />
          <Select
            aria-label={t('automation.timing.field')}
            data={dateFields.map((f) => ({ value: f.path, label: fieldLabel(f, f.path) }))}
            value={String(value?.field ?? '')}
            onChange={(f) => f && set({ field: f })}
            error={errors('field')}
            allowDeselect={false}
            w={200}
          />
          <TextInput
            aria-label={t('automation.timing.atOptional')}
            placeholder={t('automation.timing.atOptional')}
            value={String(value?.at ?? '')}
            onChange={(e) => {
              const at = e.currentTarget.value;
              const next = { ...value } as TimingValue;
              if (at) next.at = at;
              else delete next.at;
              onChange(next);
            }}
            error={errors('at')}
            w={130}
          />
        </Group>
      )}
      {kind === 'time_of_day' && (
        <Group gap="xs" align="flex-start">
          <TextInput aria-label={t('automation.timing.at')} type="time" value={String(value?.at ?? '09:00')} onChange={(e) => set({ at: e.currentTarget.value })} error={errors('at')} w={130} />
          <Switch label={t('automation.timing.workingDays')} checked={Boolean(value?.workingDays)} onChange={(e) => set({ workingDays: e.currentTarget.checked })} mt={6} />
        </Group>
      )}
    </Stack>
  );
}

/** An AND/OR group of field–operator–value rows. */
export function ConditionBuilder({
  value,
  onChange,
  catalogue,
  errors,
}: {
  value: ConditionGroup;
  onChange: (v: ConditionGroup) => void;
  catalogue: CatalogueEntry[];
  errors: (path: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const typeOf = (path: string): CatalogueType => catalogue.find((c) => c.path === path)?.type ?? 'string';
  const setRow = (i: number, patch: Partial<ConditionRow>) => onChange({ ...value, rows: value.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const fieldData = catalogue.map((c) => ({ value: c.path, label: fieldLabel(c, c.path) }));
  return (
    <Stack gap={6} data-testid="condition-builder">
      <Group gap="xs">
        <Text size="sm" fw={500}>
          {t('automation.condition.title')}
        </Text>
        {value.rows.length > 1 && (
          <SegmentedControl
            size="xs"
            value={value.mode}
            onChange={(m) => onChange({ ...value, mode: m as 'all' | 'any' })}
            data={[
              { value: 'all', label: t('automation.condition.all') },
              { value: 'any', label: t('automation.condition.any') },
            ]}
          />
        )}
      </Group>
      {value.rows.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('automation.condition.none')}
        </Text>
      )}
      {value.rows.map((r, i) => {
        const type = typeOf(r.field);
        const ops = OPS_BY_TYPE[type];
        const path = `condition.${value.mode}[${i}]`;
        const entry = catalogue.find((c) => c.path === r.field);
        const valueInput = (v: string, onV: (s: string) => void, aria: string) =>
          type === 'boolean' ? (
            <Select aria-label={aria} data={[{ value: 'true', label: t('automation.condition.yes') }, { value: 'false', label: t('automation.condition.no') }]} value={v || null} onChange={(s) => onV(s ?? '')} w={110} />
          ) : entry?.choices?.length && r.op !== 'in' ? (
            <Select aria-label={aria} data={entry.choices.map((c) => ({ value: String(c.id), label: c.label }))} value={v || null} onChange={(s) => onV(s ?? '')} w={180} />
          ) : (
            <TextInput aria-label={aria} type={type === 'date' && r.op !== 'in' ? 'date' : 'text'} value={v} onChange={(e) => onV(e.currentTarget.value)} placeholder={r.op === 'in' ? t('automation.condition.commaSeparated') : type === 'money' ? t('automation.condition.rubles') : undefined} w={160} />
          );
        return (
          <Stack key={i} gap={2} data-testid="condition-row">
            <Group gap="xs" wrap="wrap" align="flex-start">
              <Select
                aria-label={t('automation.condition.field')}
                data={fieldData}
                value={r.field || null}
                onChange={(f) => {
                  if (!f) return;
                  const nextOps = OPS_BY_TYPE[typeOf(f)];
                  setRow(i, { field: f, op: nextOps.includes(r.op) ? r.op : nextOps[0]! });
                }}
                searchable
                w={220}
                error={errors(`${path}.field`)}
              />
              <Select
                aria-label={t('automation.condition.op')}
                data={ops.map((o) => ({ value: o, label: t(`automation.condition.ops.${o}`) }))}
                value={r.op}
                onChange={(o) => o && setRow(i, { op: o as ConditionOp })}
                allowDeselect={false}
                w={150}
                error={errors(`${path}.op`)}
              />
              {!NO_VALUE_OPS.includes(r.op) && valueInput(r.value, (s) => setRow(i, { value: s }), t('automation.condition.value'))}
              {r.op === 'between' && valueInput(r.value2, (s) => setRow(i, { value2: s }), t('automation.condition.value2'))}
              <ActionIcon variant="subtle" color="red" aria-label={t('automation.condition.remove')} onClick={() => onChange({ ...value, rows: value.rows.filter((_, j) => j !== i) })} mt={4}>
                ×
              </ActionIcon>
            </Group>
            {errors(`${path}.value`) && (
              <Text size="xs" c="red">
                {errors(`${path}.value`)}
              </Text>
            )}
          </Stack>
        );
      })}
      <Group>
        <Button variant="light" size="xs" onClick={() => onChange({ ...value, rows: [...value.rows, { field: 'deal.amount', op: 'gt', value: '', value2: '' }] })}>
          {t('automation.condition.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The «⋮» menu of a robot's or a trigger's card. */
export function CardMenu({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          ⋮
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}
