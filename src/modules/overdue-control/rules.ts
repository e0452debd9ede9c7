import { wallClock, wallToInstant } from '../../shared/time-zone.js';

// The overdue-control rules of a workspace and the pure arithmetic of its timing.

export interface OverdueRules {
  activityEnabled: boolean;
  /** minutes after an activity's deadline its responsible is notified (0: at once) */
  activityNotifyAfterMinutes: number;
  /** minutes after the responsible's notice that the head is notified; null: no escalation */
  activityEscalateAfterMinutes: number | null;
  dealIdleEnabled: boolean;
  /** days in progress without a stage change that make a deal idle */
  dealIdleDays: number;
  /** the head is notified of an idle deal too */
  dealIdleEscalate: boolean;
  digestEnabled: boolean;
  /** HH:MM in the workspace's time zone */
  digestTime: string;
  /** the digest also lists deals in progress without a planned activity */
  digestNoActivity: boolean;
}

/** A new workspace's rules: all on. */
export const DEFAULT_RULES: Readonly<OverdueRules> = {
  activityEnabled: true,
  activityNotifyAfterMinutes: 0,
  activityEscalateAfterMinutes: 120,
  dealIdleEnabled: true,
  dealIdleDays: 7,
  dealIdleEscalate: true,
  digestEnabled: true,
  digestTime: '09:00',
  digestNoActivity: true,
};

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The next instant after `afterMs` when a clock in `timeZone` shows `hhmm` (DST-safe: each day's instant is computed in the zone). */
export function nextDigestAt(afterMs: number, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const today = wallClock(afterMs, timeZone);
  for (let day = 0; day <= 2; day++) {
    const wall = Date.UTC(today.year, today.month - 1, today.day + day, h, m);
    const at = wallToInstant(wall, timeZone);
    if (at > afterMs) return new Date(at);
  }
  return new Date(wallToInstant(Date.UTC(today.year, today.month - 1, today.day + 3, h, m), timeZone));
}

/** The workspace-local date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The start of the next minute after `ms`: periodic scans run on minute boundaries, so that two chains of them meet in one unique key. */
export const nextMinute = (ms: number): Date => new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS + MINUTE_MS);

export { DAY_MS };
