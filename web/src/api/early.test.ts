import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_FILTERS, toApiQuery } from '../pages/board/filters';
import { PAGE_SIZE } from '../pages/board/use-board';
import { api, toQueryString } from './client';
import { mayBeSignedIn } from '../auth/signed-in';

// The inline script of index.html must ask for exactly the URLs the app asks for, or its answers
// are never used. It runs here in a sandbox with a stand-in location, localStorage and fetch.

const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');

function earlyUrls(path: string, remembered: string | null = null, cookie = 'other=2; voronka_signed_in=1'): string[] {
  const urls: string[] = [];
  const url = new URL(path, 'http://voronka.test');
  const window: Record<string, unknown> = {};
  runInNewContext(inline, {
    window,
    document: { cookie },
    location: { pathname: url.pathname, search: url.search },
    URLSearchParams,
    localStorage: { getItem: (k: string) => (k === 'voronka.board.pipeline' ? remembered : null) },
    fetch: (u: string) => {
      urls.push(u);
      return Promise.resolve(new Response('{}'));
    },
  });
  return urls;
}

const appUrl = (path: string, query?: Parameters<typeof toQueryString>[0]) => `/api/v1${path}${toQueryString(query)}`;
const boardUrl = (id: number) => appUrl(`/pipelines/${id}/board`, { ...toApiQuery(EMPTY_FILTERS), limit: PAGE_SIZE });
const shell = [appUrl('/auth/me'), appUrl('/workspace')];
const boardLookups = [appUrl('/pipelines'), appUrl('/users', { limit: 500 })];

describe('early requests of index.html', () => {
  it('asks nothing when nobody is logged in in this browser (no 401s on the log-in page), as the app does', () => {
    expect(earlyUrls('/login', null, '')).toEqual([]);
    expect(earlyUrls('/deals', '7', 'other=2')).toEqual([]);
    expect(earlyUrls('/deals', '7', 'xvoronka_signed_in=1')).toEqual([]);
    expect(mayBeSignedIn('')).toBe(false);
    expect(mayBeSignedIn('other=2; voronka_signed_in=1')).toBe(true);
    expect(mayBeSignedIn('voronka_signed_in=0')).toBe(false);
  });

  it('asks for the shell, the look-ups and the remembered pipeline’s board on the board', () => {
    expect(earlyUrls('/deals', '7')).toEqual([...shell, ...boardLookups, boardUrl(7)]);
    expect(earlyUrls('/', '7')).toEqual([...shell, ...boardLookups, boardUrl(7)]);
  });

  it('prefers the pipeline in the address', () => {
    expect(earlyUrls('/deals?pipeline=3', '7')).toEqual([...shell, ...boardLookups, boardUrl(3)]);
  });

  it('leaves a filtered board, a first visit and a bad pipeline id to the app', () => {
    expect(earlyUrls('/deals?pipeline=3&responsible=5', '7')).toEqual([...shell, ...boardLookups]);
    expect(earlyUrls('/deals')).toEqual([...shell, ...boardLookups]);
    expect(earlyUrls('/deals', '1 OR 1')).toEqual([...shell, ...boardLookups]);
  });

  it('asks only for the shell elsewhere', () => {
    expect(earlyUrls('/deals/15')).toEqual(shell);
    expect(earlyUrls('/login')).toEqual(shell);
  });
});

describe('the client takes an early answer over', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function withEarly(entries: Record<string, Response>) {
    const early: Record<string, Promise<Response>> = {};
    for (const [k, v] of Object.entries(entries)) early[k] = Promise.resolve(v);
    const win = { __voronkaEarly: early, __voronkaEarlyAt: Date.now() - 100, location: { pathname: '/deals', search: '' } }; // sent just now
    vi.stubGlobal('window', win);
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify({ fresh: true }), { status: 200 });
    });
    return { early, fetched, win };
  }

  it('once, instead of asking again', async () => {
    const { fetched } = withEarly({ '/api/v1/pipelines': new Response(JSON.stringify({ early: true }), { status: 200 }) });
    expect(await api.get('/pipelines')).toEqual({ early: true });
    expect(fetched).toEqual([]);
    expect(await api.get('/pipelines')).toEqual({ fresh: true });
    expect(fetched).toEqual(['/api/v1/pipelines']);
  });

  it('not when it was a 401 (the user may have logged in since)', async () => {
    const { fetched } = withEarly({ '/api/v1/workspace': new Response('{}', { status: 401 }) });
    expect(await api.get('/workspace')).toEqual({ fresh: true });
    expect(fetched).toEqual(['/api/v1/workspace']);
  });

  it('not when the page has been open for a while', async () => {
    const { fetched, win } = withEarly({ '/api/v1/pipelines': new Response(JSON.stringify({ early: true }), { status: 200 }) });
    win.__voronkaEarlyAt = Date.now() - 60_000;
    expect(await api.get('/pipelines')).toEqual({ fresh: true });
    expect(fetched).toEqual(['/api/v1/pipelines']);
  });

  it('not for writes', async () => {
    const { early, fetched } = withEarly({ '/api/v1/deals': new Response(JSON.stringify({ early: true }), { status: 200 }) });
    expect(await api.post('/deals', {})).toEqual({ fresh: true });
    expect(fetched).toEqual(['/api/v1/deals']);
    expect(early['/api/v1/deals']).toBeDefined();
  });
});
