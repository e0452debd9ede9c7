import { useCallback, useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { notifications } from '@mantine/notifications';
import { api, isApiError } from '../../api/client';
import { useMayAct } from '../../auth/use-may-act';
import { dropDraft, readDraft, writeDraft } from '../../lib/use-draft';
import { notifyError } from '../../lib/errors';
import { SINGULAR, invalidateSavedRecord } from '../record/keys';
import { rebaseForm, sameValue } from './form-logic';
import type { CrmResource } from './record-config';

// Editing a record's card: a local copy of the fields (`form`), a Save that PATCHes only what
// changed with the version it was based on, server field errors by path, and the conflict case
// (someone saved first: 409 with the current record) kept for the card to show.

export { changedKeys } from './form-logic';

/** An edit form's draft: the form, and the record (as a form) and version it was edited from. */
interface Kept<F> {
  version: number;
  base: F;
  form: F;
}

export function useEditForm<R extends { id: number; version: number }, F extends Record<string, unknown>>(record: R | undefined, toForm: (r: R) => F, draftKey?: string) {
  // Unsaved edits are kept under `draftKey` (sessionStorage) with the record they were made on, so
  // a session expiry or a reload brings them back; if the record has changed since, they are
  // rebased on it as while typing, and dropped when someone else changed the same fields.
  const restore = (r: R): F => {
    const kept = draftKey ? readDraft<Kept<F>>(draftKey) : null;
    if (!kept) return toForm(r);
    if (kept.version === r.version) return kept.form;
    const next = rebaseForm(kept.base, kept.form, toForm(r));
    if (next) writeDraft(draftKey!, { version: r.version, base: toForm(r), form: next });
    else dropDraft(draftKey!);
    return next ?? toForm(r);
  };
  // `base` is the record the form was loaded from: the form is dirty when it differs from it
  const [base, setBase] = useState<R | undefined>(record);
  const [form, setForm] = useState<F | null>(() => (record ? restore(record) : null));
  const dirty = !!base && !!form && JSON.stringify(form) !== JSON.stringify(toForm(base));

  // A newer version of the record (saved here, merged, reloaded, a custom field saved in place):
  // take it; while the user is typing, take what changed in other fields and keep their edits.
  // When both changed the same field the form stays on its base, and saving reports the conflict.
  useEffect(() => {
    if (!record) return;
    if (!base || !form || base.id !== record.id) {
      setBase(record);
      setForm(restore(record));
    } else if (base.version !== record.version && !dirty) {
      setBase(record);
      setForm(toForm(record));
    } else if (base.version !== record.version) {
      const next = rebaseForm(toForm(base), form, toForm(record));
      if (next) {
        setBase(record);
        setForm(next);
        if (draftKey) writeDraft(draftKey, { version: record.version, base: toForm(record), form: next });
      }
    }
    // runs when a new version of the record arrives, reading the form as it is then;
    // with the form and the helpers as dependencies it would rebase on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [record]);

  const set = <K extends keyof F>(key: K, value: F[K]) =>
    setForm((f) => {
      if (!f) return f;
      const next = { ...f, [key]: value };
      if (draftKey && base) writeDraft(draftKey, { version: base.version, base: toForm(base), form: next });
      return next;
    });
  /** drop the edits and show the record as it is now */
  const reset = (to: R | undefined = record) => {
    if (draftKey) dropDraft(draftKey);
    if (to) {
      setBase(to);
      setForm(toForm(to));
    }
  };
  return { form, set, dirty, reset, base };
}

/** After a record was saved: the card, the lists and the record's history show the new version. */
function useRecordSaved<R extends { id: number }>(resource: CrmResource) {
  const qc = useQueryClient();
  return useCallback(
    (r: R) => {
      qc.setQueryData([resource, r.id], r);
      // lists, the leads' board, pickers: every key of the resource but the records themselves
      void qc.invalidateQueries({ queryKey: [resource], predicate: (q) => typeof q.queryKey[1] === 'string' });
      invalidateSavedRecord(qc, resource, r.id);
    },
    [qc, resource],
  );
}

export function useSaveRecord<R extends { id: number; version: number }>(resource: CrmResource, record: R | undefined, onSaved?: (saved: R) => void) {
  const { t } = useTranslation();
  const saved = useRecordSaved<R>(resource);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<R | null>(null);
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => api.patch<R>(`/${resource}/${record!.id}`, { ...patch, version: record!.version }),
    onSuccess: (r) => {
      setErrors({});
      setConflict(null);
      onSaved?.(r);
      saved(r);
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

/**
 * A save of a few fields edited in place (the custom fields): PATCH against `base`. When someone
 * else saved the record meanwhile but not these fields, it is saved again over their version; when
 * they changed these very fields, the card shows their version and the 409 is thrown (its message
 * is shown at the field).
 */
export function usePatchInPlace<R extends { id: number; version: number }>(resource: CrmResource) {
  const saved = useRecordSaved<R>(resource);
  const qc = useQueryClient();
  return useCallback(
    async (patch: Record<string, unknown>, base: R): Promise<R> => {
      const send = (version: number) => api.patch<R>(`/${resource}/${base.id}`, { ...patch, version });
      let r: R;
      try {
        r = await send(base.version);
      } catch (e) {
        if (!(isApiError(e) && e.code === 'version_conflict' && e.current)) throw e;
        const current = e.current as R;
        if (touches(patch, base, current)) {
          qc.setQueryData([resource, current.id], current);
          throw e;
        }
        r = await send(current.version);
      }
      saved(r);
      return r;
    },
    [qc, resource, saved],
  );
}

/** Does the patch write a value that changed between the two versions (custom fields one by one)? */
function touches(patch: Record<string, unknown>, before: object, after: object): boolean {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return Object.entries(patch).some(([k, v]) =>
    k === 'custom' && v && typeof v === 'object'
      ? Object.keys(v).some((code) => !sameValue((b.custom as Record<string, unknown> | undefined)?.[code], (a.custom as Record<string, unknown> | undefined)?.[code]))
      : !sameValue(b[k], a[k]),
  );
}

/** May the user change this record (the role's update level; a department is checked by the server)? */
export function useCanUpdate(resource: CrmResource, responsibleId: number): boolean {
  return useMayAct(SINGULAR[resource], 'update', responsibleId);
}
