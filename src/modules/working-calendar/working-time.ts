// Working time of a workspace: which days are worked and in which hours, and the delays robots
// count in it ("after 2 working hours", "after 1 working day", "the next working morning").
// Pure: no database, no clock — the caller passes instants (ms since the epoch) and the calendar.
// The rules are those of ../shared/specs/production-calendar-ru.md ("How to use it in a CRM"):
// the maths is done on local dates of the workspace's time zone, a day's window is
// [start, end] with the end inclusive, a short day ends `shortDayMinutes` earlier, and everything
// moves forward only.

import { wallClock, wallToInstant } from '../../shared/time-zone.js';
import { RU_ART112_HOLIDAYS, RU_PRODUCTION_CALENDAR } from './ru-production-calendar.js';

export type DayKind = 'work' | 'short' | 'off';

/** One year as the annual decree sets it (dates `YYYY-MM-DD`, local to the workspace). */
export interface YearCalendar {
  decree?: string;
  /** Mon–Fri dates that are days off (Art. 112 holidays and transferred days off). */
  holidays: readonly string[];
  /** Sat/Sun dates that are worked because of a transfer. */
  workingWeekends: readonly string[];
  /** Pre-holiday working days, one hour shorter (Art. 95). */
  shortDays: readonly string[];
}

export interface WorkingCalendarSettings {
  timeZone: string;
  /** Minutes after local midnight: 540 = 09:00. */
  dayStartMinute: number;
  /** 1080 = 18:00; inclusive. */
  dayEndMinute: number;
  /** How much earlier a short day ends. */
  shortDayMinutes: number;
  years: Readonly<Record<number, YearCalendar>>;
  /** The administrator's own exceptions (regional holidays, a company day off); they win over the years. */
  overrides?: Readonly<Record<string, DayKind>>;
}

export const RU_DEFAULT_CALENDAR: WorkingCalendarSettings = {
  timeZone: 'Europe/Moscow',
  dayStartMinute: 9 * 60,
  dayEndMinute: 18 * 60,
  shortDayMinutes: 60,
  years: RU_PRODUCTION_CALENDAR,
};

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** No calendar has a year without a single working day; the guard keeps a broken one from looping. */
const MAX_DAYS_SEARCHED = 3_660;

const isoDate = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
const weekday = (dayNumber: number) => new Date(dayNumber * DAY_MS).getUTCDay(); // 0 = Sunday

/**
 * A year with no decree yet (2028 today) is built from Art. 112 alone: its holidays, a holiday on
 * a weekend moved to the next working day (not the 1–8 January ones), and the working day right
 * before a holiday made short. It is flagged `provisional` so that the screens can say so.
 */
export function provisionalYear(year: number): YearCalendar {
  const holidayDates = RU_ART112_HOLIDAYS.map((md) => `${year}-${md}`);
  const fixed = new Set(holidayDates);
  const off = new Set(holidayDates.filter((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())));
  for (const d of holidayDates) {
    if (d.slice(5, 7) === '01' && Number(d.slice(8)) <= 8) continue;
    const day = Date.parse(`${d}T00:00:00Z`) / DAY_MS;
    if (![0, 6].includes(weekday(day))) continue;
    let next = day + 1;
    while ([0, 6].includes(weekday(next)) || off.has(isoDate(next))) next++;
    off.add(isoDate(next));
  }
  const shortDays: string[] = [];
  for (const d of fixed) {
    const before = isoDate(Date.parse(`${d}T00:00:00Z`) / DAY_MS - 1);
    if (before.startsWith(`${year}-`) && ![0, 6].includes(new Date(`${before}T00:00:00Z`).getUTCDay()) && !off.has(before)) shortDays.push(before);
  }
  return { holidays: [...off].sort(), workingWeekends: [], shortDays: shortDays.sort() };
}

export class WorkingTime {
  private readonly holidays = new Set<string>();
  private readonly workingWeekends = new Set<string>();
  private readonly shortDays = new Set<string>();
  private readonly known = new Set<number>();

  constructor(private readonly settings: WorkingCalendarSettings) {
    if (!(settings.dayStartMinute >= 0 && settings.dayStartMinute < settings.dayEndMinute && settings.dayEndMinute <= 24 * 60)) {
      throw new RangeError('the working day must start before it ends, within 00:00–24:00');
    }
    for (const [year, y] of Object.entries(settings.years)) this.addYear(Number(year), y);
  }

