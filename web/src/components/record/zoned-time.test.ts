import { describe, expect, it } from 'vitest';
import { utcIsoToZonedLocal, zonedLocalToUtcIso } from './zoned-time';

describe('zoned time', () => {
  it('reads a wall-clock time in the user time zone', () => {
    expect(zonedLocalToUtcIso('2026-11-28T09:30', 'Europe/Moscow')).toBe('2026-11-28T06:30:00.000Z');
    expect(zonedLocalToUtcIso('2026-11-28T09:30', 'UTC')).toBe('2026-11-28T09:30:00.000Z');
    expect(zonedLocalToUtcIso('2026-11-28T01:00', 'Asia/Vladivostok')).toBe('2026-11-27T15:00:00.000Z');
    expect(zonedLocalToUtcIso('nonsense', 'UTC')).toBeNull();
  });
  it('handles a DST change', () => {
    expect(zonedLocalToUtcIso('2026-07-01T12:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(zonedLocalToUtcIso('2026-01-01T12:00', 'Europe/Berlin')).toBe('2026-01-01T11:00:00.000Z');
  });
  it('round-trips', () => {
    for (const tz of ['Europe/Moscow', 'America/New_York', 'Asia/Kolkata']) {
      const iso = '2026-03-08T23:45:00.000Z';
      expect(zonedLocalToUtcIso(utcIsoToZonedLocal(iso, tz), tz)).toBe(iso);
    }
    expect(utcIsoToZonedLocal('2026-11-28T06:30:00.000Z', 'Europe/Moscow')).toBe('2026-11-28T09:30');
  });
});
