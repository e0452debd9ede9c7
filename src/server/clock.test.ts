import { describe, expect, it } from 'vitest';
import { ManualClock, RunningClock } from './clock.js';

describe('clocks', () => {
  it('a manual clock stands where it is set and moves only when told', () => {
    const c = new ManualClock(new Date('2027-12-31T20:59:00.000Z'));
    expect(c.now().toISOString()).toBe('2027-12-31T20:59:00.000Z');
    c.advance(60_000);
    expect(c.now().toISOString()).toBe('2027-12-31T21:00:00.000Z');
    c.set('2028-02-29T12:00:00.000Z');
    expect(c.now().toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('a running clock starts at its instant and runs with the real time; set and advance shift it', () => {
    let real = 1_000;
    const c = new RunningClock(new Date('2027-12-31T20:59:00.000Z'), () => real);
    expect(c.now().toISOString()).toBe('2027-12-31T20:59:00.000Z');
    real += 1_500;
    expect(c.now().toISOString()).toBe('2027-12-31T20:59:01.500Z');
    c.advance(3_600_000);
    expect(c.now().toISOString()).toBe('2027-12-31T21:59:01.500Z');
    c.set('2028-02-29T20:59:00.000Z');
    real += 250;
    expect(c.now().toISOString()).toBe('2028-02-29T20:59:00.250Z');
  });
});
