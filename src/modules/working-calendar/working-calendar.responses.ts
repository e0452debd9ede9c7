import { z } from 'zod';
import { DAY_KINDS } from './working-calendar.schema.js';

// zod schemas of the working-calendar API (response side), named for the OpenAPI document.

export const DAY_REASONS = ['workday', 'weekend', 'holiday', 'moved_day_off', 'worked_weekend', 'short', 'override'] as const;
export const YEAR_SOURCES = ['built_in', 'loaded', 'provisional'] as const;

export const workingCalendarOverrideSchema = z
  .object({ date: z.string(), kind: z.enum(DAY_KINDS), note: z.string().nullable(), updatedAt: z.string() })
  .meta({ id: 'WorkingCalendarOverride' });

export const workingCalendarYearSchema = z
  .object({
    year: z.number().int(),
    /** built_in: shipped with Voronka; loaded: the administrator loaded the decree */
    source: z.enum(YEAR_SOURCES),
    decree: z.string().nullable(),
    /** where a loaded year came from, and the administrator's note */
    origin: z.string().nullable(),
    note: z.string().nullable(),
    loadedAt: z.string().nullable(),
    holidays: z.array(z.string()),
    workingWeekends: z.array(z.string()),
    shortDays: z.array(z.string()),
  })
  .meta({ id: 'WorkingCalendarYear' });

export const workingCalendarSchema = z
  .object({
    /** the workspace's time zone (edited in the workspace settings) */
    timeZone: z.string(),
    dayStartMinute: z.number().int(),
    dayEndMinute: z.number().int(),
    shortDayMinutes: z.number().int(),
    /** 0 while the workspace runs on the defaults */
    version: z.number().int(),
    updatedAt: z.string().nullable(),
    overrides: z.array(workingCalendarOverrideSchema),
    /** the decree years the calendar knows (built-in and loaded), by year */
    years: z.array(workingCalendarYearSchema.omit({ holidays: true, workingWeekends: true, shortDays: true })),
  })
  .meta({ id: 'WorkingCalendar' });

export const workingCalendarDaySchema = z
  .object({
    date: z.string(),
    kind: z.enum(DAY_KINDS),
    /** why the day has its kind; `override` when the administrator's exception decides it */
    reason: z.enum(DAY_REASONS),
    /** the kind and reason the decree (or Art. 112) gives, under an override */
    calendarKind: z.enum(DAY_KINDS),
    calendarReason: z.enum(DAY_REASONS),
    note: z.string().nullable(),
  })
  .meta({ id: 'WorkingCalendarDay' });

export const workingCalendarDaysSchema = z
  .object({
    year: z.number().int(),
    /** false: no decree for the year yet; its days are built from Art. 112 of the Labour Code alone */
    published: z.boolean(),
    source: z.enum(YEAR_SOURCES),
    decree: z.string().nullable(),
    workingDays: z.number().int(),
    workingMinutes: z.number().int(),
    days: z.array(workingCalendarDaySchema),
  })
  .meta({ id: 'WorkingCalendarDays' });
