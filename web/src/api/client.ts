// The one way the web app talks to the server: `api.get('/deals', { q: 'мебель' })`,
// `api.post('/deals', body)`, `api.patch(`/deals/${id}`, { ...changes, version })`.
//
// - Paths are relative to /api/v1 (same origin; the session cookie goes along by itself).
// - Writes carry the X-CSRF-Token kept from the log-in answer or GET /auth/me.
// - A non-2xx answer throws ApiError (code, message, fields for forms, current for a 409).
// - A 401 on any call but the log-in ones sends the user to /login?next=<where they were>; forms
//   that use useDraft() get their typed text back after logging in again.

import { takeEarlyResponse } from './early';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  /** machine code from API.md: validation_failed, not_found, version_conflict, … ; 'network' when the server was not reached */
  readonly code: string;
  readonly fields: FieldError[];
  /** with 409 version_conflict: the record as it is now on the server */
  readonly current: unknown;
  /** with 422 rule_violation: which rule refused (errors.rules.<rule>) and its figures */
  readonly rule: string | undefined;
  readonly params: Record<string, string | number>;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], extra: { current?: unknown; rule?: string; params?: Record<string, string | number> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.current = extra.current;
    this.rule = extra.rule;
    this.params = extra.params ?? {};
  }

  /** Field errors keyed by path (`contacts[0].phone`), for form.setErrors(). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) if (!(f.path in out)) out[f.path] = f.message;
    return out;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export type QueryValue = string | number | boolean | null | undefined | Array<string | number>;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** do not redirect to the log-in page on 401 (the log-in and "who am I" calls) */
  allow401?: boolean;
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}
export function getCsrfToken(): string | null {
  return csrfToken;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {
  const here = window.location.pathname + window.location.search;
  if (!window.location.pathname.startsWith('/login')) window.location.assign(loginUrl(here));
};
/** The app installs a router-aware handler (keeps the SPA alive, clears the cached user). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

export function loginUrl(next: string, reason?: 'expired'): string {
  const p = new URLSearchParams();
  if (next && next !== '/' && !next.startsWith('/login')) p.set('next', next);
  if (reason) p.set('reason', reason);
  const s = p.toString();
  return s ? `/login?${s}` : '/login';
}

/** Where to go after logging in: only a path inside the app (an open redirect is not a feature). */
export function safeNext(next: string | null | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login') ? next : '/deals';
}

export function toQueryString(query?: Query): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) p.append(k, String(item));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const url = (path.startsWith('/api/') ? path : `/api/v1${path}`) + toQueryString(opts.query);

  let res: Response;
  try {
    const early = method === 'GET' ? await takeEarlyResponse(url)?.catch(() => undefined) : undefined;
    // an early 401 may predate the log-in that happened since: ask again
    res = early && early.status !== 401 ? early : await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message || 'Network error');
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (res.ok) return data as T;

  const err = (data as { error?: { code?: string; message?: string; fields?: FieldError[]; current?: unknown; rule?: string; params?: Record<string, string | number> } } | null)?.error;
  const apiError = new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.fields ?? [], { current: err?.current, rule: err?.rule, params: err?.params });
  if (res.status === 401 && !opts.allow401) {
    setCsrfToken(null);
    onUnauthenticated();
  }
  throw apiError;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, undefined, { ...opts, query }),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  delete: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};
