import { describe, expect, it } from 'vitest';
import { RU_DEFAULT_CALENDAR, WorkingTime, provisionalYear } from './working-time.js';

// Every worked example and check of ../shared/specs/production-calendar-ru.md ("How to use it in
// a CRM's working-time calendar"), Moscow time, "respect working hours" on.
const msk = (local: string) => Date.parse(`${local}:00+03:00`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
const cal = new WorkingTime(RU_DEFAULT_CALENDAR);

describe('working time on the Russian production calendar', () => {
  it.each([
    [1, '2025-02-21T10:00', 1, '2025-02-24T07:00Z'],
    [2, '2026-03-06T12:00', 1, '2026-03-10T09:00Z'],
    [3, '2025-12-30T15:00', 1, '2026-01-12T12:00Z'],
    [7, '2026-04-29T17:30', 1, '2026-05-04T06:00Z'],
    [8, '2027-02-19T11:00', 1, '2027-02-20T08:00Z'],
    [10, '2026-01-03T12:00', 1, '2026-01-12T09:00Z'],
    ['check', '2026-12-29T10:00', 3, '2027-01-12T07:00Z'],
  ])('example %s: %s + %i working day(s) → %s', (_n, start, days, expected) => {
    expect(iso(cal.addWorkingDays(msk(start), days, true))).toBe(expected);
  });

  it.each([
    [4, '2025-12-31T18:00', '2026-01-12T06:00Z'],
    [5, '2026-12-31T18:00', '2027-01-11T06:00Z'],
    ['8, from 17:30 of the working Saturday', '2027-02-20T17:30', '2027-02-24T06:00Z'],
  ])('example %s: respecting working hours, %s → %s', (_n, start, expected) => {
    expect(iso(cal.nextWorkStart(msk(start)))).toBe(expected);
  });

  it('example 4 without the option fires at the moment itself', () => {
    expect(iso(cal.addWorkingDays(msk('2025-12-31T18:00'), 0, false))).toBe('2025-12-31T15:00Z');
  });

  it.each([
    [6, '2026-04-30T16:00', 120, '2026-05-04T07:00Z'],
    ['check', '2026-09-14T10:00', 480, '2026-09-14T15:00Z'],
    ['check, short Friday', '2026-05-08T14:00', 480, '2026-05-12T11:00Z'],
  ])('example %s: %s + %i working minutes → %s', (_n, start, minutes, expected) => {
    expect(iso(cal.addWorkingMinutes(msk(start), minutes))).toBe(expected);
  });

  it('example 9: the next working morning after Friday evening is the working Saturday', () => {
    expect(iso(cal.nextWorkingMorning(msk('2025-10-31T19:00')))).toBe('2025-11-01T06:00Z');
    // strictly after: at 09:00 itself the next morning is the following working day's
    expect(iso(cal.nextWorkingMorning(msk('2026-09-14T09:00')))).toBe('2026-09-15T06:00Z');
    expect(iso(cal.nextWorkingMorning(msk('2026-09-14T08:59')))).toBe('2026-09-14T06:00Z');
  });

  it('the day kinds of the rules section: short days, transferred days, working Saturdays', () => {
    expect(cal.dayKind('2025-02-24')).toBe('work'); // its day off went to 8 May by decree
    expect(cal.dayKind('2025-05-08')).toBe('off');
    expect(cal.dayKind('2025-11-01')).toBe('short'); // a working Saturday, shortened
    expect(cal.dayKind('2025-12-30')).toBe('work'); // before a transferred day off: not shortened
    expect(cal.dayKind('2026-02-20')).toBe('work');
    expect(cal.dayKind('2026-11-03')).toBe('short');
    expect(cal.dayKind('2027-02-20')).toBe('short');
    expect(cal.dayKind('2027-02-21')).toBe('off');
    expect(cal.isWorkingTime(msk('2026-04-30T17:00'))).toBe(true); // the end is inclusive
    expect(cal.isWorkingTime(msk('2026-04-30T17:01'))).toBe(false);
  });

  it('the month norms of the decrees come out of the day kinds (every month 2025–2027)', () => {
    const norms: Record<number, number[]> = {
      2025: [17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22],
    };
    for (const [year, perMonth] of Object.entries(norms)) {
      perMonth.forEach((expected, m) => {
        let count = 0;
        for (let d = 1; d <= 31; d++) {
          const date = new Date(Date.UTC(Number(year), m, d));
          if (date.getUTCMonth() !== m) break;
          if (cal.dayKind(date.toISOString().slice(0, 10)) !== 'off') count++;
        }
        expect(count, `${year}-${m + 1}`).toBe(expected);
      });
    }
    for (const year of [2025, 2026, 2027]) {
      let working = 0;
      let short = 0;
      for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
        const kind = cal.dayKind(new Date(t).toISOString().slice(0, 10));
        if (kind !== 'off') working++;
        if (kind === 'short') short++;
      }
      expect(working * 8 - short, `${year} hours at 40 h a week`).toBe(1972);
      expect(working, `${year} working days`).toBe(247);
    }
  });

  it('a year without a decree is built from Art. 112 alone and flagged', () => {
    expect(cal.isPublished(2027)).toBe(true);
    expect(cal.isPublished(2028)).toBe(false);
    expect(iso(cal.nextWorkStart(msk('2027-12-31T18:30')))).toBe('2028-01-10T06:00Z');
    const y = provisionalYear(2028);
    expect(y.holidays).toContain('2028-01-03');
    expect(y.holidays).not.toContain('2028-01-09'); // a Sunday: 1–8 January holidays do not move
    expect(y.holidays).toContain('2028-03-08');
  });

  it("the administrator's exceptions win over the decree", () => {
    const own = new WorkingTime({ ...RU_DEFAULT_CALENDAR, overrides: { '2026-09-14': 'off', '2026-09-19': 'work' } });
    expect(iso(own.addWorkingDays(msk('2026-09-11T10:00'), 1, true))).toBe('2026-09-15T07:00Z');
    expect(iso(own.nextWorkingMorning(msk('2026-09-18T19:00')))).toBe('2026-09-19T06:00Z');
  });

  it('working minutes between two moments skip nights, weekends and holidays', () => {
    expect(cal.workingMinutesBetween(msk('2026-04-30T16:00'), msk('2026-05-04T10:00'))).toBe(120);
    expect(cal.workingMinutesBetween(msk('2026-09-14T10:00'), msk('2026-09-14T10:00'))).toBe(0);
    expect(cal.workingMinutesBetween(msk('2026-09-11T17:00'), msk('2026-09-14T09:30'))).toBe(90);
  });

  it('another time zone and working hours are honoured', () => {
    const ekb = new WorkingTime({ ...RU_DEFAULT_CALENDAR, timeZone: 'Asia/Yekaterinburg', dayStartMinute: 8 * 60, dayEndMinute: 17 * 60 });
    // 17:00 Moscow = 19:00 in Yekaterinburg (UTC+5): after hours there, next morning 08:00 local = 03:00Z
    expect(iso(ekb.nextWorkStart(msk('2026-09-14T17:00')))).toBe('2026-09-15T03:00Z');
    expect(() => new WorkingTime({ ...RU_DEFAULT_CALENDAR, dayStartMinute: 600, dayEndMinute: 540 })).toThrow(RangeError);
  });
});
