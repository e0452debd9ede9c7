import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '../../src/server/clock.js';
import type { AppContext } from '../../src/server/context.js';
import { createTestDb, testDialects, type TestDb } from '../support/test-db.js';
import { SmscImitation, SmsRuImitation, type GatewayFault } from '../support/sms-gateways.js';
import { countRuns, pool, seedWorkspace, serverSpawner, startSeeder, until } from '../support/crash-kit.js';

// Crash test of the robots' external effects: 1,000 deals of one workspace enter a stage whose
// robot sends an SMS through SMSC.ru, and 300 of another through SMS.ru, while a real server
// process (test/support/automation-server-child.ts: the whole app, its outbox consumer and job
// worker, on the real clock) is killed with SIGKILL several times while sending — each time with
// requests that the gateway has taken and not yet answered — and started again. Counted where the
// messages land (the imitation gateways' ledgers):
// - SMSC.ru (look-up by our id): every deal gets exactly one SMS;
// - SMS.ru (no look-up by our id): none is doubled, and every one not delivered is uncertain or
//   failed in the automation log (nothing silently lost).
// CRASH_DEBUG=1 shows the phases' times and the server's warnings; CRASH_DEALS / CRASH_DEALS_SMSRU change the counts.

/** deals through SMSC.ru (exactly once) and through SMS.ru (at most once); the machine's speed sets the rest (CRASH_DEALS=… to change) */
const DEALS = Number(process.env.CRASH_DEALS ?? 1000);
const DEALS_SMSRU = Number(process.env.CRASH_DEALS_SMSRU ?? 300);
const KILLS = 3;

