import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { buildApp } from '../../src/server/app.js';
import type { TrustProxy } from '../../src/server/config.js';
import { ATTEMPT_POLICY } from '../../src/modules/auth/attempts.js';

// Password-guess limits (src/modules/auth/attempts.ts): counted atomically before the password is
// verified, per (e-mail, IP), per e-mail and per IP; the client address from X-Forwarded-For only
// as far as TRUST_PROXY's hop count reaches.

const PASSWORD = 'limits password 1';
const WINDOW = ATTEMPT_POLICY.windowMs;

describe.each(testDialects())('password-guess limits on %s', (dialect) => {
  let s: TestServer;
  /** the same database and clock behind a server that trusts one or two proxies */
  const proxied = {} as Record<1 | 2, { app: FastifyInstance; url: string }>;
  let users = 0;

  const startProxied = async (trustProxy: TrustProxy) => {
    const { app } = await buildApp({ db: s.testDb.db, clock: s.clock, webRoot: false, trustProxy });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
  };

  const newUser = async () => {
    const email = `user${++users}@limits.test`;
    const res = await s.admin.post('/users', { email, name: `Пользователь ${users}`, password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return email;
  };

  const login = (baseUrl: string, email: string, password: string, forwardedFor?: string) =>
    new ApiClient(baseUrl).request('POST', '/auth/login', { email, password }, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

  beforeAll(async () => {
    s = await startTestServer(dialect);
    proxied[1] = await startProxied(1);
    proxied[2] = await startProxied(2);
  });
  afterAll(async () => {
    for (const p of Object.values(proxied)) await p.app.close();
    await s?.close();
  });

  const failuresOf = async (email: string) =>
    Number(
      (
        await s.testDb.db.kysely
          .selectFrom('login_attempts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('email', '=', email)
          .where('success', '=', 0)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('40 parallel wrong log-ins: exactly the limit of them are verified (401), the rest 429, and the ledger holds exactly that many', async () => {
    const email = await newUser();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(s.baseUrl, email, `wrong ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(ATTEMPT_POLICY.perEmailAndIp);
    expect(statuses.filter((st) => st === 429)).toHaveLength(40 - ATTEMPT_POLICY.perEmailAndIp);
    expect(await failuresOf(email)).toBe(ATTEMPT_POLICY.perEmailAndIp);
    // even the right password waits for the window to pass…
    expect((await login(s.baseUrl, email, PASSWORD)).status).toBe(429);
    s.clock.advance(WINDOW + 1000);
    // …and then gets in
    expect((await login(s.baseUrl, email, PASSWORD)).status).toBe(200);
  });

  it('a correct log-in in a parallel burst of wrong ones is counted as a success, not a failure', async () => {
    const email = await newUser();
    const results = await Promise.all([login(s.baseUrl, email, PASSWORD), ...Array.from({ length: 5 }, (_, i) => login(s.baseUrl, email, `wrong ${i}`))]);
    expect(results[0]!.status).toBe(200);
    expect(results.slice(1).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await failuresOf(email)).toBe(5);
  });

  it('with one trusted proxy, the client-supplied left-most X-Forwarded-For is ignored: spoofing it does not reset the limit', async () => {
    const email = await newUser();
    for (let i = 0; i < ATTEMPT_POLICY.perEmailAndIp; i++) {
      // the attacker at 203.0.113.7 makes up a new address each time; the proxy appends the real one
      expect((await login(proxied[1].url, email, `wrong ${i}`, `198.51.100.${i}, 203.0.113.7`)).status).toBe(401);
    }
    expect((await login(proxied[1].url, email, 'wrong again', '198.51.100.200, 203.0.113.7')).status).toBe(429);
    const ips = await s.testDb.db.kysely.selectFrom('login_attempts').select('ip').distinct().where('email', '=', email).execute();
    expect(ips.map((r) => r.ip)).toEqual(['203.0.113.7']);
    s.clock.advance(WINDOW + 1000);
  });

  it('with two trusted proxies, the client is the second address from the right', async () => {
    const email = await newUser();
    for (let i = 0; i < ATTEMPT_POLICY.perEmailAndIp; i++) {
      expect((await login(proxied[2].url, email, `wrong ${i}`, `198.51.100.${i}, 203.0.113.8, 10.0.0.1`)).status).toBe(401);
    }
    expect((await login(proxied[2].url, email, PASSWORD, '198.51.100.99, 203.0.113.8, 10.0.0.1')).status).toBe(429);
    // another client behind the same two proxies is not affected
    expect((await login(proxied[2].url, email, PASSWORD, '203.0.113.9, 10.0.0.1')).status).toBe(200);
    const ips = await s.testDb.db.kysely.selectFrom('login_attempts').select('ip').distinct().where('email', '=', email).orderBy('ip').execute();
    expect(ips.map((r) => r.ip)).toEqual(['203.0.113.8', '203.0.113.9']);
    s.clock.advance(WINDOW + 1000);
  });

  it('without TRUST_PROXY the header is not believed at all', async () => {
    const email = await newUser();
    for (let i = 0; i < ATTEMPT_POLICY.perEmailAndIp; i++) expect((await login(s.baseUrl, email, `wrong ${i}`, `198.51.100.${i}`)).status).toBe(401);
    expect((await login(s.baseUrl, email, PASSWORD, '198.51.100.77')).status).toBe(429);
    s.clock.advance(WINDOW + 1000);
  });

  it('lock-out policy: the attacker is locked out of the account, the owner from another address still gets in', async () => {
    const email = await newUser();
    const attacker = '203.0.113.50';
    for (let i = 0; i < ATTEMPT_POLICY.perEmailAndIp; i++) expect((await login(proxied[1].url, email, `guess ${i}`, attacker)).status).toBe(401);
    expect((await login(proxied[1].url, email, PASSWORD, attacker)).status).toBe(429);
    expect((await login(proxied[1].url, email, PASSWORD, '192.0.2.10')).status).toBe(200);
    // 14 minutes on the attacker is still out; past the window it may try again
    s.clock.advance(WINDOW - 60_000);
    expect((await login(proxied[1].url, email, 'guess', attacker)).status).toBe(429);
    s.clock.advance(61_000);
    expect((await login(proxied[1].url, email, 'guess', attacker)).status).toBe(401);
    s.clock.advance(WINDOW + 1000);
  });

  it('a distributed attack hits the per-e-mail limit; an address the owner logged in from before still gets in', async () => {
    const email = await newUser();
    const home = '192.0.2.20';
    expect((await login(proxied[1].url, email, PASSWORD, home)).status).toBe(200);
    s.clock.advance(60_000);
    // 10 attackers × 10 guesses = the per-e-mail limit
    const perAttacker = ATTEMPT_POLICY.perEmailAndIp;
    for (let a = 0; a < ATTEMPT_POLICY.perEmail / perAttacker; a++) {
      await Promise.all(Array.from({ length: perAttacker }, (_, i) => login(proxied[1].url, email, `guess ${i}`, `198.18.${a}.1`)));
    }
    expect(await failuresOf(email)).toBe(ATTEMPT_POLICY.perEmail);
    expect((await login(proxied[1].url, email, 'guess', '198.18.200.1')).status).toBe(429);
    expect((await login(proxied[1].url, email, PASSWORD, '192.0.2.99')).status).toBe(429);
    expect((await login(proxied[1].url, email, PASSWORD, home)).status).toBe(200);
    s.clock.advance(WINDOW + 1000);
  });

  it('per IP: one address guessing many e-mails is stopped at the per-IP limit', async () => {
    const ip = '203.0.113.90';
    for (let i = 0; i < ATTEMPT_POLICY.perIp; i++) {
      expect((await login(proxied[1].url, `nobody${i % 7}@limits.test`, 'x', ip)).status).toBe(401);
    }
    const victim = await newUser();
    expect((await login(proxied[1].url, victim, PASSWORD, ip)).status).toBe(429);
    expect((await login(proxied[1].url, victim, PASSWORD, '203.0.113.91')).status).toBe(200);
    s.clock.advance(WINDOW + 1000);
  });

  it('POST /auth/password: wrong current passwords are limited like log-ins, parallel ones too', async () => {
    const email = await newUser();
    const c = await ApiClient.login(s.baseUrl, email, PASSWORD);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => c.post('/auth/password', { currentPassword: `wrong ${i}`, newPassword: 'new password 123' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 400)).toHaveLength(ATTEMPT_POLICY.perEmailAndIp);
    expect(statuses.filter((st) => st === 429)).toHaveLength(25 - ATTEMPT_POLICY.perEmailAndIp);
    expect(results.find((r) => r.status === 400)!.body.error.fields[0].path).toBe('currentPassword');
    // the right one waits too; the password did not change
    expect((await c.post('/auth/password', { currentPassword: PASSWORD, newPassword: 'new password 123' })).status).toBe(429);
    s.clock.advance(WINDOW + 1000);
    expect((await c.post('/auth/password', { currentPassword: PASSWORD, newPassword: 'new password 123' })).status).toBe(204);
    expect((await login(s.baseUrl, email, 'new password 123')).status).toBe(200);
  });

  it('the session cookie is Secure when the trusted proxy says the request came over HTTPS, and not otherwise', async () => {
    const email = await newUser();
    const https = await new ApiClient(proxied[1].url).request('POST', '/auth/login', { email, password: PASSWORD }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.30' });
    expect(https.status).toBe(200);
    expect(https.headers.get('set-cookie')).toMatch(/voronka_session=[^;]+;.*\bSecure\b/i);
    expect(https.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(https.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    // a client talking to the server directly cannot claim HTTPS
    const direct = await new ApiClient(s.baseUrl).request('POST', '/auth/login', { email, password: PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(direct.status).toBe(200);
    expect(direct.headers.get('set-cookie')).not.toMatch(/\bSecure\b/i);
  });
});
