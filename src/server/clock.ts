/** Time comes from a clock so that deadlines, overdue checks and expiries are testable without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be set and moved (tests, and seed-demo replaying a year). */
export interface SettableClock extends Clock {
  set(iso: string | Date): void;
  advance(ms: number): void;
}

/**
 * A clock that stands still until it is set or moved. It has no default instant on purpose: a
 * default date silently ages (tests written "26 hours ago" against the real time broke once the
 * default fell behind it); the caller says where time starts.
 */
export class ManualClock implements SettableClock {
  private current: number;
  constructor(start: Date) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string | Date): void {
    this.current = new Date(iso).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/**
 * A clock that starts at a given instant and then runs with real time, and can be set or moved
 * like a ManualClock (the browser tests: the page's clock is installed at the same instant and
 * runs alongside, so server and browser agree on "now").
 */
export class RunningClock implements SettableClock {
  private base: number;
  private since: number;
  constructor(start: Date, private readonly real: () => number = Date.now) {
    this.base = start.getTime();
    this.since = real();
  }
  now(): Date {
    return new Date(this.base + (this.real() - this.since));
  }
  set(iso: string | Date): void {
    this.base = new Date(iso).getTime();
    this.since = this.real();
  }
  advance(ms: number): void {
    this.base += ms;
  }
}

export const nowIso = (clock: Clock): string => clock.now().toISOString();
