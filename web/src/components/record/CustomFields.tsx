import { useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Anchor, Box, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { userOptions, useUsers, type CustomField, type FieldEntity } from '../../api/lookups';
import { CurrencySign } from '../CurrencySign';
import { useFormat } from '../../lib/use-format';
import { Icon } from '../icons';
import { FieldValue } from './FieldValue';
import { InPlaceForm } from './InPlaceForm';
import { fieldErrorFor, localizeFieldMessage } from './server-message';
import { fromDraft, moneyCurrency, RECORD_PATH, toDraft, type CustomDraft } from './CustomFields.logic';

// Custom fields of a record (GET /custom-fields?entity=…) on its card: deal, lead, contact or
// company. Each is edited in place with an input that fits its type (11 types); Save sends only
// that field, `{ custom: { <code>: value } }` (the server merges it into the stored values), and a
// server message for the field stays under the input. `CustomFieldInputs` are the same inputs
// for a create form.

export interface CustomFieldsProps<R extends { custom: Record<string, unknown> }> {
  entity: FieldEntity;
  defs: CustomField[];
  record: R;
  /** the currency a new money value is typed in (the record's or the workspace's) */
  currency: string;
  canEdit: boolean;
  /**
   * Saves the patch against `base`: the record as shown now, or as it was when the editor opened
   * if this very field changed meanwhile (so that the server reports the conflict). Rejects with
   * the API error, which is shown at the field.
   */
  save: (patch: { custom: Record<string, unknown> }, base: R) => Promise<unknown>;
}

export function CustomFields<R extends { custom: Record<string, unknown> }>(props: CustomFieldsProps<R>) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
      {props.defs.map((def) => (
        <CustomFieldInPlace key={def.id} def={def} {...props} />
      ))}
    </SimpleGrid>
  );
}

function CustomFieldInPlace<R extends { custom: Record<string, unknown> }>({ def, defs, entity, record, currency, canEdit, save }: CustomFieldsProps<R> & { def: CustomField }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const raw = record.custom[def.code] ?? null;
  const [draft, setDraft] = useState<CustomDraft | undefined>(undefined); // undefined: not editing
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const started = useRef(record);
  const pencil = useRef<HTMLButtonElement>(null);
  const field = `custom.${def.code}`;
  const testId = `custom-${def.code}`;
  const typedIn = moneyCurrency(raw, currency);

  const open = () => {
    if (!canEdit) return;
    started.current = record;
    setError(undefined);
    setDraft(toDraft(def, raw, fmt));
  };
  const close = () => {
    setDraft(undefined);
    setError(undefined);
    requestAnimationFrame(() => pencil.current?.focus());
  };
  const submit = async () => {
    const parsed = fromDraft(def, draft ?? null, { currency: typedIn, timeZone: fmt.timeZone });
    if ('error' in parsed) return setError(t(`record.custom.${parsed.error}`));
    setSaving(true);
    try {
      const changedMeanwhile = JSON.stringify(started.current.custom[def.code]) !== JSON.stringify(record.custom[def.code]);
      await save({ custom: { [def.code]: parsed.value } }, changedMeanwhile ? started.current : record);
      close();
    } catch (e) {
      setError(customFieldError(t, e, def, defs));
    } finally {
      setSaving(false);
    }
  };

  if (draft !== undefined) {
    return (
      <InPlaceForm testId={`${testId}-editor`} saving={saving} onSubmit={() => void submit()} onCancel={close}>
        <CustomFieldInput def={def} value={draft} onChange={setDraft} error={error} currency={typedIn} autoFocus />
      </InPlaceForm>
    );
  }

  const plural = RECORD_PATH[entity];
  const shown = <FieldValue entity={plural} field={field} value={raw} currency={currency} />;
  const display: ReactNode =
    def.type === 'record' && raw != null && def.options.recordEntity ? (
      <Anchor component={Link} to={`/${RECORD_PATH[def.options.recordEntity]}/${String(raw)}`} size="sm" onClick={(e) => e.stopPropagation()}>
        {shown}
      </Anchor>
    ) : def.type === 'text' && typeof raw === 'string' ? (
      <span style={{ whiteSpace: 'pre-wrap' }}>{raw}</span>
    ) : (
      shown
    );
  return (
    <Stack gap={2} data-testid={testId}>
      <Group gap={4} wrap="nowrap" justify="space-between">
        <Text size="xs" c="dimmed" fw={500}>
          {def.name}
          {def.required && (
            <Text span c="red" aria-hidden>
              {' *'}
            </Text>
          )}
        </Text>
        {canEdit && (
          <ActionIcon ref={pencil} variant="subtle" size="sm" color="gray" onClick={open} aria-label={t('record.editField', { field: def.name })}>
            <Icon name="edit" size={14} />
          </ActionIcon>
        )}
      </Group>
      <Box onClick={open} style={{ cursor: canEdit ? 'pointer' : undefined, minHeight: 22, overflowWrap: 'anywhere' }} fz="sm" data-testid={`${testId}-value`}>
        {display}
      </Box>
    </Stack>
  );
}