  private addYear(year: number, y: YearCalendar) {
    this.known.add(year);
    for (const d of y.holidays) this.holidays.add(d);
    for (const d of y.workingWeekends) this.workingWeekends.add(d);
    for (const d of y.shortDays) this.shortDays.add(d);
  }

  /** Whether the year of `date` comes from a decree (false: built from Art. 112 alone). */
  isPublished(year: number): boolean {
    return Object.hasOwn(this.settings.years, year);
  }

  dayKind(date: string): DayKind {
    const override = this.settings.overrides?.[date];
    if (override) return override;
    const year = Number(date.slice(0, 4));
    if (!this.known.has(year)) this.addYear(year, provisionalYear(year));
    const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    if (weekend ? !this.workingWeekends.has(date) : this.holidays.has(date)) return 'off';
    return this.shortDays.has(date) ? 'short' : 'work';
  }

  /** The working window of a local day in minutes after midnight, or null on a day off. */
  private window(dayNumber: number): { start: number; end: number } | null {
    const kind = this.dayKind(isoDate(dayNumber));
    if (kind === 'off') return null;
    const { dayStartMinute: start, dayEndMinute: end, shortDayMinutes } = this.settings;
    return { start, end: kind === 'short' ? Math.max(start, end - shortDayMinutes) : end };
  }

  private local(t: number) {
    const w = wallClock(t, this.settings.timeZone);
    const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + (t % 1000);
    const day = Math.floor(wallMs / DAY_MS);
    return { day, minute: (wallMs - day * DAY_MS) / MINUTE_MS };
  }

  private instant(day: number, minute: number): number {
    return wallToInstant(day * DAY_MS + minute * MINUTE_MS, this.settings.timeZone);
  }

  private nextWorkingDay(after: number): number {
    for (let d = after + 1; d <= after + MAX_DAYS_SEARCHED; d++) if (this.window(d)) return d;
    throw new RangeError('the working calendar has no working day in ten years');
  }

  /** True when `t` is inside a working window (its end included). */
  isWorkingTime(t: number): boolean {
    const { day, minute } = this.local(t);
    const w = this.window(day);
    return w !== null && minute >= w.start && minute <= w.end;
  }

  /** `t` if it is in working time, else the start of the next working window. */
  nextWorkStart(t: number): number {
    const { day, minute } = this.local(t);
    const w = this.window(day);
    if (w && minute <= w.end) return minute >= w.start ? t : this.instant(day, w.start);
    const next = this.nextWorkingDay(day);
    return this.instant(next, this.window(next)!.start);
  }

  /**
   * The N-th working day after `t`'s local date (its own date never counts), at `t`'s clock time;
   * moved to the next working start when `respectHours` (the window may have ended on a short day).
   */
  addWorkingDays(t: number, days: number, respectHours: boolean): number {
    if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
    const { day, minute } = this.local(t);
    let d = day;
    for (let i = 0; i < days; i++) d = this.nextWorkingDay(d);
    const at = days === 0 ? t : this.instant(d, minute);
    return respectHours ? this.nextWorkStart(at) : at;
  }

  /** `minutes` of working time consumed from the next working start. */
  addWorkingMinutes(t: number, minutes: number): number {
    if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError('minutes must be ≥ 0');
    let cur = this.nextWorkStart(t);
    let left = minutes;
    for (;;) {
      const { day, minute } = this.local(cur);
      const w = this.window(day)!;
      const available = w.end - minute;
      if (left <= available) return cur + left * MINUTE_MS;
      left -= available;
      const next = this.nextWorkingDay(day);
      cur = this.instant(next, this.window(next)!.start);
    }
  }

  /** The start of the first working window that begins strictly after `t`. */
  nextWorkingMorning(t: number): number {
    const { day, minute } = this.local(t);
    const w = this.window(day);
    if (w && minute < w.start) return this.instant(day, w.start);
    const next = this.nextWorkingDay(day);
    return this.instant(next, this.window(next)!.start);
  }

  /** Working minutes in [from, to): what "overdue by 2 working hours" measures. */
  workingMinutesBetween(from: number, to: number): number {
    if (to <= from) return 0;
    let total = 0;
    let { day } = this.local(from);
    const last = this.local(to).day;
    for (; day <= last; day++) {
      const w = this.window(day);
      if (!w) continue;
      const a = Math.max(from, this.instant(day, w.start));
      const b = Math.min(to, this.instant(day, w.end));
      if (b > a) total += (b - a) / MINUTE_MS;
    }
    return total;
  }
}
