import { wallClock, wallToInstant } from '../../shared/time-zone.js';

export { safeTimeZone } from '../../shared/time-zone.js';

/**
 * The UTC instants where the calendar day containing `now` starts and ends in an IANA time zone
 * ("today" for a user in Europe/Moscow or Asia/Vladivostok). DST-safe: the offset is looked up
 * at the instants themselves, not assumed from `now`.
 */
export function dayBounds(now: Date, timeZone: string): { start: string; end: string } {
  const { year, month, day } = wallClock(now.getTime(), timeZone);
  return {
    start: new Date(wallToInstant(Date.UTC(year, month - 1, day), timeZone)).toISOString(),
    end: new Date(wallToInstant(Date.UTC(year, month - 1, day + 1), timeZone)).toISOString(),
  };
}
