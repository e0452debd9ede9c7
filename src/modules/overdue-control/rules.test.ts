import { describe, expect, it } from 'vitest';
import { localDate, nextDigestAt, nextMinute } from './rules.js';

// The digest's next time in the workspace's time zone, across DST changes and day ends.

describe('nextDigestAt', () => {
  it('is today at the time when it is still ahead, else tomorrow (Moscow, UTC+3 all year)', () => {
    expect(nextDigestAt(Date.parse('2026-12-04T05:00:00Z'), '09:00', 'Europe/Moscow').toISOString()).toBe('2026-12-04T06:00:00.000Z');
    expect(nextDigestAt(Date.parse('2026-12-04T06:00:00Z'), '09:00', 'Europe/Moscow').toISOString()).toBe('2026-12-05T06:00:00.000Z');
    // 23:30 UTC is already the next local day in Moscow
    expect(nextDigestAt(Date.parse('2026-12-04T23:30:00Z'), '09:00', 'Europe/Moscow').toISOString()).toBe('2026-12-05T06:00:00.000Z');
  });

  it('keeps the wall time across a DST change (Berlin, spring forward and fall back)', () => {
    // Saturday 28 March 2026 at 10:00 UTC (11:00 CET): the next 09:00 is Sunday's, in summer time
    expect(nextDigestAt(Date.parse('2026-03-28T10:00:00Z'), '09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // Saturday 24 October 2026 at 10:00 UTC (12:00 CEST): Sunday's 09:00 is in winter time
    expect(nextDigestAt(Date.parse('2026-10-24T10:00:00Z'), '09:00', 'Europe/Berlin').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('the digest date and the minute boundaries', () => {
    expect(localDate(Date.parse('2026-12-04T22:00:00Z'), 'Europe/Moscow')).toBe('2026-12-05');
    expect(nextMinute(Date.parse('2026-12-04T10:00:00Z')).toISOString()).toBe('2026-12-04T10:01:00.000Z');
    expect(nextMinute(Date.parse('2026-12-04T10:00:59.999Z')).toISOString()).toBe('2026-12-04T10:01:00.000Z');
  });
});
