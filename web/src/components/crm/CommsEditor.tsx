import { ActionIcon, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mailtoHref, telHref } from './comm-links';
import type { Communication } from './records';

// Phones or e-mails of a record: value + type rows, add/remove. Server errors come keyed by path
// (`phones[1].value`) and show under the row they belong to. A saved number or address has a
// «Позвонить» / «Написать» link (tel:, mailto:) beside it.

export const PHONE_TYPES = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export const EMAIL_TYPES = ['work', 'home', 'other'] as const;

export interface CommsEditorProps {
  kind: 'phones' | 'emails';
  value: Communication[];
  onChange: (next: Communication[]) => void;
  errors?: Record<string, string>;
  /** path prefix of the server's field errors: `phones` or `contact.create.phones` */
  errorPrefix?: string;
  disabled?: boolean;
  /** the values as saved: only these get a tel:/mailto: link (not one being typed) */
  saved?: Communication[];
}

export function CommsEditor({ kind, value, onChange, errors = {}, errorPrefix = kind, disabled, saved = [] }: CommsEditorProps) {
  const { t } = useTranslation();
  const savedValues = new Set(saved.map((c) => c.value.trim()));
    const types = kind === 'phones' ? PHONE_TYPES : EMAIL_TYPES;
  const label = t(`crm.comms.${kind}`);
  const set = (i: number, patch: Partial<Communication>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Stack gap={6} role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {value.map((c, i) => (
        <Group key={i} gap={6} wrap="nowrap" align="flex-start">
          <TextInput
            style={{ flex: 1 }}
            type={kind === 'phones' ? 'tel' : 'email'}
            aria-label={`${t(kind === 'phones' ? 'crm.comms.phone' : 'crm.comms.email')} ${i + 1}`}
            placeholder={kind === 'phones' ? '+7 900 000-00-00' : 'name@example.ru'}
            value={c.value}
            disabled={disabled}
            error={errors[`${errorPrefix}[${i}].value`] ?? errors[`${errorPrefix}[${i}]`]}
            onChange={(e) => set(i, { value: e.currentTarget.value })}
          />
          <Select
            w={136}
            aria-label={`${t('crm.comms.type')} ${i + 1}`}
            data={types.map((ty) => ({ value: ty, label: t(`crm.comms.types.${ty}`) }))}
            value={c.type || 'work'}
            disabled={disabled}
            allowDeselect={false}
            onChange={(v) => set(i, { type: v ?? 'work' })}
          />
          {c.value.trim() && savedValues.has(c.value.trim()) && (
            <ActionIcon
              component="a"
              href={kind === 'phones' ? telHref(c) : mailtoHref(c)}
              variant="light"
              size="lg"
              aria-label={`${t(kind === 'phones' ? 'crm.comms.call' : 'crm.comms.write')} ${c.value.trim()}`}
              data-testid={kind === 'phones' ? 'tel-link' : 'mailto-link'}
            >
              {kind === 'phones' ? '☎' : '✉'}
            </ActionIcon>
          )}
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            disabled={disabled}
            aria-label={`${t('crm.comms.remove')} ${c.value || i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      {errors[errorPrefix] && (
        <Text size="xs" c="red">
          {errors[errorPrefix]}
        </Text>
      )}
      <Group>
        <Button size="compact-sm" variant="subtle" disabled={disabled} onClick={() => onChange([...value, { value: '', type: 'work' }])}>
          {t(kind === 'phones' ? 'crm.comms.addPhone' : 'crm.comms.addEmail')}
        </Button>
      </Group>
    </Stack>
  );
}
