import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { fieldInvalid, notFound, validationFailed, versionConflict } from '../../server/errors.js';
import { toFieldPath } from '../../server/error-handler.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import { RU_ART112_HOLIDAYS, RU_PRODUCTION_CALENDAR } from './ru-production-calendar.js';
import { RU_DEFAULT_CALENDAR, WorkingTime, provisionalYear, type DayKind, type WorkingCalendarSettings, type YearCalendar } from './working-time.js';
import * as repo from './working-calendar.repo.js';
import { yearCalendarSchema, type OverrideInput, type WorkingCalendarPatch, type YearBody } from './working-calendar.schema.js';
import type { DAY_REASONS, YEAR_SOURCES } from './working-calendar.responses.js';

// The workspace's stored working calendar: its working hours, the administrator's exceptions and the
// decree years loaded for the years after the built-in ones (docs/working-calendar.md). Robots take
// `workingTime(exec, workspaceId)`; the settings screen reads `get` and `days` and writes the rest.

type DayReason = (typeof DAY_REASONS)[number];
type YearSource = (typeof YEAR_SOURCES)[number];

export interface WorkingCalendarOverride {
  date: string;
  kind: DayKind;
  note: string | null;
  updatedAt: string;
}

export interface WorkingCalendarYearInfo {
  year: number;
  source: YearSource;
  decree: string | null;
  origin: string | null;
  note: string | null;
  loadedAt: string | null;
}

export interface WorkingCalendarView {
  timeZone: string;
  dayStartMinute: number;
  dayEndMinute: number;
  shortDayMinutes: number;
  version: number;
  updatedAt: string | null;
  overrides: WorkingCalendarOverride[];
  years: WorkingCalendarYearInfo[];
}

export interface WorkingCalendarDay {
  date: string;
  kind: DayKind;
  reason: DayReason;
  calendarKind: DayKind;
  calendarReason: DayReason;
  note: string | null;
}

interface Stored {
  timeZone: string;
  settings: repo.SettingsRow | undefined;
  overrides: repo.OverrideRow[];
  years: repo.YearRow[];
}

const SETTING_FIELDS = ['dayStartMinute', 'dayEndMinute', 'shortDayMinutes'] as const;
const ART112 = new Set(RU_ART112_HOLIDAYS);
const DAY_MS = 86_400_000;

const parseYear = (row: repo.YearRow): YearCalendar => JSON.parse(row.data) as YearCalendar;
const toOverride = (r: repo.OverrideRow): WorkingCalendarOverride => ({ date: r.date, kind: r.kind, note: r.note, updatedAt: r.updated_at });

/** Why the decree (or Art. 112) gives a date its kind. */
function calendarReason(date: string, y: YearCalendar): DayReason {
  const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  if (weekend) return y.workingWeekends.includes(date) ? 'worked_weekend' : 'weekend';
  if (y.holidays.includes(date)) return ART112.has(date.slice(5)) ? 'holiday' : 'moved_day_off';
  return y.shortDays.includes(date) ? 'short' : 'workday';
}

export class WorkingCalendarService {
  constructor(private readonly ctx: AppContext) {}

  private async load(exec: Executor, workspaceId: number): Promise<Stored> {
    const { timeZone } = await this.ctx.services.workspaces.getSettings(exec, workspaceId);
    const [settings, overrides, years] = await Promise.all([
      repo.findSettings(exec, workspaceId),
      repo.listOverrides(exec, workspaceId),
      repo.listYears(exec, workspaceId),
    ]);
    return { timeZone, settings, overrides, years };
  }

  private settingsOf(s: Stored, withOverrides = true): WorkingCalendarSettings {
    const years: Record<number, YearCalendar> = { ...RU_PRODUCTION_CALENDAR };
    for (const row of s.years) years[row.year] = parseYear(row);
    return {
      timeZone: s.timeZone,
      dayStartMinute: s.settings?.day_start_minute ?? RU_DEFAULT_CALENDAR.dayStartMinute,
      dayEndMinute: s.settings?.day_end_minute ?? RU_DEFAULT_CALENDAR.dayEndMinute,
      shortDayMinutes: s.settings?.short_day_minutes ?? RU_DEFAULT_CALENDAR.shortDayMinutes,
      years,
      ...(withOverrides && { overrides: Object.fromEntries(s.overrides.map((o) => [o.date, o.kind])) }),
    };
  }

