import http from 'node:http';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { isPrivateAddress } from '../../src/shared/outbound-address.js';

// The webhook robot does not call into the server's own network (src/shared/outbound-address.ts):
// with the production policy (the test server otherwise allows private addresses for its receivers),
// a URL naming a private, loopback or link-local address or localhost is a 400 on params.url when
// saved, and a host name that resolves to such an address fails the run with the reason, nothing
// sent. A receiver on 127.0.0.1 stands by to show that nothing arrives.

const SECRET = 'a webhook secret of enough length';

describe.each(testDialects())('webhook robots and private addresses on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number }>;
  let server: http.Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    s = await startTestServer(dialect, { allowPrivateWebhooks: false });
    engine = automationDriver(s);
    stages = (await s.admin.get('/pipelines')).body.items[0].stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    server = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
    await new Promise<void>((r) => server?.close(() => r()));
  });

  it('refuses a private, loopback, link-local or localhost URL when saved, naming params.url', async () => {
    for (const url of [`http://127.0.0.1:${port}/hook`, 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/hook', `http://localhost:${port}/`, 'http://0x7f.1/']) {
      const res = await s.admin.post('/automation/robots', { stageId: stages[1]!.id, type: 'webhook', params: { url, secret: SECRET } });
      expect(res.status, url).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['params.url']);
      expect(res.body.error.fields[0].message).toMatch(/own network/);
    }
    // a public name is not resolved when saved (it may change before the call): accepted
    const ok = await s.admin.post('/automation/robots', { stageId: stages[1]!.id, type: 'webhook', params: { url: 'https://hooks.example.com/crm', secret: SECRET }, enabled: false });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
  });

  it('fails the run when the host name resolves to a private address; nothing is sent', async () => {
    // the machine's own name resolves (through /etc/hosts in any container) to one of its addresses:
    // loopback or private; it passes the save-time check, being a name
    const name = hostname();
    const { address } = await lookup(name);
    expect(isPrivateAddress(address), `${name} → ${address}`).toBe(true);
    const robot = await s.admin.post('/automation/robots', { stageId: stages[2]!.id, type: 'webhook', params: { url: `http://${name}:${port}/hook`, secret: SECRET } });
    expect(robot.status, JSON.stringify(robot.body)).toBe(201);
    const deal = (await s.admin.post('/deals', { title: 'Сделка для вебхука', stageId: stages[2]!.id })).body as { id: number };
    await engine.settle();
    const [run] = (await s.admin.get(`/deals/${deal.id}/automation`)).body.items as Array<{ status: string; error: string | null }>;
    expect(run).toMatchObject({ status: 'failed' });
    expect(run!.error).toContain(`${name} resolves to ${address}, a private, loopback or link-local address`);
    expect(hits).toBe(0);
  });
});
