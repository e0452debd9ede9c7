import { type MutationFunction, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { notifications } from '@mantine/notifications';
import { api, isApiError } from '../../api/client';
import type { Page, User } from '../../api/types';
import { errorMessage } from '../../lib/errors';

// Shapes and queries of the settings screens (administrators only). The look-ups they edit
// (pipelines, reference lists, custom fields, departments) are in src/api/lookups.ts.

export const ENTITIES = ['lead', 'deal', 'contact', 'company', 'activity'] as const;
export const ACTIONS = ['read', 'create', 'update', 'delete', 'export'] as const;
export const LEVELS = ['none', 'own', 'department', 'department_tree', 'all'] as const;
export type Entity = (typeof ENTITIES)[number];
export type Action = (typeof ACTIONS)[number];
export type Level = (typeof LEVELS)[number];
export interface Grant {
  entity: Entity;
  action: Action;
  level: Level;
  pipelineId: number | null;
}
/** Rights beside the record matrix a role may be granted (src/modules/permissions/capabilities.ts). */
export const CAPABILITIES = ['automation.manage'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface Role {
  id: number;
  name: string;
  code: string | null;
  isAdmin: boolean;
  /** rights beside the matrix, e.g. automation.manage */
  capabilities: Capability[];
  builtIn: boolean;
  permissions: Grant[];
  version: number;
}

/** Settings keep look-ups fresh for a minute only (an administrator is editing them). */
export const STALE = 60_000;

export const useRoles = () => useQuery({ queryKey: ['roles'], queryFn: ({ signal }) => api.get<{ items: Role[] }>('/roles', undefined, { signal }), select: (p) => p.items, staleTime: STALE });

/** Every user, active or not (the settings list shows both). */
export const useAllUsers = () =>
  useQuery({
    queryKey: ['users', 'settings'],
    queryFn: async ({ signal }) => {
      const [active, inactive] = await Promise.all([
        api.get<Page<User>>('/users', { limit: 500 }, { signal }),
        api.get<Page<User>>('/users', { limit: 500, active: false }, { signal }),
      ]);
      return [...active.items, ...inactive.items];
    },
    staleTime: STALE,
  });

/** Invalidate a resource after a write (all its queries, here and on other screens). */
export function useInvalidate() {
  const qc = useQueryClient();
  return (...keys: string[]) => keys.forEach((k) => void qc.invalidateQueries({ queryKey: [k] }));
}

/**
 * A toast for a failed settings write. Rule violations (422) and conflicts (409) carry the
 * server's explanation; `known` maps an error code to a clearer sentence of ours where we have one.
 */
export function notifyFailure(t: TFunction, e: unknown, known?: Partial<Record<string, string>>): void {
  if (isApiError(e) && e.status === 401) return;
  const ours = isApiError(e) ? known?.[e.code] : undefined;
  const ruleLike = isApiError(e) && (e.code === 'rule_violation' || e.code === 'conflict');
  const field = isApiError(e) && e.code === 'validation_failed' ? e.fields[0] : undefined;
  notifications.show({
    color: 'red',
    title: ruleLike ? t('settings.ruleViolation') : t('errors.title'),
    // a named rule gets our wording (errorMessage); a conflict the server's, which says what clashed
    message: ours ?? (isApiError(e) && e.code === 'conflict' ? e.message : field ? `${errorMessage(t, e)} ${field.path}: ${field.message}` : errorMessage(t, e)),
  });
}

export function notifySaved(t: TFunction, message?: string): void {
  notifications.show({ color: 'green', message: message ?? t('settings.saved'), autoClose: 2500 });
}

export type FieldErrors = Record<string, string>;

/**
 * A failed form save: the server's field errors go beside the inputs (by path, `toField` may
 * rename them), anything else — or errors for no field — is a toast.
 */
export function showSaveError(t: TFunction, e: unknown, setErrors: (errors: FieldErrors) => void, known?: Partial<Record<string, string>>, toField = (path: string) => path): void {
  const fields: FieldErrors = {};
  if (isApiError(e)) for (const f of e.fields) fields[toField(f.path)] ??= f.message;
  if (Object.keys(fields).length) setErrors(fields);
  if (!isApiError(e) || e.code !== 'validation_failed' || !Object.keys(fields).length) notifyFailure(t, e, known);
}

/**
 * The save of a settings form: `onSuccess` with the saved record and the `done` toast if given,
 * `showSaveError` on failure.
 */
export function useFormSave<T>({
  save,
  setErrors,
  onSuccess,
  done,
  known,
  toField,
}: {
  save: MutationFunction<T, void>;
  setErrors: (errors: FieldErrors) => void;
  onSuccess: (saved: T) => void;
  done?: (saved: T) => string;
  known?: Partial<Record<string, string>>;
  toField?: (path: string) => string;
}) {
  const { t } = useTranslation();
  return useMutation({
    mutationFn: save,
    onSuccess: (saved) => {
      onSuccess(saved);
      if (done) notifySaved(t, done(saved));
    },
    onError: (e) => showSaveError(t, e, setErrors, known, toField),
  });
}

/** The one message of a form with a single field (whatever path the server named). */
export const firstError = (errors: FieldErrors): string | undefined => Object.values(errors)[0];
