import { z } from 'zod';
import { wallClock, wallToInstant } from '../../shared/time-zone.js';
import type { WorkingTime } from '../working-calendar/working-time.js';
import type { FieldCatalogue, RecordValues } from './field-catalogue.js';
import type { FieldError } from '../../server/errors.js';

// When a robot runs, relative to the moment its record entered the stage:
// - immediate: at once;
// - delay: after N minutes / hours / days, in working time only if asked (the workspace's calendar);
// - field: at a moment relative to a date field of the record (one day before the close date), at
//   a time of day if given; a moment already past runs at once, an empty field skips the robot;
// - time_of_day: at the next HH:MM in the workspace's time zone (on a working day, if asked);
// - after_previous: when the robot before it in the stage has finished (then after an optional delay).
// There is no minimum delay: one minute is one minute.

const amount = z.int().min(1).max(100_000);
const unit = z.enum(['minutes', 'hours', 'days']);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is not a time HH:MM');

export const timingSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('immediate') }),
  z.strictObject({ kind: z.literal('delay'), amount, unit, workingTime: z.boolean().default(false) }),
  z.strictObject({
    kind: z.literal('field'),
    field: z.string().min(1),
    direction: z.enum(['before', 'after']),
    amount: z.int().min(0).max(100_000),
    unit,
    at: clock.optional(),
  }),
  z.strictObject({ kind: z.literal('time_of_day'), at: clock, workingDays: z.boolean().default(false) }),
  z.strictObject({ kind: z.literal('after_previous'), amount: z.int().min(0).max(100_000).default(0), unit: unit.default('minutes'), workingTime: z.boolean().default(false) }),
]);
export type Timing = z.output<typeof timingSchema>;

const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;
const MINUTE = 60_000;

/** A field timing names a date or datetime field of the catalogue. */
export function timingFieldErrors(timing: Timing, catalogue: FieldCatalogue, path = 'timing'): FieldError[] {
  if (timing.kind !== 'field') return [];
  const f = catalogue[timing.field];
  if (!f) return [{ path: `${path}.field`, message: `no field ${timing.field}` }];
  if (f.type !== 'date' && f.type !== 'datetime') return [{ path: `${path}.field`, message: `${timing.field} is not a date` }];
  return [];
}

export interface TimingInput {
  /** when the record entered the stage (or, for after_previous, when the previous robot finished) */
  from: number;
  timeZone: string;
  values: RecordValues;
  /** the workspace's working calendar, when a timing counts working time */
  workingTime: () => Promise<WorkingTime>;
}

/** Adds a span, in working time if asked: days as working days at the same clock time, minutes and hours as working minutes. */
async function addSpan(t: number, n: number, u: keyof typeof UNIT_MINUTES, working: boolean, input: TimingInput): Promise<number> {
  if (!working) return t + n * UNIT_MINUTES[u] * MINUTE;
  const wt = await input.workingTime();
  return u === 'days' ? wt.addWorkingDays(t, n, true) : wt.addWorkingMinutes(t, n * UNIT_MINUTES[u]);
}

/** The next instant after `t` (or at it) when the workspace's clock shows `at`. */
function nextClockTime(t: number, at: string, timeZone: string, day = 0): number {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const w = wallClock(t, timeZone);
  const candidate = wallToInstant(Date.UTC(w.year, w.month - 1, w.day + day, h, m), timeZone);
  return candidate >= t || day > 0 ? candidate : nextClockTime(t, at, timeZone, 1);
}

/**
 * When the robot is due, as epoch ms; 'after_previous' when it waits for the robot before it;
 * null when it cannot be scheduled (a field timing on an empty field).
 */
export async function dueAt(timing: Timing, input: TimingInput): Promise<number | 'after_previous' | null> {
  switch (timing.kind) {
    case 'immediate':
      return input.from;
    case 'delay':
      return addSpan(input.from, timing.amount, timing.unit, timing.workingTime, input);
    case 'after_previous':
      return 'after_previous';
    case 'time_of_day': {
      let t = nextClockTime(input.from, timing.at, input.timeZone);
      if (timing.workingDays) {
        const wt = await input.workingTime();
        for (let i = 0; i < 400 && wt.dayKind(localDate(t, input.timeZone)) === 'off'; i++) t = nextClockTime(t + MINUTE, timing.at, input.timeZone);
      }
      return t;
    }
    case 'field': {
      const raw = input.values[timing.field];
      if (raw === null || raw === undefined || raw === '') return null;
      const text = String(raw);
      // a date is midnight in the workspace's zone (then the time of day, if given); a datetime is its instant
      let base = /^\d{4}-\d{2}-\d{2}$/.test(text) ? wallToInstant(Date.parse(`${text}T00:00:00Z`), input.timeZone) : Date.parse(text);
      if (!Number.isFinite(base)) return null;
      const span = timing.amount * UNIT_MINUTES[timing.unit] * MINUTE;
      base = timing.direction === 'before' ? base - span : base + span;
      if (timing.at) {
        const w = wallClock(base, input.timeZone);
        const [h, m] = timing.at.split(':').map(Number) as [number, number];
        base = wallToInstant(Date.UTC(w.year, w.month - 1, w.day, h, m), input.timeZone);
      }
      return Math.max(base, input.from);
    }
  }
}

/** after_previous: when the previous robot finished, plus its delay. */
export async function dueAfterPrevious(timing: Extract<Timing, { kind: 'after_previous' }>, input: TimingInput): Promise<number> {
  return timing.amount === 0 ? input.from : addSpan(input.from, timing.amount, timing.unit, timing.workingTime, input);
}

const localDate = (t: number, timeZone: string): string => {
  const w = wallClock(t, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
};