  /** The workspace's working time, as robots count it (defaults: RU_DEFAULT_CALENDAR in the workspace's time zone). */
  async workingTime(exec: Executor, workspaceId: number): Promise<WorkingTime> {
    return new WorkingTime(this.settingsOf(await this.load(exec, workspaceId)));
  }

  private view(s: Stored): WorkingCalendarView {
    const settings = this.settingsOf(s);
    const loaded = new Map(s.years.map((r) => [r.year, r]));
    const years = [...new Set([...Object.keys(RU_PRODUCTION_CALENDAR).map(Number), ...loaded.keys()])].sort((a, b) => a - b);
    return {
      timeZone: s.timeZone,
      dayStartMinute: settings.dayStartMinute,
      dayEndMinute: settings.dayEndMinute,
      shortDayMinutes: settings.shortDayMinutes,
      version: s.settings?.version ?? 0,
      updatedAt: s.settings?.updated_at ?? null,
      overrides: s.overrides.map(toOverride),
      years: years.map((year) => {
        const row = loaded.get(year);
        const y = settings.years[year]!;
        return {
          year,
          source: row ? 'loaded' : 'built_in',
          decree: y.decree ?? null,
          origin: row?.source ?? null,
          note: row?.note ?? null,
          loadedAt: row?.loaded_at ?? null,
        };
      }),
    };
  }

  /** Everyone in the workspace may read its calendar. */
  async get(actor: Actor, exec?: Executor): Promise<WorkingCalendarView> {
    return this.view(await this.load(exec ?? this.ctx.db.kysely, actor.workspaceId));
  }

