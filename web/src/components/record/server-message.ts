import type { TFunction } from 'i18next';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../lib/errors';

// The server words field problems in English (zod messages). The common ones get the user's
// language; anything else is shown as the server said it.

const PATTERNS: Array<[RegExp, string]> = [
  [/^Too big: expected number to be <=?\s*(-?[\d.]+)/i, 'record.serverMessage.max'],
  [/^Too small: expected number to be >=?\s*(-?[\d.]+)/i, 'record.serverMessage.min'],
  [/^Too big: expected (?:string|array) to have <=?\s*(\d+)/i, 'record.serverMessage.maxLength'],
  [/^Too small: expected (?:string|array) to have >=?\s*1 /i, 'record.serverMessage.required'],
  [/^Invalid input: expected (?:number|int)/i, 'record.serverMessage.number'],
  [/^Invalid (?:ISO )?date/i, 'record.serverMessage.date'],
  [/is required/i, 'record.serverMessage.required'],
  [/^ИНН must be/, 'record.serverMessage.inn'],
  [/^КПП must be/, 'record.serverMessage.kpp'],
];

export function localizeFieldMessage(t: TFunction, message: string): string {
  for (const [re, key] of PATTERNS) {
    const m = re.exec(message);
    if (m) return t(key, { value: m[1] });
  }
  return message;
}

/**
 * The message to show at a field after a failed save of that field: its own field error if the
 * server gave one (`field`, `field.x`, `field[0]`), else the general wording of the error.
 */
export function fieldErrorFor(t: TFunction, error: unknown, field: string): string {
  if (isApiError(error)) {
    const errs = error.fieldErrors();
    const key = Object.keys(errs).find((k) => k === field || k.startsWith(`${field}.`) || k.startsWith(`${field}[`));
    if (key) return localizeFieldMessage(t, errs[key]!);
    const first = Object.values(errs)[0];
    if (first && error.code === 'validation_failed') return localizeFieldMessage(t, first);
  }
  return errorMessage(t, error);
}
