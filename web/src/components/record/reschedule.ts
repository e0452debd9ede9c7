import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

// Quick rescheduling of a planned activity («перенести»), in the user's time zone (their profile
// setting). The presets count from now, not from the old deadline: an overdue call moved
// "to tomorrow" lands tomorrow, not on the day after its missed deadline.
//
// - «через час»: an hour from now, to the minute;
// - «завтра» / «через неделю»: that calendar day, at the time of day the activity already had
//   (a call agreed for 15:00 stays at 15:00); an activity without a deadline gets 10:00, the
//   start of a working day.

export const RESCHEDULE_PRESETS = ['hour', 'tomorrow', 'week'] as const;
export type ReschedulePreset = (typeof RESCHEDULE_PRESETS)[number];

/** The time of day for a deadline that had none. */
export const DEFAULT_TIME = '10:00';

const MINUTE = 60_000;
const DAYS: Record<Exclude<ReschedulePreset, 'hour'>, number> = { tomorrow: 1, week: 7 };

/** "2026-11-28" + 3 → "2026-12-01" (calendar arithmetic, no time zone involved). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** The calendar day `days` after today in the zone, at `time` ("HH:MM"), as a datetime-local value. */
export function dayAtLocal(now: Date, days: number, time: string, timeZone?: string): string {
  const today = utcIsoToZonedLocal(now.toISOString(), timeZone).slice(0, 10);
  return `${addDays(today, days)}T${time}`;
}

/** The new deadline (UTC ISO) for a preset. */
export function rescheduleTarget(preset: ReschedulePreset, deadlineAt: string | null, now: Date, timeZone?: string): string {
  if (preset === 'hour') return new Date(Math.floor((now.getTime() + 60 * MINUTE) / MINUTE) * MINUTE).toISOString();
  const time = deadlineAt ? utcIsoToZonedLocal(deadlineAt, timeZone).slice(11, 16) : DEFAULT_TIME;
  // a wall-clock time that a DST change skips is resolved by zonedLocalToUtcIso (never null here)
  return zonedLocalToUtcIso(dayAtLocal(now, DAYS[preset], time, timeZone), timeZone)!;
}

/** The deadline a new activity starts with: tomorrow at 10:00 in the user's zone (datetime-local). */
export function defaultDeadlineLocal(now: Date, timeZone?: string): string {
  return dayAtLocal(now, 1, DEFAULT_TIME, timeZone);
}
