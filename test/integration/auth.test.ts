import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

describe.each(testDialects())('auth on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  it('reports health without auth', async () => {
    const res = await s.anon().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: dialect });
  });

  it('refuses anonymous calls with 401 and a JSON error', async () => {
    const res = await s.anon().get('/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('logs in, returns the user and permissions, and logs out', async () => {
    const me = await s.admin.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.permissions.isAdmin).toBe(true);
    expect(me.body.permissions.entities.deal.read).toBe('all');
    const c = await ApiClient.login(s.baseUrl, s.admin.user.email, 'correct horse battery');
    expect((await c.post('/auth/logout')).status).toBe(204);
    expect((await c.get('/auth/me')).status).toBe(401);
  });

  it('marks the browser as signed in with a readable cookie beside the session one, and clears both on log-out', async () => {
    const login = await fetch(`${s.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: s.admin.user.email, password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const set = login.headers.getSetCookie();
    const marker = set.find((c) => c.startsWith('voronka_signed_in='));
    expect(marker).toMatch(/^voronka_signed_in=1;/);
    expect(marker).not.toMatch(/HttpOnly/i); // the web app reads it: no secret in it
    expect(set.find((c) => c.startsWith('voronka_session='))).toMatch(/HttpOnly/i);
    const body = (await login.json()) as { csrfToken: string };
    const session = /voronka_session=[^;]*/.exec(set.join('\n'))![0];
    const logout = await fetch(`${s.baseUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: session, 'x-csrf-token': body.csrfToken } });
    expect(logout.status).toBe(204);
    const cleared = logout.headers.getSetCookie();
    expect(cleared.find((c) => c.startsWith('voronka_signed_in='))).toMatch(/^voronka_signed_in=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    expect(cleared.find((c) => c.startsWith('voronka_session='))).toMatch(/^voronka_session=;/);
  });

  it('rejects a wrong password and rate-limits repeated failures', async () => {
    const anon = s.anon();
    const wrong = await anon.post('/auth/login', { email: s.admin.user.email, password: 'nope' });
    expect(wrong.status).toBe(401);
    for (let i = 0; i < 10; i++) await anon.post('/auth/login', { email: 'victim@test.local', password: 'x' + i });
    const limited = await anon.post('/auth/login', { email: 'victim@test.local', password: 'again' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const c = await ApiClient.login(s.baseUrl, s.admin.user.email, 'correct horse battery');
    c.csrfToken = null;
    const res = await c.post('/api-tokens', { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/CSRF/);
  });

  it('issues API tokens that authenticate until revoked, stored hashed', async () => {
    const created = await s.admin.post('/api-tokens', { name: 'integration' });
    expect(created.status).toBe(201);
    const tokenClient = ApiClient.withToken(s.baseUrl, created.body.token);
    expect((await tokenClient.get('/auth/me')).body.user.email).toBe(s.admin.user.email);
    const stored = await s.testDb.db.kysely.selectFrom('api_tokens').select('token_hash').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(created.body.token);
    expect((await s.admin.delete(`/api-tokens/${created.body.id}`)).status).toBe(204);
    expect((await tokenClient.get('/auth/me')).status).toBe(401);
  });

  // The credential and the actor are read in one statement (users.loadActorOf): each check it
  // keeps — expiry, revocation, an active user, the credential's own workspace — answers 401.
  it('refuses an expired session, a deactivated user and a credential of another workspace in the one-statement look-up', async () => {
    const kdb = s.testDb.db.kysely;
    const u = await addUser(s, `expiry-${Date.now()}@example.com`);
    expect((await u.client.get('/auth/me')).status).toBe(200);
    // sliding expiry: touched after 10 minutes, so a session used within 14 days lives on (the
    // administrator's too, which the other tests use)
    for (let i = 0; i < 2; i++) {
      s.clock.advance(13 * 24 * 3600 * 1000);
      expect((await u.client.get('/auth/me')).status).toBe(200);
      expect((await s.admin.get('/auth/me')).status).toBe(200);
    }
    await kdb.updateTable('sessions').set({ expires_at: new Date(s.clock.now().getTime() - 1000).toISOString() }).where('user_id', '=', u.id).execute();
    expect((await u.client.get('/auth/me')).status).toBe(401);

    const v = await addUser(s, `inactive-${Date.now()}@example.com`);
    const token = (await v.client.post('/api-tokens', { name: 'inactive' })).body.token as string;
    const tokenClient = ApiClient.withToken(s.baseUrl, token);
    expect((await tokenClient.get('/auth/me')).status).toBe(200);
    // the column flipped straight in the table: the load itself must refuse an inactive user
    await kdb.updateTable('users').set({ active: 0 }).where('id', '=', v.id).execute();
    expect((await tokenClient.get('/auth/me')).status).toBe(401);
    expect((await v.client.get('/auth/me')).status).toBe(401);
    await kdb.updateTable('users').set({ active: 1 }).where('id', '=', v.id).execute();
    expect((await tokenClient.get('/auth/me')).status).toBe(200);

    // a token row naming the user under another workspace is nobody's
    const other = await s.newWorkspace('Чужая компания');
    await kdb.updateTable('api_tokens').set({ workspace_id: other.workspaceId }).where('user_id', '=', v.id).execute();
    expect((await tokenClient.get('/auth/me')).status).toBe(401);
    await kdb.updateTable('sessions').set({ workspace_id: other.workspaceId }).where('user_id', '=', v.id).execute();
    expect((await v.client.get('/auth/me')).status).toBe(401);
  });

  it('ends every session on logout everywhere', async () => {
    const a = await ApiClient.login(s.baseUrl, s.admin.user.email, 'correct horse battery');
    const b = await ApiClient.login(s.baseUrl, s.admin.user.email, 'correct horse battery');
    expect((await a.post('/auth/logout', { everywhere: true })).status).toBe(204);
    expect((await b.get('/auth/me')).status).toBe(401);
  });

  it('answers validation errors with field paths', async () => {
    const res = await s.anon().post('/auth/login', { email: 5, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', 'extra']));
  });

  it('refuses the NUL character in any field or query parameter with a 400 naming it', async () => {
    const body = await s.admin.post('/deals', { title: 'a\u0000b' });
    expect(body.status).toBe(400);
    expect(body.body.error.fields[0].path).toBe('title');
    const query = await s.admin.get('/deals', { q: 'x\u0000' });
    expect(query.status).toBe(400);
    expect(query.body.error.fields[0].path).toBe('q');
  });

  it('serves the OpenAPI document', async () => {
    const res = await s.anon().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toContain('/api/v1/auth/login');
  });
});
