import { MONEY_MAX } from '../../shared/money.js';
import { DATE_RANGE_MESSAGE, isSupportedDate, toSupportedInstant } from '../../server/http/dates.js';

// Custom-field value formats. A record stores its custom values as one JSON object
// `{ "<code>": value }` in its `custom` text column; this file is the single place that says
// which JSON value each field type accepts and how it is stored:
//
//   string    JSON string, ≤ 255 characters (or the field's options.maxLength if lower); trimmed
//   text      JSON string, ≤ 10 000 characters (or options.maxLength if lower); trimmed
//   number    decimal string ("-12.50") or finite JSON number; stored as a canonical decimal
//             string ("-12.5") so that no precision is lost and equality filters are exact
//   money     { "amount": integer of minor units, |amount| ≤ MONEY_MAX, "currency": "RUB" } (ISO 4217, upper case)
//   date      "YYYY-MM-DD" (a real calendar date)
//   datetime  ISO 8601 with an offset or Z; stored normalized to UTC with milliseconds
//   boolean   true | false
//   list      one choice id (string) of options.choices
//   multilist array of distinct choice ids of options.choices (an empty array clears it)
//   user      id of an active user of the workspace (checked against the users module)
//   record    id (positive integer) of a record of options.recordEntity that the writer may
//             read (checked by the service with that module's ensureReadable)
//
// null (and an empty string or empty multilist) removes the value; `required` fields must
// hold a value after the write.

export const FIELD_ENTITIES = ['deal', 'lead', 'contact', 'company'] as const;
export const FIELD_TYPES = ['string', 'text', 'number', 'money', 'date', 'datetime', 'boolean', 'list', 'multilist', 'user', 'record'] as const;

export type FieldEntity = (typeof FIELD_ENTITIES)[number];
export type FieldType = (typeof FIELD_TYPES)[number];

export const STRING_MAX = 255;
export const TEXT_MAX = 10_000;

export interface Choice {
  id: string;
  label: string;
}

export interface FieldOptions {
  choices?: Choice[];
  recordEntity?: FieldEntity;
  maxLength?: number;
}

export interface FieldDefinition {
  id: number;
  entity: FieldEntity;
  code: string;
  name: string;
  type: FieldType;
  required: boolean;
  options: FieldOptions;
}

export type CustomValues = Record<string, unknown>;

/** The outcome of checking one value: the value to store (null = remove) or why it is wrong. */
export type ValueCheck = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): ValueCheck => ({ ok: true, value });
const bad = (message: string): ValueCheck => ({ ok: false, message });

const DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** "007.50" → "7.5", "-0" → "0": one spelling per number, so stored values compare as text. */
export function canonicalDecimal(raw: string): string | null {
  const s = raw.trim();
  if (!DECIMAL.test(s)) return null;
  const negative = s.startsWith('-');
  let [int, frac = ''] = (negative ? s.slice(1) : s).split('.') as [string, string?];
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

/** A real calendar date `YYYY-MM-DD` within the supported range (src/server/http/dates.ts). */
export const isCalendarDate = (s: string): boolean => isSupportedDate(s);

/** An ISO 8601 time with an offset → UTC with milliseconds, or null (unparseable or outside the supported range). */
export function normalizeDateTime(s: string): string | null {
  if (!DATETIME.test(s) || !/^\d{4}-\d{2}-\d{2}$/.test(s.slice(0, 10))) return null;
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(2000, m - 1, d));
  if (m < 1 || m > 12 || day.getUTCMonth() !== m - 1 || (m === 2 && d === 29 && !isLeap(y))) return null;
  return toSupportedInstant(s);
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const maxLengthOf = (field: FieldDefinition) => {
  const cap = field.type === 'text' ? TEXT_MAX : STRING_MAX;
  return field.options.maxLength ? Math.min(field.options.maxLength, cap) : cap;
};

/**
 * Checks one incoming value against its field (shape only: `user` ids are checked against the
 * database by the caller). Returns the normalized value to store, or null to remove it.
 */
export function checkValue(field: FieldDefinition, value: unknown): ValueCheck {
  if (value === null) return ok(null);
  switch (field.type) {
    case 'string':
    case 'text': {
      if (typeof value !== 'string') return bad('must be a string');
      const s = value.trim();
      const max = maxLengthOf(field);
      if (s.length > max) return bad(`must be at most ${max} characters`);
      return ok(s === '' ? null : s);
    }
    case 'number': {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return bad('must be a finite number');
        const c = canonicalDecimal(String(value));
        return c === null ? bad('must have at most 20 integer and 10 fraction digits') : ok(c);
      }
      if (typeof value !== 'string') return bad('must be a number or a decimal string like "12.5"');
      const c = canonicalDecimal(value);
      return c === null ? bad('must be a decimal string like "12.5" (at most 20 integer and 10 fraction digits)') : ok(c);
    }
    case 'money': {
      if (typeof value !== 'object' || Array.isArray(value)) return bad('must be { amount, currency }');
      const m = value as Record<string, unknown>;
      const extra = Object.keys(m).filter((k) => k !== 'amount' && k !== 'currency');
      if (extra.length) return bad(`unknown key ${extra[0]}; must be { amount, currency }`);
      if (!Number.isSafeInteger(m.amount) || Math.abs(m.amount as number) > MONEY_MAX) return bad(`amount must be an integer number of minor units, at most ${MONEY_MAX} either way`);
      if (typeof m.currency !== 'string' || !CURRENCY.test(m.currency)) return bad('currency must be an ISO 4217 code like "RUB"');
      return ok({ amount: m.amount, currency: m.currency });
    }
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? ok(value) : bad(`must be a date YYYY-MM-DD; dates ${DATE_RANGE_MESSAGE}`);
    case 'datetime': {
      const iso = typeof value === 'string' ? normalizeDateTime(value) : null;
      return iso ? ok(iso) : bad(`must be an ISO 8601 time with an offset, e.g. 2026-11-28T09:30:00Z; times ${DATE_RANGE_MESSAGE}`);
    }
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : bad('must be true or false');
    case 'list': {
      if (typeof value !== 'string') return bad('must be a choice id (string)');
      return choiceIds(field).has(value) ? ok(value) : bad(`is not one of the choices: ${[...choiceIds(field)].join(', ')}`);
    }
    case 'multilist': {
      if (!Array.isArray(value)) return bad('must be an array of choice ids');
      const allowed = choiceIds(field);
      for (const v of value) {
        if (typeof v !== 'string' || !allowed.has(v)) return bad(`${JSON.stringify(v)} is not one of the choices: ${[...allowed].join(', ')}`);
      }
      if (new Set(value).size !== value.length) return bad('must not repeat a choice');
      return ok(value.length === 0 ? null : value);
    }
    case 'user':
    case 'record':
      return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 2 ** 31 - 1
        ? ok(value)
        : bad(`must be a ${field.type === 'user' ? 'user' : 'record'} id (positive integer)`);
  }
}

const choiceIds = (field: FieldDefinition) => new Set((field.options.choices ?? []).map((c) => c.id));
