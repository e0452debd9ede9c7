// The inline script in index.html sends the first screen's GETs before the app's scripts have
// loaded and leaves the pending answers in window.__voronkaEarly, keyed by URL. The first request
// the app makes for such a URL takes that answer over instead of asking again. Each answer serves
// once and only soon after the page has loaded: later, a fresh request is the right one.

const FRESH_FOR_MS = 10_000;

type EarlyMap = Record<string, Promise<Response> | undefined>;

interface EarlyWindow {
  __voronkaEarly?: EarlyMap;
  /** Date.now() when the early script sent its requests */
  __voronkaEarlyAt?: number;
}

function earlyWindow(): EarlyWindow | undefined {
  return typeof window === 'undefined' ? undefined : (window as unknown as EarlyWindow);
}

/**
 * The early answer for a GET of `url`, once; undefined when there is none (or it is too old). Its age
 * is measured on the wall clock from when the early script sent it (performance.now() would do on a
 * real page, but a page whose clock is installed by a test runs it from the install, not the load).
 */
export function takeEarlyResponse(url: string, now = Date.now()): Promise<Response> | undefined {
  const w = earlyWindow();
  const early = w?.__voronkaEarly;
  if (!early) return undefined;
  const answer = early[url];
  if (!answer) return undefined;
  delete early[url];
  const age = now - (w.__voronkaEarlyAt ?? Number.NEGATIVE_INFINITY);
  return age >= 0 && age <= FRESH_FOR_MS ? answer : undefined;
}