describe.each(testDialects())('automation crash test on %s', (dialect) => {
  let t: TestDb;
  let seeder: { app: FastifyInstance; ctx: AppContext; url: string };
  let smsc: SmscImitation;
  let smsru: SmsRuImitation;
  const t0 = Date.now();
  const note = (what: string) => process.env.CRASH_DEBUG && process.stderr.write(`[${Date.now() - t0} ms] ${what}\n`);
  const { spawnServer, killAll } = serverSpawner(() => t.url, note);

  /** A workspace whose SMS go through `provider`, with a send_sms robot on its second stage and a client with a phone. */
  const workspace = async (name: string, provider: 'smsc' | 'smsru', phone: string, deals: number) => {
    const { workspaceId, admin } = await seedWorkspace(seeder, name, provider);
    const creds = provider === 'smsc' ? { smscLogin: 'test', smscPassword: 'secret', smsApiUrl: smsc.url } : { smsruApiId: 'TEST-API-ID', smsApiUrl: smsru.url };
    expect((await admin.patch('/settings/messaging', { version: 0, smsProvider: provider, ...creds })).status).toBe(200);
    const stage = (await admin.get('/pipelines')).body.items[0].stages.filter((s: { semantic: string }) => s.semantic === 'in_progress')[1];
    const robot = await admin.post('/automation/robots', { stageId: stage.id, type: 'send_sms', params: { text: 'Заказ {{deal.title}} принят' } });
    expect(robot.status, JSON.stringify(robot.body)).toBe(201);
    // one client for all its deals (the SMS are told apart by our id at SMSC.ru and by their text at SMS.ru)
    const contact = await admin.post('/contacts', { firstName: 'Клиент', phones: [{ value: phone }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    return { workspaceId, admin, stageId: stage.id as number, contactId: contact.body.id as number, deals, textOf: new Map<number, string>() };
  };

  beforeAll(async () => {
    t = await createTestDb(dialect);
    seeder = await startSeeder(t.db);
    smsc = await new SmscImitation({ clock: systemClock, balance: 1_000_000 }).start();
    smsru = await new SmsRuImitation({ apiIds: ['TEST-API-ID'], clock: systemClock, balance: 1_000_000 }).start();
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await seeder?.app.close();
    await smsc?.close();
    await smsru?.close();
    await t?.destroy();
  });

  it('SIGKILLed while sending, again and again: through SMSC.ru every deal gets exactly one SMS; through SMS.ru none is doubled and none is silently lost', async () => {
    const a = await workspace('Через SMSC', 'smsc', '+79250000001', DEALS);
    const b = await workspace('Через SMS.ru', 'smsru', '+79260000001', DEALS_SMSRU);

    // the deals enter the robots' stage (their runs are planned by the server's outbox consumer once it runs; on SQLite
    // one process writes at a time, so they are all in before the server starts)
    // interleaved, so that both providers' SMS are in flight when the process is killed
    const entries = [a, b]
      .flatMap((w) => Array.from({ length: w.deals }, (_, i) => ({ w, i, order: i / w.deals })))
      .sort((x, y) => x.order - y.order);
    await pool(entries, 8, async ({ w, i }) => {
      const res = await w.admin.post('/deals', { title: `№${i}`, stageId: w.stageId, contactIds: [w.contactId] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      w.textOf.set(res.body.id, `Заказ №${i} принят`);
    });
    note('seeded');
    let server = spawnServer();
    await server.ready;
    note('ready');

    const delivered = () => smsc.ledgerFor().length + smsru.ledgerFor().length;
    for (let k = 1; k <= KILLS; k++) {
      const at = Math.floor((k * (DEALS + DEALS_SMSRU)) / (KILLS + 1));
      await until(`${at} SMS delivered`, async () => delivered() >= at).catch(async (err) => {
        const jobs = await t.db.kysely.selectFrom('jobs').select(['state', 'kind', 'last_error']).execute();
        const runs = await t.db.kysely.selectFrom('automation_runs').select(['status', 'error', 'result']).execute();
        throw new Error(`${(err as Error).message}: jobs ${JSON.stringify(jobs.slice(0, 5))} (${jobs.length}), runs ${JSON.stringify(runs.slice(0, 2))} ledger ${smsc.ledgerFor().length} ${smsru.ledgerFor().length} ${smsc.requests.length} (${runs.length})`);
      });
      // a few requests the gateways take and never answer: in flight when the process dies
      const hang: GatewayFault[] = ['commitThenHang', 'commitThenHang', 'commitThenHang'];
      const before = delivered();
      smsc.fail(...hang);
      smsru.fail(...hang);
      await until('hanging requests taken', async () => delivered() >= before + 4, 10_000).catch(() => undefined);
      note(`kill at ${delivered()}`);
      server.proc.kill('SIGKILL');
      await server.exited;
      for (const g of [smsc, smsru]) (g as unknown as { faults: GatewayFault[] }).faults.length = 0;
      server = spawnServer();
      await server.ready;
    }
    await until('every run finished', async () => (await countRuns(t.db, a.workspaceId)) === DEALS && (await countRuns(t.db, b.workspaceId)) === DEALS_SMSRU && (await countRuns(t.db, a.workspaceId, 'waiting')) + (await countRuns(t.db, b.workspaceId, 'waiting')) === 0, 120_000);
    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // SMSC.ru: exactly one SMS per deal (by our id: the run's idempotency key)
    const byId = new Map<string, number>();
    for (const e of smsc.ledgerFor()) byId.set(e.id, (byId.get(e.id) ?? 0) + 1);
    expect(byId.size).toBe(DEALS);
    expect([...byId.values()].filter((n) => n !== 1)).toEqual([]);
    expect(new Set(smsc.ledgerFor().map((e) => e.text)).size).toBe(DEALS);
    expect(await countRuns(t.db, a.workspaceId, 'done')).toBe(DEALS);

    // SMS.ru: at most one per deal (by its text); every one that did not arrive is uncertain or failed
    const got = new Map<string, number>();
    for (const e of smsru.ledgerFor()) got.set(e.text, (got.get(e.text) ?? 0) + 1);
    expect([...got.values()].filter((n) => n !== 1)).toEqual([]);
    const runs = await t.db.kysely.selectFrom('automation_runs').select(['status', 'entity_id']).where('workspace_id', '=', b.workspaceId).execute();
    expect(runs).toHaveLength(DEALS_SMSRU);
    const arrived = (r: { entity_id: number }) => got.has(b.textOf.get(r.entity_id)!);
    const lost = runs.filter((r) => !arrived(r));
    expect(lost.filter((r) => r.status !== 'uncertain' && r.status !== 'failed')).toEqual([]);
    const done = runs.filter((r) => r.status === 'done');
    expect(done.every(arrived)).toBe(true);
    const uncertain = runs.filter((r) => r.status === 'uncertain').length;
    expect(uncertain).toBeGreaterThan(0); // the kills did land mid-send
    expect(done.length + uncertain + runs.filter((r) => r.status === 'failed').length).toBe(DEALS_SMSRU);
    console.log(`${dialect}: SMSC ${byId.size} sent once each; SMS.ru ${got.size} delivered, ${done.length} done, ${uncertain} uncertain, ${lost.length} not delivered`);
  }, 180_000);
});
