import { describe, expect, it } from 'vitest';
import { dayAtLocal, defaultDeadlineLocal, rescheduleTarget } from './reschedule';

describe('reschedule presets', () => {
  it('«через час»: an hour from now, to the minute, whatever the old deadline', () => {
    const now = new Date('2026-11-28T10:15:42.123Z');
    expect(rescheduleTarget('hour', '2026-11-20T09:00:00.000Z', now, 'Europe/Moscow')).toBe('2026-11-28T11:15:00.000Z');
    expect(rescheduleTarget('hour', null, now, 'Asia/Vladivostok')).toBe('2026-11-28T11:15:00.000Z');
    // across midnight it simply is the next day
    expect(rescheduleTarget('hour', null, new Date('2026-11-28T20:30:00.000Z'), 'Europe/Moscow')).toBe('2026-11-28T21:30:00.000Z');
  });

  it('«завтра»: the next day in the user zone at the time the activity had', () => {
    // 15:00 in Moscow, overdue since yesterday
    const deadline = '2026-11-27T12:00:00.000Z';
    const now = new Date('2026-11-28T09:00:00.000Z'); // 12:00 in Moscow
    expect(rescheduleTarget('tomorrow', deadline, now, 'Europe/Moscow')).toBe('2026-11-29T12:00:00.000Z');
  });

  it('«завтра» counts the day in the user zone, not in UTC', () => {
    const deadline = '2026-11-27T12:00:00.000Z'; // 15:00 Moscow, 12:00 UTC
    const now = new Date('2026-11-28T22:30:00.000Z'); // already 29.11, 01:30 in Moscow; still 28.11 in UTC
    expect(rescheduleTarget('tomorrow', deadline, now, 'Europe/Moscow')).toBe('2026-11-30T12:00:00.000Z');
    expect(rescheduleTarget('tomorrow', deadline, now, 'UTC')).toBe('2026-11-29T12:00:00.000Z');
    // New York is still on the 28th in the evening before: 09:30 there
    expect(rescheduleTarget('tomorrow', '2026-11-20T14:30:00.000Z', new Date('2026-11-28T03:00:00.000Z'), 'America/New_York')).toBe('2026-11-28T14:30:00.000Z');
  });

  it('without a deadline the new one is at 10:00 local', () => {
    const now = new Date('2026-11-28T15:00:00.000Z'); // 29.11, 01:00 in Vladivostok (UTC+10)
    expect(rescheduleTarget('tomorrow', null, now, 'Asia/Vladivostok')).toBe('2026-11-30T00:00:00.000Z');
    expect(rescheduleTarget('week', null, now, 'Europe/Moscow')).toBe('2026-12-05T07:00:00.000Z');
  });

  it('a future deadline moves to the preset day too (the labels count from today)', () => {
    const inThreeDays = '2026-12-01T08:00:00.000Z'; // 11:00 Moscow
    expect(rescheduleTarget('tomorrow', inThreeDays, new Date('2026-11-28T09:00:00.000Z'), 'Europe/Moscow')).toBe('2026-11-29T08:00:00.000Z');
  });

  it('«через неделю» crosses months and years', () => {
    const now = new Date('2026-12-28T08:00:00.000Z');
    expect(rescheduleTarget('week', '2026-12-20T06:45:00.000Z', now, 'Europe/Moscow')).toBe('2027-01-04T06:45:00.000Z');
    expect(rescheduleTarget('week', null, new Date('2028-02-25T12:00:00.000Z'), 'UTC')).toBe('2028-03-03T10:00:00.000Z');
  });

  it('keeps the wall-clock time across a DST change', () => {
    // 09:00 in Berlin (CET, UTC+1) the day before summer time starts on 29.03.2026
    const deadline = '2026-03-27T08:00:00.000Z';
    expect(rescheduleTarget('tomorrow', deadline, new Date('2026-03-28T12:00:00.000Z'), 'Europe/Berlin')).toBe('2026-03-29T07:00:00.000Z');
    // and back in autumn (25.10.2026): 09:00 CET is 08:00 UTC again
    expect(rescheduleTarget('week', '2026-10-20T07:00:00.000Z', new Date('2026-10-20T10:00:00.000Z'), 'Europe/Berlin')).toBe('2026-10-27T08:00:00.000Z');
  });

  it('a time a DST change skips still gives a deadline on that day', () => {
    // 02:30 does not exist in Berlin on 29.03.2026
    const out = rescheduleTarget('tomorrow', '2026-03-27T01:30:00.000Z', new Date('2026-03-28T12:00:00.000Z'), 'Europe/Berlin');
    expect(out.slice(0, 10)).toBe('2026-03-29');
    expect(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']).toContain(out);
  });

  it('the default deadline of a new activity is tomorrow at 10:00 in the user zone', () => {
    expect(defaultDeadlineLocal(new Date('2026-11-28T22:30:00.000Z'), 'Europe/Moscow')).toBe('2026-11-30T10:00');
    expect(defaultDeadlineLocal(new Date('2026-11-28T22:30:00.000Z'), 'UTC')).toBe('2026-11-29T10:00');
    expect(dayAtLocal(new Date('2026-12-31T12:00:00.000Z'), 1, '09:15', 'UTC')).toBe('2027-01-01T09:15');
  });
});
