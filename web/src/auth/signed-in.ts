// The server sets a readable cookie `voronka_signed_in=1` beside the (httpOnly) session cookie and
// clears both on log-out (src/server/authenticate.ts, SIGNED_IN_COOKIE). Without it nobody is
// logged in in this browser, so the app does not ask GET /auth/me — an anonymous visitor's log-in
// page makes no request that answers 401 (an error in the console). index.html's early requests
// make the same check.

export const SIGNED_IN_COOKIE = 'voronka_signed_in';

export function mayBeSignedIn(cookies: string = typeof document === 'undefined' ? '' : document.cookie): boolean {
  return cookies.split(';').some((c) => c.trim() === `${SIGNED_IN_COOKIE}=1`);
}

/** The session turned out to be gone (expired, ended elsewhere): the next visit asks no more. */
export function forgetSignedIn(): void {
  if (typeof document !== 'undefined') document.cookie = `${SIGNED_IN_COOKIE}=; Max-Age=0; path=/; SameSite=Lax`;
}
