import { useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMessage } from '../../lib/errors';

// «Создать …» in the contact and company pickers: what the user typed becomes a new record (a
// contact's name in the app's «Фамилия Имя Отчество» order, or its phone or e-mail when that is
// what was typed; a company's name), which the picker then links. The full card is one click away.

export type CreatableKind = 'contacts' | 'companies';

/** The option value that stands for «create from the typed text» (never a record id). */
export const CREATE_OPTION = '__create__';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{5,}$/;

/** The POST body of a record made from the typed text. */
export function bodyFromTyped(kind: CreatableKind, typed: string): Record<string, unknown> {
  const text = typed.trim().replace(/\s+/g, ' ');
  if (kind === 'companies') return { name: text };
  if (EMAIL.test(text)) return { emails: [{ value: text, type: 'work' }] };
  if (PHONE.test(text) && text.replace(/\D/g, '').length >= 5) return { phones: [{ value: text, type: 'work' }] };
  const words = text.split(' ');
  if (words.length === 1) return { firstName: words[0] };
  // «Фамилия Имя Отчество», as personName() shows it; a fourth word stays with the patronymic
  return { lastName: words[0], firstName: words[1], ...(words.length > 2 ? { middleName: words.slice(2).join(' ') } : {}) };
}

/** Whether to offer «Создать «typed»»: something is typed, the search has answered and no hit has exactly that name. */
export function offerCreate(typed: string, searching: boolean, labels: string[]): boolean {
  const text = typed.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  if (text.length < 2 || searching) return false;
  return !labels.some((l) => l.trim().toLocaleLowerCase() === text);
}

/** The picker's «Создать …» option (none when `offer` is false). */
export function createOptions(kind: CreatableKind, typed: string, offer: boolean, t: TFunction): Array<{ value: string; label: string }> {
  return offer ? [{ value: CREATE_OPTION, label: t(`crm.picker.create.${kind}`, { name: typed.trim() }) }] : [];
}

export interface CreatedRecord {
  id: number;
  label: string;
  hint?: string;
}

/** Creates a contact or company from the typed text; pickers, lists and cards see it at once. */
export function useCreateByName(kind: CreatableKind) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (typed: string) => api.post<{ id: number; fullName?: string; name?: string }>(`/${kind}`, bodyFromTyped(kind, typed)),
    onSuccess: (created) => {
      const { duplicates: _duplicates, ...record } = created as typeof created & { duplicates?: unknown };
      qc.setQueryData([kind, created.id], record);
      // lists and pickers (['contacts', 'pick', q] …), not the cached records
      void qc.invalidateQueries({ queryKey: [kind], predicate: (q) => typeof q.queryKey[1] === 'string' });
    },
  });
}

/** The label of a record the server returned. */
export const createdLabel = (r: { id: number; fullName?: string; name?: string }): string => r.fullName || r.name || `#${r.id}`;

/**
 * The «Создать …» part of a picker: the option to add to its data (after the hits), and `handle`,
 * to call first in its onChange — true when the create option was chosen, and then `onCreated`
 * gets the new record once the server has it. A refusal (e.g. a required field) is `error`.
 */
export function usePickerCreate(kind: CreatableKind, { search, searching, labels, onCreated }: { search: string; searching: boolean; labels: string[]; onCreated: (r: CreatedRecord) => void }) {
  const { t } = useTranslation();
  const create = useCreateByName(kind);
  const [error, setError] = useState<string>();
  // the pickers' searches wait as long before they ask: until then the hits are of older text
  const [settled] = useDebouncedValue(search.trim(), 250);
  const answered = !searching && settled === search.trim();
  const options = createOptions(kind, search, !create.isPending && offerCreate(search, !answered, labels), t);
  const handle = (value: string | null | undefined): boolean => {
    if (value !== CREATE_OPTION) return false;
    setError(undefined);
    create.mutate(search, { onSuccess: (r) => onCreated({ id: r.id, label: createdLabel(r) }), onError: (e) => setError(errorMessage(t, e)) });
    return true;
  };
  return { options, handle, pending: create.isPending, error };
}
