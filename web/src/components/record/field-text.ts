import type { CustomField } from '../../api/lookups';

// A value as text the way a person reads it (pure, so that what is not a React tree — the merge
// preview's cells — shows values exactly as FieldValue does on the card and in the timeline).

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

type T = (key: string, options?: Record<string, unknown>) => string;

/** The part of useFormat() the texts need (locale and time zone are bound in). */
export interface TextFormat {
  money: (amountMinor: number, currency: string) => string;
  number: (value: number) => string;
  date: (value: string) => string;
  dateTime: (value: string) => string;
}

export interface ValueTextContext {
  t: T;
  fmt: TextFormat;
  /** the currency of a money value stored without one */
  currency: string;
  userLabel: (id: unknown) => string;
}

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]);

/** A custom field's value: choices by their label, money and dates by locale, yes/no, users by name. */
export function customValueText(def: CustomField | undefined, v: unknown, { t, fmt, currency, userLabel }: ValueTextContext): string {
  if (!def) return plainText(v, t, fmt);
  switch (def.type) {
    case 'money': {
      const m = v as { amount?: number; currency?: string };
      return typeof m?.amount === 'number' ? fmt.money(m.amount, m.currency ?? currency) : plainText(v, t, fmt);
    }
    case 'date':
    case 'datetime':
    case 'boolean':
    case 'number':
      return plainText(v, t, fmt);
    case 'list':
    case 'multilist':
      return asArray(v)
        .map((id) => def.options.choices?.find((c) => c.id === id)?.label ?? String(id))
        .join(', ');
    case 'user':
      return userLabel(v);
    case 'record':
      return def.options.recordEntity ? t(`record.value.${def.options.recordEntity}`, { id: v }) : `#${String(v)}`;
    default:
      return String(v);
  }
}

/** A value of no known kind: yes/no, numbers, dates and date-times by locale, lists joined. */
export function plainText(v: unknown, t: T, fmt: TextFormat): string {
  if (typeof v === 'boolean') return v ? t('record.value.yes') : t('record.value.no');
  if (typeof v === 'number') return fmt.number(v);
  if (typeof v === 'string') {
    if (DATE_ONLY.test(v)) return fmt.date(v);
    if (ISO_TIME.test(v)) return fmt.dateTime(v);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => plainText(x, t, fmt)).join(', ');
  if (v && typeof v === 'object') {
    const m = v as { amount?: unknown; currency?: unknown };
    if (typeof m.amount === 'number' && typeof m.currency === 'string') return fmt.money(m.amount, m.currency);
    return JSON.stringify(v);
  }
  return String(v);
}
