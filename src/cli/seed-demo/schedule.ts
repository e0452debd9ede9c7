import type { SettableClock } from '../../server/clock.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * The next moment in Moscow working hours (Mon–Fri, 09:00–19:00 MSK = 06:00–16:00 UTC) at or
 * after `ms`. Never earlier than `ms`, so a chain of steps built with it stays in order.
 */
export function workingTime(ms: number): number {
  const d = new Date(ms);
  const h = d.getUTCHours();
  if (h >= 16) {
    d.setUTCDate(d.getUTCDate() + 1);
    d.setUTCHours(6, d.getUTCMinutes(), 0, 0);
  } else if (h < 6) {
    d.setUTCHours(6, d.getUTCMinutes(), 0, 0);
  }
  const day = d.getUTCDay();
  if (day === 6 || day === 0) {
    d.setUTCDate(d.getUTCDate() + (day === 6 ? 2 : 1));
    d.setUTCHours(6, d.getUTCMinutes(), 0, 0);
  }
  return d.getTime();
}

interface Step {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

/**
 * A year of history is planned as steps at moments in time and then played in time order with
 * the app's clock set to each moment, so every created_at, stage entry and timeline entry
 * carries its moment, and ids grow with time as they would in real use.
 */
export class Schedule {
  private steps: Step[] = [];
  private seq = 0;

  constructor(private readonly clock: SettableClock) {}

  at(ms: number, run: () => Promise<void>): void {
    this.steps.push({ at: ms, seq: this.seq++, run });
  }

  get size(): number {
    return this.steps.length;
  }

  /** Plays every step in time order (steps planned at the same moment keep their planning order). */
  async play(onProgress?: (done: number, total: number) => void): Promise<void> {
    const steps = this.steps.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.steps = [];
    for (const [i, step] of steps.entries()) {
      this.clock.set(new Date(step.at).toISOString());
      await step.run();
      onProgress?.(i + 1, steps.length);
    }
  }
}
