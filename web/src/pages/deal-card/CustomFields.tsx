import { Anchor, Group, MultiSelect, NumberInput, Select, SimpleGrid, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FieldValue } from '../../components/record/FieldValue';
import { userOptions, useUsers, type CustomField } from '../../api/lookups';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from '../../components/record/zoned-time';
import { moneyToText } from './product-draft';
import { parseMoney } from '../../lib/format';
import { useFormat } from '../../lib/use-format';
import { useDeal } from './deal-context';
import { EditableField } from './EditableField';
import type { DealPatch } from './types';

// Custom fields of deals (GET /custom-fields?entity=deal), each edited in place with an input
// that fits its type. PATCH sends only the changed code: `{ custom: { code: value } }`.

const RECORD_PATH: Record<string, string> = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' };

type Draft = string | string[] | number | null;

export function CustomFields({ defs }: { defs: CustomField[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
      {defs.map((def) => (
        <CustomField key={def.id} def={def} />
      ))}
    </SimpleGrid>
  );
}

function CustomField({ def }: { def: CustomField }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { deal } = useDeal();
  const users = useUsers();
  const raw = deal.custom[def.code] ?? null;
  const patch = (value: unknown): DealPatch => ({ custom: { [def.code]: value } });
  const choices = (def.options.choices ?? []).map((c) => ({ value: c.id, label: c.label }));

  const initial: Draft = (() => {
    switch (def.type) {
      case 'money':
        return raw && typeof raw === 'object' ? moneyToText((raw as { amount: number }).amount, (raw as { currency: string }).currency, fmt.locale) : '';
      case 'datetime':
        return typeof raw === 'string' ? utcIsoToZonedLocal(raw, fmt.timeZone) : '';
      case 'boolean':
        return raw === true ? 'true' : raw === false ? 'false' : null;
      case 'multilist':
        return Array.isArray(raw) ? (raw as string[]) : [];
      case 'user':
      case 'record':
        return raw == null ? null : String(raw);
      default:
        return raw == null ? '' : String(raw);
    }
  })();
  const moneyCurrency = raw && typeof raw === 'object' ? ((raw as { currency?: string }).currency ?? deal.currency) : deal.currency;

  const toPatch = (v: Draft): DealPatch | { error: string } => {
    const s = typeof v === 'string' ? v.trim() : v;
    if (s === '' || s === null) return patch(null);
    switch (def.type) {
      case 'number': {
        const n = String(s).replace(/[\s\u00a0]/g, '').replace(',', '.');
        return /^-?\d+(\.\d+)?$/.test(n) ? patch(n) : { error: t('dealCard.custom.badNumber') };
      }
      case 'money': {
        const amount = parseMoney(String(s), moneyCurrency);
        return amount === null ? { error: t('dealCard.custom.badMoney') } : patch({ amount, currency: moneyCurrency });
      }
      case 'datetime': {
        const iso = zonedLocalToUtcIso(String(s), fmt.timeZone);
        return iso ? patch(iso) : { error: t('dealCard.custom.badDate') };
      }
      case 'boolean':
        return patch(s === 'true');
      case 'multilist':
        return patch(s);
      case 'user':
      case 'record':
        return patch(Number(s));
      default:
        return patch(s);
    }
  };

  const display =
    def.type === 'record' && raw != null && def.options.recordEntity ? (
      <Anchor component={Link} to={`/${RECORD_PATH[def.options.recordEntity]}/${String(raw)}`} size="sm" onClick={(e) => e.stopPropagation()}>
        <FieldValue entity="deals" field={`custom.${def.code}`} value={raw} currency={deal.currency} />
      </Anchor>
    ) : def.type === 'text' && typeof raw === 'string' ? (
      <span style={{ whiteSpace: 'pre-wrap' }}>{raw}</span>
    ) : (
      <FieldValue entity="deals" field={`custom.${def.code}`} value={raw} currency={deal.currency} />
    );

  return (
    <EditableField<Draft>
      label={def.name}
      field={`custom.${def.code}`}
      required={def.required}
      testId={`custom-${def.code}`}
      value={initial}
      display={display}
      toPatch={toPatch}
      editor={({ value, onChange, error, label }) => {
        const common = { label, error, required: def.required, autoFocus: true };
        switch (def.type) {
          case 'text':
            return <Textarea {...common} autosize minRows={3} value={String(value ?? '')} maxLength={def.options.maxLength} onChange={(e) => onChange(e.currentTarget.value)} />;
          case 'number':
            return <TextInput {...common} inputMode="decimal" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
          case 'money':
            return (
              <TextInput
                {...common}
                inputMode="decimal"
                rightSection={<Text size="xs">{moneyCurrency}</Text>}
                value={String(value ?? '')}
                onChange={(e) => onChange(e.currentTarget.value)}
              />
            );
          case 'date':
            return <TextInput {...common} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
          case 'datetime':
            return <TextInput {...common} type="datetime-local" value={String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
          case 'boolean':
            return (
              <Select
                {...common}
                data={[
                  { value: 'true', label: t('record.value.yes') },
                  { value: 'false', label: t('record.value.no') },
                ]}
                value={value as string | null}
                onChange={onChange}
                clearable
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'list':
            return <Select {...common} data={choices} value={value as string | null} onChange={onChange} clearable searchable comboboxProps={{ withinPortal: true }} />;
          case 'multilist':
            return <MultiSelect {...common} data={choices} value={(value as string[]) ?? []} onChange={onChange} clearable searchable comboboxProps={{ withinPortal: true }} />;
          case 'user':
            return (
              <Select
                {...common}
                data={userOptions(users.data, [typeof raw === 'number' ? raw : null])}
                value={value as string | null}
                onChange={onChange}
                clearable
                searchable
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'record':
            return (
              <Group align="flex-end" gap="xs">
                <NumberInput
                  {...common}
                  description={t('dealCard.custom.recordId', { entity: t(`record.value.${def.options.recordEntity ?? 'deal'}`, { id: '' }).trim() })}
                  allowDecimal={false}
                  allowNegative={false}
                  value={value === null ? '' : Number(value)}
                  onChange={(v) => onChange(v === '' ? null : String(v))}
                />
              </Group>
            );
          default:
            return <TextInput {...common} value={String(value ?? '')} maxLength={def.options.maxLength} onChange={(e) => onChange(e.currentTarget.value)} />;
        }
      }}
    />
  );
}
