import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { api, isApiError } from '../../api/client';
import { notifyError } from '../../lib/errors';

// Editing a record's card: a local copy of the fields (`form`), a Save that PATCHes only what
// changed with the version it was based on, server field errors by path, and the conflict case
// (someone saved first: 409 with the current record) kept for the card to show.

export function useEditForm<R extends { id: number; version: number }, F extends Record<string, unknown>>(record: R | undefined, toForm: (r: R) => F) {
  // `base` is the record the form was loaded from: the form is dirty when it differs from it
  const [base, setBase] = useState<R | undefined>(record);
  const [form, setForm] = useState<F | null>(record ? toForm(record) : null);
  const dirty = !!base && !!form && JSON.stringify(form) !== JSON.stringify(toForm(base));

  // a newer version of the record (saved here, merged, reloaded): take it unless the user is typing
  useEffect(() => {
    if (!record) return;
    if (!base || base.id !== record.id || (base.version !== record.version && !dirty)) {
      setBase(record);
      setForm(toForm(record));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [record]);

  const set = <K extends keyof F>(key: K, value: F[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));
  /** drop the edits and show the record as it is now */
  const reset = (to: R | undefined = record) => {
    if (to) {
      setBase(to);
      setForm(toForm(to));
    }
  };
  return { form, set, dirty, reset, base };
}

/** Keys whose values differ (deep), for a PATCH of just those. */
export function changedKeys<F extends Record<string, unknown>>(before: F, after: F): Array<keyof F> {
  return (Object.keys(after) as Array<keyof F>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function useSaveRecord<R extends { id: number; version: number }>(resource: 'leads' | 'contacts' | 'companies', record: R | undefined, onSaved?: (saved: R) => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<R | null>(null);
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => api.patch<R>(`/${resource}/${record!.id}`, { ...patch, version: record!.version }),
    onSuccess: (r) => {
      setErrors({});
      setConflict(null);
      qc.setQueryData([resource, r.id], r);
      onSaved?.(r);
      void qc.invalidateQueries({ queryKey: [resource, 'list'] });
      void qc.invalidateQueries({ queryKey: [resource, r.id, 'timeline'] });
      notifications.show({ color: 'green', message: t('crm.saved') });
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'version_conflict' && e.current) {
        setConflict(e.current as R);
        return;
      }
      if (isApiError(e) && e.fields.length) setErrors(e.fieldErrors());
      notifyError(t, e);
    },
  });
  /** take the server's version (the user's unsaved edits are dropped) */
  const reload = () => {
    if (conflict) qc.setQueryData([resource, conflict.id], conflict);
    setConflict(null);
    setErrors({});
  };
  return { save, errors, setErrors, conflict, reload };
}