/**
 * The message under a field whose save failed: its own server message; one about another custom
 * field (a required one the record lacks: the server checks them all) names that field.
 */
function customFieldError(t: TFunction, e: unknown, def: CustomField, defs: CustomField[]): string {
  const errs = isApiError(e) ? e.fieldErrors() : {};
  const fieldOf = (path: string) => defs.find((d) => path === `custom.${d.code}` || path.startsWith(`custom.${d.code}.`) || path.startsWith(`custom.${d.code}[`));
  const paths = Object.keys(errs);
  const other = paths.find((p) => fieldOf(p) && fieldOf(p) !== def);
  if (other && !paths.some((p) => fieldOf(p) === def)) return `${fieldOf(other)!.name}: ${localizeFieldMessage(t, errs[other]!)}`;
  return fieldErrorFor(t, e, `custom.${def.code}`);
}

export interface CustomFieldInputProps {
  def: CustomField;
  value: CustomDraft;
  onChange: (v: CustomDraft) => void;
  error?: string;
  /** the currency a money value is typed in */
  currency: string;
  autoFocus?: boolean;
  disabled?: boolean;
}

/** The input of one custom field, by its type; the label is the field's name. */
export function CustomFieldInput({ def, value, onChange, error, currency, autoFocus, disabled }: CustomFieldInputProps) {
  const { t } = useTranslation();
  const users = useUsers({ enabled: def.type === 'user' });
  const common = { label: def.name, error, required: def.required, autoFocus, disabled };
  const text = String(value ?? '');
  const onText = (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value);
  const choices = (def.options.choices ?? []).map((c) => ({ value: c.id, label: c.label }));
  const single = typeof value === 'string' ? value : null;
  const pick = { value: single, onChange, clearable: true, comboboxProps: { withinPortal: true } };
  switch (def.type) {
    case 'text':
      return <Textarea {...common} autosize minRows={3} value={text} maxLength={def.options.maxLength} onChange={onText} />;
    case 'number':
      return <TextInput {...common} inputMode="decimal" value={text} onChange={onText} />;
    case 'money':
      return <TextInput {...common} inputMode="decimal" rightSection={<CurrencySign currency={currency} />} value={text} onChange={onText} />;
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={onText} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" value={text} onChange={onText} />;
    case 'boolean':
      return (
        <Select
          {...common}
          {...pick}
          data={[
            { value: 'true', label: t('record.value.yes') },
            { value: 'false', label: t('record.value.no') },
          ]}
        />
      );
    case 'list':
      return <Select {...common} {...pick} data={choices} searchable />;
    case 'multilist':
      return <MultiSelect {...common} data={choices} value={Array.isArray(value) ? value : []} onChange={onChange} clearable searchable comboboxProps={{ withinPortal: true }} />;
    case 'user':
      return <Select {...common} {...pick} data={userOptions(users.data, [Number(single)])} searchable />;
    case 'record':
      return (
        <NumberInput
          {...common}
          description={t('record.custom.recordId', { entity: t(`record.value.${def.options.recordEntity ?? 'deal'}`, { id: '' }).trim() })}
          allowDecimal={false}
          allowNegative={false}
          value={single === null || single === '' ? '' : Number(single)}
          onChange={(v) => onChange(v === '' ? null : String(v))}
        />
      );
    default:
      return <TextInput {...common} value={text} maxLength={def.options.maxLength} onChange={onText} />;
  }
}

/** The custom fields of a create form: every field's input, the drafts kept by the caller. */
/** The inputs of `defs` for a create form; `narrow` puts them in one column (a board column's quick form). */
export function CustomFieldInputs({ defs, values, onChange, errors, currency, disabled, narrow }: { defs: CustomField[]; values: Record<string, CustomDraft>; onChange: (code: string, v: CustomDraft) => void; errors: Record<string, string>; currency: string; disabled?: boolean; narrow?: boolean }) {
  const { t } = useTranslation();
  const error = (code: string) => errors[`custom.${code}`] && localizeFieldMessage(t, errors[`custom.${code}`]!);
  return (
    <SimpleGrid cols={narrow ? 1 : { base: 1, xs: 2 }} spacing={narrow ? 4 : 'sm'}>
      {defs.map((def) => (
        <CustomFieldInput key={def.id} def={def} value={values[def.code] ?? (def.type === 'multilist' ? [] : null)} onChange={(v) => onChange(def.code, v)} error={error(def.code)} currency={currency} disabled={disabled} />
      ))}
    </SimpleGrid>
  );
}
