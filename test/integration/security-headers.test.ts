import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { buildApp } from '../../src/server/app.js';

// Security headers (src/server/security-headers.ts) on the app page, its assets, API answers
// (success and error) and the API docs.

const INLINE = "window.__early = 1;";
const INDEX = `<!doctype html><html><head><script>${INLINE}</script><script type="module" src="/assets/index-abc.js"></script></head><body><div id="root"></div></body></html>`;

const directives = (header: string | null) =>
  new Map((header ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => { const [k, ...v] = d.split(/\s+/); return [k!, v] as const; }));

describe.each(testDialects())('security headers on %s', (dialect) => {
  let s: TestServer;
  let web: { app: FastifyInstance; url: string };
  let root: string;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    root = mkdtempSync(join(tmpdir(), 'voronka-web-'));
    writeFileSync(join(root, 'index.html'), INDEX);
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    const { app } = await buildApp({ db: s.testDb.db, clock: s.clock, webRoot: root });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    web = { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  });
  afterAll(async () => {
    await web?.app.close();
    rmSync(root, { recursive: true, force: true });
    await s?.close();
  });

  const common = (h: Headers) => {
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('same-origin');
    expect(h.get('x-frame-options')).toBe('DENY');
    const csp = directives(h.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    return csp;
  };

  it('the app page: scripts from the origin and its own inline script by hash, never unsafe-inline', async () => {
    for (const path of ['/', '/deals/42', '/index.html']) {
      const res = await fetch(web.url + path, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(INDEX);
      const csp = common(res.headers);
      const hash = `'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`;
      expect(csp.get('script-src')).toEqual(["'self'", hash]);
      expect(csp.get('script-src-attr')).toEqual(["'none'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
    }
    const asset = await fetch(web.url + '/assets/index-abc.js');
    expect(asset.status).toBe(200);
    common(asset.headers);
  });

  it('API answers, errors and the unbuilt-app note carry the headers too', async () => {
    for (const res of [
      await fetch(s.baseUrl + '/api/health'),
      await fetch(s.baseUrl + '/api/v1/deals'),
      await fetch(s.baseUrl + '/api/v1/nothing-here'),
      await fetch(s.baseUrl + '/api/v1/deals', { headers: { cookie: s.admin.cookie! } }),
    ]) {
      expect(res.status).toBeLessThan(500);
      const csp = common(res.headers);
      // 'self', and the hash of the built index.html's early script when there is a build; never inline or eval
      expect(csp.get('script-src')?.[0]).toBe("'self'");
      expect(csp.get('script-src')?.slice(1).every((s: string) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s))).toBe(true);
    }
  });

  it('the API docs page gets a policy Swagger UI works under: its scripts from the origin, inline styles, data: images; no framing', async () => {
    const page = await fetch(s.baseUrl + '/api/docs/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts on the page
    const csp = common(page.headers);
    // 'self', and the hash of the built index.html's early script when there is a build; never inline or eval
      expect(csp.get('script-src')?.[0]).toBe("'self'");
      expect(csp.get('script-src')?.slice(1).every((s: string) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s))).toBe(true);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    const init = await fetch(s.baseUrl + '/api/docs/static/swagger-initializer.js');
    expect(init.status).toBe(200);
    expect(init.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
