import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDb, type Db } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { apiRoutes, noContent } from '../../src/server/http/responses.js';
import { generateApiTypes, GENERATED_FILE } from '../../scripts/gen-api-types.js';
import { readFile } from 'node:fs/promises';

// The response side of the API contract. Every API route declares a response schema for its
// success status (the guard below, over the routes the app registers), and the test server
// (test/support/test-server.ts) checks every response of the whole integration suite against it
// (strictResponses); here, that the check fails loudly when a response does not match.

const isSuccess = (status: string) => /^2(\d\d|xx)$/.test(status);

describe('response schemas', () => {
  let db: Db;
  beforeAll(() => {
    db = openDb(':memory:');
  });
  afterAll(() => db.close());

  it('every API route declares a response schema for its success status, and the shared error schema', async () => {
    const { app } = await buildApp({ db, webRoot: false });
    await app.ready();
    const routes = apiRoutes(app).filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(90);
    const missing = routes.filter((r) => !Object.keys((r.schema.response as object | undefined) ?? {}).some(isSuccess)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const withoutErrors = routes.filter((r) => !('4xx' in (r.schema.response as object))).map((r) => `${r.method} ${r.url}`);
    expect(withoutErrors).toEqual([]);

    // and the OpenAPI document says so: each operation has a 2XX answer, with a body unless it is a 204
    const doc = app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    const undocumented: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ok = Object.entries(op.responses).filter(([status]) => isSuccess(status.toLowerCase()));
        if (ok.length === 0 || ok.some(([status, r]) => status !== '204' && !r.content)) undocumented.push(`${method} ${path}`);
        if (!op.responses['4XX']) undocumented.push(`${method} ${path} (errors)`);
      }
    }
    expect(undocumented).toEqual([]);
    await app.close();
  });

  async function appWithProbe(strictResponses: boolean) {
    const { app } = await buildApp({ db, webRoot: false, strictResponses });
    const schema = z.object({ id: z.number().int(), name: z.string() });
    app.get('/api/v1/probe/ok', { schema: { response: { 200: schema } } }, async () => ({ id: 1, name: 'a' }));
    app.get('/api/v1/probe/wrong-type', { schema: { response: { 200: schema } } }, async () => ({ id: 1, name: 2 }) as unknown as { id: number; name: string });
    app.get('/api/v1/probe/extra-field', { schema: { response: { 200: schema } } }, async () => ({ id: 1, name: 'a', passwordHash: 'x' }));
    app.get('/api/v1/probe/other-status', { schema: { response: { 200: schema } } }, async (_req, reply) =>
      // a status the route does not declare (the type provider refuses it at compile time, hence the cast)
      reply.status(201 as 200).send({ id: 1, name: 'a' }),
    );
    app.delete('/api/v1/probe/gone', { schema: { response: { 204: noContent } } }, async (_req, reply) => reply.status(204).send());
    app.get('/api/v1/probe/not-found', { schema: { response: { 200: schema } } }, async (_req, reply) =>
      reply.status(404 as 200).send({ error: { code: 'not_found', message: 'Probe not found', fields: [] } } as never),
    );
    await app.ready();
    return app;
  }

  it('in strict mode a response that does not match its schema fails the request, naming the place', async () => {
    const app = await appWithProbe(true);
    expect((await app.inject({ url: '/api/v1/probe/ok' })).json()).toEqual({ id: 1, name: 'a' });

    const wrongType = await app.inject({ url: '/api/v1/probe/wrong-type' });
    expect(wrongType.statusCode).toBe(500);
    expect(wrongType.json().error.code).toBe('response_invalid');
    expect(wrongType.json().error.message).toContain('GET /api/v1/probe/wrong-type (200)');
    expect(wrongType.json().error.message).toContain('name');

    const extra = await app.inject({ url: '/api/v1/probe/extra-field' });
    expect(extra.statusCode).toBe(500);
    expect(extra.json().error.message).toContain('passwordHash is not in the schema');

    const otherStatus = await app.inject({ url: '/api/v1/probe/other-status' });
    expect(otherStatus.statusCode).toBe(500);
    expect(otherStatus.json().error.message).toContain('no response schema for this status');

    expect((await app.inject({ method: 'DELETE', url: '/api/v1/probe/gone' })).statusCode).toBe(204);
    const notFound = await app.inject({ url: '/api/v1/probe/not-found' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ error: { code: 'not_found', message: 'Probe not found', fields: [] } });
    await app.close();
  });

  it('without strict mode responses are written as the handler returned them (production)', async () => {
    const app = await appWithProbe(false);
    expect((await app.inject({ url: '/api/v1/probe/extra-field' })).json()).toEqual({ id: 1, name: 'a', passwordHash: 'x' });
    expect((await app.inject({ url: '/api/v1/probe/other-status' })).statusCode).toBe(201);
    await app.close();
  });

  it('the web app’s generated API types (web/src/api/openapi.gen.ts) are current: run `npm run gen:api-types`', async () => {
    expect(await readFile(GENERATED_FILE, 'utf8')).toBe(await generateApiTypes());
  });
});
