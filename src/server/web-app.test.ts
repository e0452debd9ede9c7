import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { installErrorHandler } from './error-handler.js';
import { registerWebApp } from './web-app.js';

const INDEX = '<!doctype html><title>app</title><script type="module" src="/assets/index-abc123.js"></script>';
const JS = 'console.log("the app");'.repeat(100);

async function appFor(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandler(app);
  app.get('/api/v1/ping', async () => ({ pong: true }));
  await registerWebApp(app, root);
  await app.ready();
  return app;
}

describe('serving the built web app', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voronka-web-'));
    const dist = join(dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), JS);
    writeFileSync(join(dist, 'assets', 'index-abc123.js.gz'), gzipSync(JS));
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    app = await appFor(dist);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without long caching', async () => {
    const res = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(INDEX);
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const url of ['/deals/42', '/settings/pipelines?x=1', '/login?next=%2Fdeals']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('serves hashed assets for a year, precompressed when accepted', async () => {
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.body).toBe(JS);
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(JS.length);
    const other = await app.inject({ url: '/favicon.svg' });
    expect(other.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('gives a 404, not the app, for a missing asset, an API path or a non-HTML request', async () => {
    const asset = await app.inject({ url: '/assets/index-old999.js', headers: { accept: 'text/html' } });
    expect(asset.statusCode).toBe(404);
    const api = await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    const json = await app.inject({ url: '/deals', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/ping' })).json()).toEqual({ pong: true });
  });

  it('never serves a file outside the build folder', async () => {
    for (const url of ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.body, url).not.toContain('not for the web');
    }
  });

  it('without a build, / explains how to build it', async () => {
    const bare = await appFor(join(dir, 'missing'));
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    await bare.close();
  });
});
