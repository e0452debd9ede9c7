// Converting between a UTC instant and the wall-clock time of the user's time zone (their profile
// setting, not the browser's), for <input type="datetime-local"> values ("2026-11-28T09:30").

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "2026-11-28T09:30" in Europe/Moscow → "2026-11-28T06:30:00.000Z"; null when malformed. */
export function zonedLocalToUtcIso(local: string, timeZone?: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(wall)) return null;
  if (!timeZone) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).toISOString();
  let guess = wall - offsetMs(wall, timeZone);
  // across a DST change the offset at the guess may differ: one more step settles it
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess).toISOString();
}

/** "2026-11-28T06:30:00.000Z" → "2026-11-28T09:30" in Europe/Moscow. */
export function utcIsoToZonedLocal(iso: string, timeZone?: string): string {
  const d = new Date(iso);
  if (!timeZone) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  return new Date(d.getTime() + offsetMs(d.getTime(), timeZone)).toISOString().slice(0, 16);
}
