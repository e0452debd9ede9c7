import { describe, expect, it } from 'vitest';
import { dayBounds, safeTimeZone } from './day-bounds.js';

describe('dayBounds', () => {
  it('gives the Moscow day (UTC+3) around an instant', () => {
    expect(dayBounds(new Date('2026-11-28T09:00:00.000Z'), 'Europe/Moscow')).toEqual({
      start: '2026-11-27T21:00:00.000Z',
      end: '2026-11-28T21:00:00.000Z',
    });
  });

  it('rolls over to the next local day before UTC does', () => {
    // 22:30 UTC is already 01:30 on the 29th in Moscow
    expect(dayBounds(new Date('2026-11-28T22:30:00.000Z'), 'Europe/Moscow').start).toBe('2026-11-28T21:00:00.000Z');
    expect(dayBounds(new Date('2026-11-28T22:30:00.000Z'), 'Asia/Vladivostok').start).toBe('2026-11-28T14:00:00.000Z');
  });

  it('handles month ends and DST days (a 23-hour day in Berlin)', () => {
    expect(dayBounds(new Date('2026-11-30T12:00:00.000Z'), 'UTC')).toEqual({ start: '2026-11-30T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    const berlin = dayBounds(new Date('2026-03-29T12:00:00.000Z'), 'Europe/Berlin');
    expect(berlin).toEqual({ start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z' });
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(safeTimeZone('Mars/Olympus')).toBe('UTC');
    expect(safeTimeZone('Europe/Moscow')).toBe('Europe/Moscow');
  });
});
