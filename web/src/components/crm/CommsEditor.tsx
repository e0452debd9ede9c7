import { ActionIcon, Anchor, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Communication } from './records';

// Phones or e-mails of a record: value + type rows, add/remove. Server errors come keyed by path
// (`phones[1].value`) and show under the row they belong to.

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
}

export function CommsEditor({ kind, value, onChange, errors = {}, errorPrefix = kind, disabled }: CommsEditorProps) {
  const { t } = useTranslation();
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

/** Read-only phones/e-mails as tel:/mailto: links with their type. */
export function CommsView({ phones, emails }: { phones: Communication[]; emails: Communication[] }) {
  const { t } = useTranslation();
  if (!phones.length && !emails.length) return null;
  return (
    <Stack gap={2}>
      {phones.map((p, i) => (
        <Text size="sm" key={`p${i}`}>
          <Anchor href={`tel:${p.normalized ?? p.value}`}>{p.value}</Anchor>{' '}
          <Text span size="xs" c="dimmed">
            {t(`crm.comms.types.${p.type}`, { defaultValue: p.type })}
          </Text>
        </Text>
      ))}
      {emails.map((e, i) => (
        <Text size="sm" key={`e${i}`}>
          <Anchor href={`mailto:${e.value}`}>{e.value}</Anchor>{' '}
          <Text span size="xs" c="dimmed">
            {t(`crm.comms.types.${e.type}`, { defaultValue: e.type })}
          </Text>
        </Text>
      ))}
    </Stack>
  );
}
