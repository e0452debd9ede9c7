import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, defaultBackoff, exponentialBackoff } from './backoff.js';

describe('retry backoff', () => {
  it('doubles from 15 s per attempt up to the 1 h cap, spread by ±20 %', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => defaultBackoff(a, middle))).toEqual([15_000, 30_000, 60_000, 120_000, 240_000]);
    expect(defaultBackoff(9, middle)).toBe(BACKOFF_CAP_MS);
    expect(defaultBackoff(1000, middle)).toBe(BACKOFF_CAP_MS);
    expect(defaultBackoff(1, () => 0)).toBe(12_000);
    expect(defaultBackoff(1, () => 0.999_999)).toBe(18_000);
    expect(defaultBackoff(12, () => 0.999_999)).toBeLessThanOrEqual(BACKOFF_CAP_MS * 1.2);
  });
  it('never retries in under a second, whatever the base', () => {
    expect(exponentialBackoff(1, () => 0, 10, 1000)).toBe(1000);
    expect(exponentialBackoff(0, () => 0.5, 2000, 60_000)).toBe(2000);
  });
});
