/**
 * The UTC instants where the calendar day containing `now` starts and ends in an IANA time zone
 * ("today" for a user in Europe/Moscow or Asia/Vladivostok). DST-safe: the offset is looked up
 * at the instants themselves, not assumed from `now`.
 */
export function dayBounds(now: Date, timeZone: string): { start: string; end: string } {
  const { year, month, day } = wallClock(now, timeZone);
  return {
    start: new Date(localMidnight(year, month, day, timeZone)).toISOString(),
    end: new Date(localMidnight(year, month, day + 1, timeZone)).toISOString(),
  };
}

/** A time zone name the runtime knows; unknown names fall back to UTC rather than failing a request. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Offset of the zone from UTC at an instant, in ms (Moscow: +3 h). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(new Date(ms), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** 00:00 local time of the given date (day may overflow into the next month) as a UTC epoch. */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day);
  // two passes settle the offset when midnight sits next to a DST change
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}
