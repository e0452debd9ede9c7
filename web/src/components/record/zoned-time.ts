// Converting between a UTC instant and the wall-clock time of the user's time zone (their profile
// setting, not the browser's), for <input type="datetime-local"> values ("2026-11-28T09:30").
import { wallToInstant, zoneOffsetMs } from '../../../../src/shared/time-zone';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "2026-11-28T09:30" in Europe/Moscow → "2026-11-28T06:30:00.000Z"; null when malformed. */
export function zonedLocalToUtcIso(local: string, timeZone?: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return null;
  if (!timeZone) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).toISOString();
  return new Date(wallToInstant(wall, timeZone)).toISOString();
}

/** "2026-11-28T06:30:00.000Z" → "2026-11-28T09:30" in Europe/Moscow. */
export function utcIsoToZonedLocal(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (!timeZone) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return new Date(d.getTime() + zoneOffsetMs(d.getTime(), timeZone)).toISOString().slice(0, 16);
}
