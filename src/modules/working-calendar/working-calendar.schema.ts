import { z } from 'zod';

// zod schemas of the working-calendar API (request side). The decree year's own checks (dates
// inside the year, weekdays, no date twice) need the year, so they live in yearCalendarSchema(year),
// which the service applies after the route has checked the shape.

export const DAY_KINDS = ['work', 'short', 'off'] as const;
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const isRealDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
};

/** A calendar date `YYYY-MM-DD` that exists (no 31 April). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'is not a date of the calendar');

const minuteOfDay = z.number().int().min(0).max(1440);

export const workingCalendarPatchSchema = z.strictObject({
  version: z.number().int().min(0).optional(),
  /** minutes after local midnight the working day starts (540 = 09:00) */
  dayStartMinute: minuteOfDay.max(1439).optional(),
  /** minutes after local midnight the working day ends, inclusive (1080 = 18:00) */
  dayEndMinute: minuteOfDay.min(1).optional(),
  /** how much earlier a pre-holiday (short) day ends */
  shortDayMinutes: z.number().int().min(0).max(720).optional(),
});
export type WorkingCalendarPatch = Omit<z.infer<typeof workingCalendarPatchSchema>, 'version'>;

export const daysQuerySchema = z.strictObject({
  year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR),
});

export const overrideParams = z.strictObject({
  date: isoDate.refine((d) => Number(d.slice(0, 4)) >= MIN_YEAR && Number(d.slice(0, 4)) <= MAX_YEAR, `must be in the years ${MIN_YEAR}–${MAX_YEAR}`),
});

export const overrideBodySchema = z.strictObject({
  kind: z.enum(DAY_KINDS),
  note: z.string().trim().max(500).nullable().optional(),
});
export type OverrideInput = z.infer<typeof overrideBodySchema>;

export const yearParams = z.strictObject({
  year: z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR),
});

const dateList = z.array(z.string()).max(366);

/** The decree JSON as the route receives it: the shape of YearCalendar plus where it came from. */
export const yearBodySchema = z.strictObject({
  /** the decree's title, e.g. «Постановление Правительства РФ от … № … «О переносе выходных дней в 2028 году»» */
  decree: z.string().trim().min(1).max(500).optional(),
  /** where it was taken from (a URL, a file name) */
  source: z.string().trim().max(500).optional(),
  note: z.string().trim().max(1000).optional(),
  /** Mon–Fri dates that are days off (Art. 112 holidays and transferred days off) */
  holidays: dateList,
  /** Sat/Sun dates that are worked because of a transfer */
  workingWeekends: dateList,
  /** working days one hour shorter (the day before a holiday) */
  shortDays: dateList,
});
export type YearBody = z.infer<typeof yearBodySchema>;

const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

/**
 * The thorough check of one decree year: each date real and inside `year`, none twice in a list,
 * holidays on Mon–Fri, worked weekends on Sat/Sun, a short day a working day (a weekday that is
 * not a holiday, or a worked weekend). Issues carry their path, e.g. `holidays[3]`.
 */
export const yearCalendarSchema = (year: number) =>
  yearBodySchema.superRefine((y, ctx) => {
    const lists = ['holidays', 'workingWeekends', 'shortDays'] as const;
    for (const list of lists) {
      const seen = new Map<string, number>();
      y[list].forEach((d, i) => {
        const path = [list, i];
        if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !isRealDate(d)) {
          ctx.addIssue({ code: 'custom', path, message: `"${d}" is not a date YYYY-MM-DD` });
          return;
        }
        if (Number(d.slice(0, 4)) !== year) ctx.addIssue({ code: 'custom', path, message: `${d} is not in ${year}` });
        if (seen.has(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is listed twice (also at ${list}[${seen.get(d)}])` });
        else seen.set(d, i);
        if (list === 'holidays' && weekend(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is a Saturday or Sunday: holidays lists Mon–Fri days off only` });
        if (list === 'workingWeekends' && !weekend(d)) ctx.addIssue({ code: 'custom', path, message: `${d} is a weekday: workingWeekends lists worked Saturdays and Sundays only` });
      });
    }
    const holidays = new Set(y.holidays);
    const worked = new Set(y.workingWeekends);
    y.shortDays.forEach((d, i) => {
      if (!isRealDate(d)) return;
      if (holidays.has(d)) ctx.addIssue({ code: 'custom', path: ['shortDays', i], message: `${d} is a holiday, so it cannot be a short working day` });
      else if (weekend(d) && !worked.has(d)) ctx.addIssue({ code: 'custom', path: ['shortDays', i], message: `${d} is a weekend that is not in workingWeekends, so it cannot be a short working day` });
    });
  });