  async update(actor: Actor, patch: WorkingCalendarPatch, expectedVersion: number, exec?: Executor): Promise<WorkingCalendarView> {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const ws = actor.workspaceId;
      const before = this.view(await this.load(trx, ws));
      const after = { ...before, ...patch };
      if (after.dayStartMinute >= after.dayEndMinute) {
        throw fieldInvalid(patch.dayEndMinute !== undefined ? 'dayEndMinute' : 'dayStartMinute', 'the working day must start before it ends');
      }
      if (after.shortDayMinutes >= after.dayEndMinute - after.dayStartMinute) {
        throw fieldInvalid('shortDayMinutes', 'a short day must keep some working time: make it shorter than the working day');
      }
      const changes = diffFields(before as unknown as Record<string, unknown>, after, [...SETTING_FIELDS]);
      if (before.version !== expectedVersion) throw versionConflict(before);
      if (Object.keys(changes).length === 0) return before;
      const now = nowIso(this.ctx.clock);
      const values = { day_start_minute: after.dayStartMinute, day_end_minute: after.dayEndMinute, short_day_minutes: after.shortDayMinutes, updated_at: now };
      const done = expectedVersion === 0 ? await repo.insertSettings(trx, { workspace_id: ws, ...values, created_at: now }) : await repo.updateSettings(trx, ws, expectedVersion, values);
      if (!done) throw versionConflict(this.view(await this.load(trx, ws)));
      await this.ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'working_calendar', entityId: ws, action: 'updated', changes });
      return this.view(await this.load(trx, ws));
    });
  }

  /** Every date of `year` with its kind and why, and whether the year's decree is known. */
  async days(actor: Actor, year: number, exec?: Executor): Promise<{
    year: number;
    published: boolean;
    source: YearSource;
    decree: string | null;
    workingDays: number;
    workingMinutes: number;
    days: WorkingCalendarDay[];
  }> {
    const s = await this.load(exec ?? this.ctx.db.kysely, actor.workspaceId);
    const settings = this.settingsOf(s, false);
    const calendar = new WorkingTime(settings);
    const published = calendar.isPublished(year);
    const y = published ? settings.years[year]! : provisionalYear(year);
    const source: YearSource = s.years.some((r) => r.year === year) ? 'loaded' : published ? 'built_in' : 'provisional';
    const overrides = new Map(s.overrides.map((o) => [o.date, o]));
    const days: WorkingCalendarDay[] = [];
    let workingDays = 0;
    let workingMinutes = 0;
    const window = settings.dayEndMinute - settings.dayStartMinute;
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      const calendarKind = calendar.dayKind(date);
      const why = calendarReason(date, y);
      const o = overrides.get(date);
      const kind = o?.kind ?? calendarKind;
      if (kind !== 'off') {
        workingDays++;
        workingMinutes += kind === 'short' ? Math.max(0, window - settings.shortDayMinutes) : window;
      }
      days.push({ date, kind, reason: o ? 'override' : why, calendarKind, calendarReason: why, note: o?.note ?? null });
    }
    return { year, published, source, decree: y.decree ?? null, workingDays, workingMinutes, days };
  }

  async setOverride(actor: Actor, date: string, input: OverrideInput, exec?: Executor): Promise<WorkingCalendarOverride> {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const ws = actor.workspaceId;
      const before = await repo.findOverride(trx, ws, date);
      const now = nowIso(this.ctx.clock);
      const note = input.note ? input.note : null;
      await repo.upsertOverride(trx, { workspace_id: ws, date, kind: input.kind, note, created_at: before?.created_at ?? now, updated_at: now });
      await this.ctx.services.audit.record(trx, ws, actor.userId, {
        entityType: 'working_calendar',
        entityId: ws,
        action: before ? 'override_changed' : 'override_added',
        changes: { [date]: { old: before ? { kind: before.kind, note: before.note } : null, new: { kind: input.kind, note } } },
      });
      return toOverride((await repo.findOverride(trx, ws, date))!);
    });
  }

  async removeOverride(actor: Actor, date: string, exec?: Executor): Promise<void> {
    requireAdmin(actor);
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const ws = actor.workspaceId;
      const before = await repo.findOverride(trx, ws, date);
      if (!before || !(await repo.deleteOverride(trx, ws, date))) throw notFound('Working calendar exception');
      await this.ctx.services.audit.record(trx, ws, actor.userId, {
        entityType: 'working_calendar',
        entityId: ws,
        action: 'override_removed',
        changes: { [date]: { old: { kind: before.kind, note: before.note }, new: null } },
      });
    });
  }

  /** Loads (or replaces) a year's decree; it wins over the built-in calendar for that year. */
  async loadYear(actor: Actor, year: number, body: YearBody, exec?: Executor): Promise<WorkingCalendarYearInfo & { holidays: string[]; workingWeekends: string[]; shortDays: string[] }> {
    requireAdmin(actor);
    const parsed = yearCalendarSchema(year).safeParse(body);
    if (!parsed.success) {
      throw validationFailed(
        parsed.error.issues.map((i) => ({ path: toFieldPath(i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))) || 'body', message: i.message })),
        `The decree of ${year} has invalid dates`,
      );
    }
    const { decree, source, note, ...lists } = parsed.data;
    const data = {
      ...(decree !== undefined && { decree }),
      holidays: [...lists.holidays].sort(),
      workingWeekends: [...lists.workingWeekends].sort(),
      shortDays: [...lists.shortDays].sort(),
    };
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const ws = actor.workspaceId;
      const replaced = (await repo.listYears(trx, ws)).find((r) => r.year === year);
      const now = nowIso(this.ctx.clock);
      await repo.upsertYear(trx, { workspace_id: ws, year, data: JSON.stringify(data), source: source || null, note: note || null, loaded_at: now, loaded_by_id: actor.userId });
      await this.ctx.services.audit.record(trx, ws, actor.userId, {
        entityType: 'working_calendar',
        entityId: ws,
        action: replaced ? 'year_replaced' : 'year_loaded',
        changes: { [String(year)]: { old: replaced ? JSON.parse(replaced.data) : null, new: data } },
      });
      return { year, source: 'loaded' as const, origin: source || null, note: note || null, loadedAt: now, ...data, decree: decree ?? null };
    });
  }
}
