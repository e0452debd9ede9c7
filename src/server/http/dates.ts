import { z } from 'zod';

/**
 * The range of dates and times the API accepts anywhere — query filters, body fields, custom
 * fields of date/datetime type and cursors: years 1900–9999 in UTC. PostgreSQL cannot parse the
 * ISO spelling JavaScript gives years past 9999 (`+010000-…`), year 0 and negative years, and on
 * SQLite such strings sort wrongly as text; no CRM record needs them.
 */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9999-12-31';
export const MIN_INSTANT = `${MIN_DATE}T00:00:00.000Z`;
export const MAX_INSTANT = `${MAX_DATE}T23:59:59.999Z`;
export const DATE_RANGE_MESSAGE = `must be between ${MIN_DATE} and ${MAX_DATE} (UTC)`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A `YYYY-MM-DD` that is a real calendar date within the supported range. */
export function isSupportedDate(s: string): boolean {
  if (!DATE.test(s) || s < MIN_DATE || s > MAX_DATE) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A normalized UTC time (`toISOString()` spelling) within the supported range. */
export const isSupportedInstant = (iso: string): boolean => ISO_UTC.test(iso) && iso >= MIN_INSTANT && iso <= MAX_INSTANT;

/** Any ISO 8601 time with an offset → its UTC spelling, or null when unparseable or out of range. */
export function toSupportedInstant(raw: string): string | null {
  const t = Date.parse(raw);
  if (Number.isNaN(t)) return null;
  const iso = new Date(t).toISOString();
  return isSupportedInstant(iso) ? iso : null;
}

/** `2026-11-28`, a real date within the supported range. */
export const dateOnly = z.iso.date({ abort: true }).refine(isSupportedDate, DATE_RANGE_MESSAGE);

/** An ISO 8601 time with an offset, normalized to UTC with milliseconds, within the supported range. */
export const isoDateTime = z.iso
  .datetime({ offset: true, abort: true })
  .refine((v) => toSupportedInstant(v) !== null, DATE_RANGE_MESSAGE)
  .transform((v) => toSupportedInstant(v)!);

/** A date or a time, as given (callers decide what a date means for their bound), within the supported range. */
export const dateOrTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine((v) => (v.length === 10 ? isSupportedDate(v) : toSupportedInstant(v) !== null), DATE_RANGE_MESSAGE);

/** Lower bound of a `…From` filter: a date from its first instant, a time as itself (UTC). */
export const rangeStart = z.union([dateOnly.transform((d) => `${d}T00:00:00.000Z`), isoDateTime]);

/**
 * Upper bound of a `…To` filter: a date takes in its whole day (up to its last millisecond, so
 * that 9999-12-31 needs no instant in year 10000), a time is the bound itself (inclusive).
 */
export const rangeEnd = z.union([dateOnly.transform((d) => ({ atMost: `${d}T23:59:59.999Z` })), isoDateTime.transform((t) => ({ atMost: t }))]);
