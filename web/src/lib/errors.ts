import type { TFunction } from 'i18next';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/client';

/** A sentence for the user about a failed call, in their language (errors.<code> keys). */
export function errorMessage(t: TFunction, error: unknown): string {
  if (isApiError(error)) {
    // a business rule the server names: its wording in the user's language (the server's is English)
    if (error.rule) {
      const rule = t(`errors.rules.${error.rule}`, { ...error.params, defaultValue: '' });
      if (rule) return rule;
    }
    const key = `errors.${error.code}`;
    const text = t(key, { message: error.message, defaultValue: '' });
    if (text) return text;
    return t('errors.unknown', { message: error.message });
  }
  return t('errors.unknown', { message: error instanceof Error ? error.message : String(error) });
}

/** A red toast for a failed mutation: `onError: (e) => notifyError(t, e)`. 401 is handled by the client. */
export function notifyError(t: TFunction, error: unknown): void {
  if (isApiError(error) && error.status === 401) return;
  notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, error) });
}
