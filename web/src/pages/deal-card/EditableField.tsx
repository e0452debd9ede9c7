import { useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Box, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { InPlaceForm } from '../../components/record/InPlaceForm';
import { dropDraft, readDraft, writeDraft } from '../../lib/use-draft';
import { fieldErrorFor } from '../../components/record/server-message';
import { useDeal } from './deal-context';
import type { Deal, DealPatch } from './types';

// A field of the card edited in place: the value with a pencil; a click opens the editor with
// «Сохранить» / «Отмена» (Enter saves single-line editors, Escape cancels). The server's
// validation message for the field is shown under the input and the editor stays open. What is
// typed is kept as a draft until saved or cancelled: a session expiry (log-in page, back) or a
// reload reopens the editor with it.

export interface EditorProps<V> {
  value: V;
  onChange: (v: V) => void;
  error?: string;
  label: string;
}

export interface EditableFieldProps<V> {
  label: string;
  /** the API field path its errors come under: 'probability', 'custom.budget' */
  field: string;
  value: V;
  display: ReactNode;
  editor: (p: EditorProps<V>) => ReactNode;
  toPatch: (v: V) => DealPatch | { error: string };
  /** false: read-only here (e.g. the amount with product rows), `note` says why */
  editable?: boolean;
  note?: ReactNode;
  required?: boolean;
  /** the value speaks for itself (the title): no label above it, only the pencil */
  hideLabel?: boolean;
  testId?: string;
}

export function EditableField<V>({ label, field, value, display, editor, toPatch, editable = true, note, required, hideLabel, testId }: EditableFieldProps<V>) {
  const { t } = useTranslation();
  const { deal, canEdit, save } = useDeal();
  const can = canEdit && editable;
  const draftKey = `deal-field:${deal.id}:${field}`;
  const [editing, setEditing] = useState(() => can && readDraft(draftKey) !== null);
  const [draft, setDraftValue] = useState<V>(() => readDraft<{ value: V }>(draftKey)?.value ?? value);
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const base = useRef<Deal>(deal);
  const editButton = useRef<HTMLButtonElement>(null);
  const setDraft = (v: V) => {
    setDraftValue(v);
    writeDraft(draftKey, { value: v });
  };

  const open = () => {
    if (!can) return;
    base.current = deal;
    setDraftValue(value);
    setError(undefined);
    setEditing(true);
  };
  const close = () => {
    dropDraft(draftKey);
    setEditing(false);
    setError(undefined);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const submit = async () => {
    const patch = toPatch(draft);
    if ('error' in patch && typeof patch.error === 'string') {
      setError(patch.error);
      return;
    }
    setSaving(true);
    try {
      // Saved against the deal as shown now (our own other saves are already in it), unless the
      // edited field itself changed under the editor: then against what the user started from,
      // so that the server reports the conflict instead of overwriting someone else's value.
      const fields = Object.keys(patch) as Array<keyof Deal>;
      const touched = fields.some((f) => JSON.stringify(base.current[f]) !== JSON.stringify(deal[f]));
      await save(patch as DealPatch, touched ? base.current : deal);
      close();
    } catch (e) {
      setError(fieldErrorFor(t, e, field));
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <InPlaceForm testId={testId ? `${testId}-editor` : undefined} saving={saving} onSubmit={() => void submit()} onCancel={close}>
        {editor({ value: draft, onChange: setDraft, error, label })}
      </InPlaceForm>
    );
  }

  return (
    <Stack gap={2} data-testid={testId}>
      {hideLabel ? (
        <Group gap="xs" wrap="nowrap" align="center">
          <Box onClick={can ? open : undefined} style={{ cursor: can ? 'pointer' : undefined, minWidth: 0 }} data-testid={testId ? `${testId}-value` : undefined}>
            {display}
          </Box>
          {can && (
            <ActionIcon ref={editButton} variant="subtle" size="md" color="gray" onClick={open} aria-label={t('dealCard.editField', { field: label })}>
              <PencilIcon size={18} />
            </ActionIcon>
          )}
        </Group>
      ) : (
        <>
      <Group gap={4} wrap="nowrap" justify="space-between">
        <Text size="xs" c="dimmed" fw={500}>
          {label}
          {required && (
            <Text span c="red" aria-hidden>
              {' *'}
            </Text>
          )}
        </Text>
        {can && (
          <ActionIcon ref={editButton} variant="subtle" size="sm" color="gray" onClick={open} aria-label={t('dealCard.editField', { field: label })}>
            <PencilIcon />
          </ActionIcon>
        )}
      </Group>
      <Box
        onClick={can ? open : undefined}
        style={{ cursor: can ? 'pointer' : undefined, minHeight: 22, overflowWrap: 'anywhere' }}
        fz="sm"
        data-testid={testId ? `${testId}-value` : undefined}
      >
        {display}
      </Box>
        </>
      )}
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Stack>
  );
}

export function PencilIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M4 20h4L19 9l-4-4L4 16z M13 7l4 4" />
    </svg>
  );
}
