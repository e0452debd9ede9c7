// The inline script in index.html sends the first screen's GETs before the app's scripts have
// loaded and leaves the pending answers in window.__voronkaEarly, keyed by URL. The first request
// the app makes for such a URL takes that answer over instead of asking again. Each answer serves
// once and only soon after the page has loaded: later, a fresh request is the right one.

const FRESH_FOR_MS = 10_000;

type EarlyMap = Record<string, Promise<Response> | undefined>;

function earlyMap(): EarlyMap | undefined {
  return typeof window === 'undefined' ? undefined : (window as unknown as { __voronkaEarly?: EarlyMap }).__voronkaEarly;
}

/** The early answer for a GET of `url`, once; undefined when there is none (or it is too old). */
export function takeEarlyResponse(url: string, now = typeof performance === 'undefined' ? 0 : performance.now()): Promise<Response> | undefined {
  const early = earlyMap();
  if (!early) return undefined;
  const answer = early[url];
  if (!answer) return undefined;
  delete early[url];
  return now <= FRESH_FOR_MS ? answer : undefined;
}
