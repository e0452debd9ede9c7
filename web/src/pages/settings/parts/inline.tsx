import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Button, Group, TextInput, type TextInputProps } from '@mantine/core';
import { useNameForm } from './name-form';

/**
 * A name edited in place (a pipeline, a stage, a list value): saved on Enter or on leaving the
 * field. An empty name or a failed save puts the saved name back.
 */
export function InlineNameInput({ value, onSave, ...props }: { value: string; onSave: (name: string) => Promise<unknown> } & Omit<TextInputProps, 'value' | 'onChange' | 'onBlur' | 'onKeyDown'>) {
  const [draft, setDraft] = useState(value);
  const saving = useRef<string | null>(null);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    const name = draft.trim();
    if (!name) return setDraft(value);
    if (name === value || name === saving.current) return; // Enter, then leaving the field: one save
    saving.current = name;
    onSave(name)
      .catch(() => setDraft(value))
      .finally(() => (saving.current = null));
  };
  return <TextInput {...props} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), commit())} />;
}

/**
 * A one-line form adding a named item below a list (a stage, a list value): the name, the caller's
 * extra fields (`children`), the button. The name is cleared after a successful add.
 */
export function InlineAddForm<T>({
  label,
  buttonLabel,
  maxLength,
  add,
  onAdded,
  children,
}: {
  label: string;
  buttonLabel: string;
  maxLength: number;
  add: (name: string) => Promise<T>;
  onAdded: (item: T) => void;
  children?: ReactNode;
}) {
  const form = useNameForm(add, onAdded);
  return (
    <form noValidate
      onSubmit={(e) => {
        e.preventDefault();
        form.submit();
      }}
    >
      <Group mt="md" align="flex-end" gap="xs" wrap="wrap">
        <TextInput label={label} {...form.input} maxLength={maxLength} style={{ flex: 1, minWidth: 180 }} />
        {children}
        <Button type="submit" loading={form.pending}>
          {buttonLabel}
        </Button>
      </Group>
    </form>
  );
}
