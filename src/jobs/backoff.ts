/** Retry delays: exponential with jitter, so that jobs failing together do not retry together. */

export const BACKOFF_BASE_MS = 15_000;
export const BACKOFF_CAP_MS = 60 * 60 * 1000;
const JITTER = 0.2;

/**
 * The delay after the `attempt`-th attempt failed: 15 s, 30 s, 1 min, 2 min … up to 1 h, each
 * spread by ±20 % (`random` in [0, 1)), and never under one second.
 */
export function defaultBackoff(attempt: number, random: () => number): number {
  return exponentialBackoff(attempt, random, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
}

export function exponentialBackoff(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = exp * (1 - JITTER + 2 * JITTER * random());
  return Math.max(1000, Math.round(jittered));
}
