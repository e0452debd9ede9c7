import type { CustomField, FieldEntity } from '../../api/lookups';
import { currencyDigits, minorToDecimalString, parseMoney } from '../../lib/format';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

// Custom-field values ↔ what their inputs hold (pure, unit-tested). The stored formats are the
// server's (src/modules/custom-fields/custom-field-values.ts): number as a decimal string, money
// as { amount (minor units), currency }, datetime as UTC ISO, list as a choice id, multilist as
// choice ids, user/record as an id. An input's draft is text (or choice ids for a multilist).

export type CustomDraft = string | string[] | null;
export type CustomDraftError = 'badNumber' | 'badMoney' | 'badDate';

/** URL segment of the record a `record` field links to. */
export const RECORD_PATH: Record<FieldEntity, 'deals' | 'leads' | 'contacts' | 'companies'> = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' };

interface Where {
  locale: string;
  timeZone?: string;
}

const isMoney = (raw: unknown): raw is { amount: number; currency?: string } => !!raw && typeof raw === 'object' && typeof (raw as { amount?: unknown }).amount === 'number';

/** The currency a money field is typed in: its stored one, else the record's (or workspace's). */
export const moneyCurrency = (raw: unknown, fallback: string): string => (isMoney(raw) && raw.currency) || fallback;

/** A stored value → the draft its input starts from. */
export function toDraft(def: Pick<CustomField, 'type'>, raw: unknown, { locale, timeZone }: Where): CustomDraft {
  switch (def.type) {
    case 'money': {
      if (!isMoney(raw)) return '';
      const text = minorToDecimalString(raw.amount, currencyDigits(raw.currency ?? 'RUB'));
      return locale.startsWith('ru') ? text.replace('.', ',') : text;
    }
    case 'datetime':
      return typeof raw === 'string' ? utcIsoToZonedLocal(raw, timeZone) : '';
    case 'boolean':
      return raw === true ? 'true' : raw === false ? 'false' : null;
    case 'multilist':
      return Array.isArray(raw) ? raw.map(String) : [];
    case 'list':
    case 'user':
    case 'record':
      return raw == null ? null : String(raw);
    default:
      return raw == null ? '' : String(raw);
  }
}

/** A draft → the value to send (`null` clears the field), or why it cannot be sent. */
export function fromDraft(def: Pick<CustomField, 'type'>, draft: CustomDraft, { currency, timeZone }: { currency: string; timeZone?: string }): { value: unknown } | { error: CustomDraftError } {
  const s = typeof draft === 'string' ? draft.trim() : draft;
  if (s === '' || s === null || (Array.isArray(s) && !s.length)) return { value: null };
  switch (def.type) {
    case 'number': {
      const n = String(s).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
      return /^-?\d+(\.\d+)?$/.test(n) ? { value: n } : { error: 'badNumber' };
    }
    case 'money': {
      const amount = parseMoney(String(s), currency);
      return amount === null ? { error: 'badMoney' } : { value: { amount, currency } };
    }
    case 'datetime': {
      const iso = zonedLocalToUtcIso(String(s), timeZone);
      return iso ? { value: iso } : { error: 'badDate' };
    }
    case 'boolean':
      return { value: s === 'true' };
    case 'user':
    case 'record':
      return { value: Number(s) };
    default:
      return { value: s };
  }
}

/**
 * The `custom` object of a create request from the drafts typed into the form: the filled-in
 * fields only, with the errors of those that do not parse (keyed `custom.<code>`, as the server's).
 */
export function customBody(defs: Array<Pick<CustomField, 'code' | 'type'>>, drafts: Record<string, CustomDraft>, where: { currency: string; timeZone?: string }) {
  const custom: Record<string, unknown> = {};
  const errors: Record<string, CustomDraftError> = {};
  for (const def of defs) {
    const r = fromDraft(def, drafts[def.code] ?? null, where);
    if ('error' in r) errors[`custom.${def.code}`] = r.error;
    else if (r.value !== null) custom[def.code] = r.value;
  }
  return { custom, errors };
}
