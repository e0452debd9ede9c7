import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, loginUrl, safeNext, setCsrfToken, setUnauthenticatedHandler, toQueryString } from './client';

// The client's own logic against a stand-in for the browser's fetch (the real server is exercised
// by the browser tests in test/e2e).

interface Call {
  url: string;
  init: RequestInit;
}
let calls: Call[];
let answer: { status: number; body?: unknown };

beforeEach(() => {
  calls = [];
  answer = { status: 200, body: { ok: true } };
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, { status: answer.status, headers: { 'content-type': 'application/json' } });
  });
  setCsrfToken('csrf-1');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

const headersOf = (c: Call) => c.init.headers as Record<string, string>;

describe('api client', () => {
  it('prefixes /api/v1, builds the query string, sends no CSRF token on reads', async () => {
    await api.get('/deals', { q: 'мебель', limit: 5, stageId: [1, 2], empty: '', none: undefined });
    expect(calls[0]!.url).toBe('/api/v1/deals?q=%D0%BC%D0%B5%D0%B1%D0%B5%D0%BB%D1%8C&limit=5&stageId=1&stageId=2');
    expect(calls[0]!.init.method).toBe('GET');
    expect(headersOf(calls[0]!)['x-csrf-token']).toBeUndefined();
    await api.get('/api/health');
    expect(calls[1]!.url).toBe('/api/health');
  });

  it('sends JSON and the CSRF token on writes', async () => {
    await api.post('/deals', { title: 'A' });
    await api.patch('/deals/1', { title: 'B', version: 3 });
    await api.delete('/deals/1');
    for (const c of calls) expect(headersOf(c)['x-csrf-token']).toBe('csrf-1');
    expect(calls[0]!.init.body).toBe('{"title":"A"}');
    expect(headersOf(calls[0]!)['content-type']).toBe('application/json');
    expect(calls.map((c) => c.init.method)).toEqual(['POST', 'PATCH', 'DELETE']);
  });

  it('returns undefined for 204', async () => {
    answer = { status: 204 };
    await expect(api.delete('/deals/1')).resolves.toBeUndefined();
  });

  it('turns an error answer into ApiError with fields and the current record of a 409', async () => {
    answer = { status: 400, body: { error: { code: 'validation_failed', message: 'bad', fields: [{ path: 'contacts[0].phone', message: 'is not a phone' }] } } };
    const e = await api.post('/contacts', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'validation_failed', message: 'bad' });
    expect((e as ApiError).fieldErrors()).toEqual({ 'contacts[0].phone': 'is not a phone' });

    answer = { status: 409, body: { error: { code: 'version_conflict', message: 'changed', fields: [], current: { id: 1, version: 5 } } } };
    const c = (await api.patch('/deals/1', { version: 4 }).catch((x: unknown) => x)) as ApiError;
    expect(c.code).toBe('version_conflict');
    expect(c.current).toEqual({ id: 1, version: 5 });
  });

  it('reports an unreachable server as code "network"', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.get('/deals')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('on 401 forgets the CSRF token and calls the log-in handler, unless told not to', async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    answer = { status: 401, body: { error: { code: 'unauthenticated', message: 'Log in first', fields: [] } } };
    await expect(api.get('/auth/me', undefined, { allow401: true })).rejects.toMatchObject({ status: 401 });
    expect(handler).not.toHaveBeenCalled();
    await expect(api.get('/deals')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(handler).toHaveBeenCalledTimes(1);
    await api.post('/x', {}).catch(() => undefined);
    expect(headersOf(calls.at(-1)!)['x-csrf-token']).toBeUndefined();
  });
});

describe('log-in redirects', () => {
  it('loginUrl keeps where the user was', () => {
    expect(loginUrl('/deals/42?tab=products')).toBe('/login?next=%2Fdeals%2F42%3Ftab%3Dproducts');
    expect(loginUrl('/contacts', 'expired')).toBe('/login?next=%2Fcontacts&reason=expired');
    expect(loginUrl('/')).toBe('/login');
    expect(loginUrl('/login?next=x')).toBe('/login');
  });
  it('safeNext only allows paths inside the app', () => {
    expect(safeNext('/deals/42?x=1')).toBe('/deals/42?x=1');
    expect(safeNext(null)).toBe('/deals');
    expect(safeNext('https://evil.example')).toBe('/deals');
    expect(safeNext('//evil.example')).toBe('/deals');
    expect(safeNext('/\\evil.example')).toBe('/deals');
    expect(safeNext('/login?next=/deals')).toBe('/deals');
  });
  it('toQueryString skips empty values', () => {
    expect(toQueryString({})).toBe('');
    expect(toQueryString({ a: null, b: '', c: 0, d: false })).toBe('?c=0&d=false');
  });
});
