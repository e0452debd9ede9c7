import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/server/context.js';
import { createTestDb, testDialects, type TestDb } from '../support/test-db.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { countRuns, pool, seedWorkspace, serverSpawner, startSeeder, until } from '../support/crash-kit.js';

// The crash test's sibling for e-mail and webhooks (automation-crash.test.ts does SMS): 200 deals of
// one workspace enter a stage whose robot sends an e-mail through a real SMTP server (smtp-server in
// this process), 200 of another one whose robot calls a webhook, while a real server process is
// killed with SIGKILL twice mid-send — each time with an e-mail the SMTP server has taken and not
// answered, and webhook calls the receiver has taken and not answered — and started again:
// - e-mail (SMTP has no look-up by our id): no Message-ID arrives twice, every deal's message that
//   did arrive is done or uncertain, every one that did not is uncertain or failed (never silently lost);
// - webhooks (the receiver de-duplicates on the Idempotency-Key): every deal's key arrives, a repeat
//   carries the same key and body (so it is recognisable), and every run is done.

const DEALS = Number(process.env.CRASH_DEALS_MAIL ?? 200);
const KILLS = 2;
const SECRET = 'whsec-crash-test-0123456789abcdef';

describe.each(testDialects())('automation crash test of e-mail and webhooks on %s', (dialect) => {
  let t: TestDb;
  let seeder: { app: FastifyInstance; ctx: AppContext; url: string };
  let inbox: SmtpInbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const t0 = Date.now();
  const note = (what: string) => process.env.CRASH_DEBUG && process.stderr.write(`[${Date.now() - t0} ms] ${what}\n`);
  const { spawnServer, killAll } = serverSpawner(() => t.url, note);

  /** A workspace with `robot` on its second stage and one client with a phone and an e-mail. */
  const workspace = async (name: string, tag: string, settings: Record<string, unknown> | null, robot: Record<string, unknown>) => {
    const { workspaceId, admin } = await seedWorkspace(seeder, name, tag);
    if (settings) expect((await admin.patch('/settings/messaging', { version: 0, ...settings })).status).toBe(200);
    const stage = (await admin.get('/pipelines')).body.items[0].stages.filter((s: { semantic: string }) => s.semantic === 'in_progress')[1];
    const r = await admin.post('/automation/robots', { stageId: stage.id, ...robot });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const contact = await admin.post('/contacts', { firstName: 'Клиент', emails: [{ value: `client-${tag}@example.test` }] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    return { workspaceId, admin, stageId: stage.id as number, contactId: contact.body.id as number, subjectOf: new Map<number, string>() };
  };

  beforeAll(async () => {
    t = await createTestDb(dialect);
    seeder = await startSeeder(t.db);
    inbox = await startSmtpInbox();
    receiver = await startReceiver();
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await seeder?.app.close();
    await receiver?.close();
    await inbox?.close();
    await t?.destroy();
  });

  it('SIGKILLed while sending: no e-mail arrives twice and none is silently lost; every webhook key arrives, repeats are recognisable', async () => {
    const mail = await workspace('Почта', 'mail', { smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpSecure: false, mailFromAddress: 'sales@romashka.test', mailFromName: 'Ромашка' }, {
      type: 'send_email',
      params: { subject: 'Заказ {{deal.title}}', body: '<p>Заказ {{deal.title}} принят</p>' },
    });
    const hooks = await workspace('Вебхуки', 'hooks', null, { type: 'webhook', params: { url: receiver.url, secret: SECRET } });

    const entries = [mail, hooks].flatMap((w) => Array.from({ length: DEALS }, (_, i) => ({ w, i }))).sort((x, y) => x.i - y.i);
    await pool(entries, 8, async ({ w, i }) => {
      const res = await w.admin.post('/deals', { title: `№${i}`, stageId: w.stageId, contactIds: [w.contactId] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      w.subjectOf.set(res.body.id, `Заказ №${i}`);
    });
    note('seeded');
    let server = spawnServer();
    await server.ready;

    const keyOf = (r: { headers: Record<string, unknown> }) => String(r.headers['idempotency-key']);
    const keys = () => new Set(receiver.received.map(keyOf)).size;
    const delivered = () => inbox.messages.length + keys();
    for (let k = 1; k <= KILLS; k++) {
      const at = Math.floor((k * 2 * DEALS) / (KILLS + 1));
      await until(`${at} e-mails and webhooks delivered`, async () => delivered() >= at);
      // an e-mail and two webhook calls taken and never answered: in flight when the process dies
      const mails = inbox.messages.length;
      const calls = receiver.received.length;
      inbox.nextData = 'hang';
      receiver.answers.push('hang', 'hang');
      await until('hanging requests taken', async () => inbox.messages.length > mails && receiver.received.length >= calls + 2, 10_000).catch(() => undefined);
      note(`kill at ${delivered()}`);
      server.proc.kill('SIGKILL');
      await server.exited;
      inbox.nextData = 'accept';
      receiver.answers.length = 0;
      server = spawnServer();
      await server.ready;
    }
    const finished = async (ws: number) => (await countRuns(t.db, ws)) === DEALS && (await countRuns(t.db, ws, 'waiting')) === 0;
    await until('every run finished', async () => (await finished(mail.workspaceId)) && (await finished(hooks.workspaceId)), 120_000);
    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // e-mail: each Message-ID (our idempotency key) at most once at the SMTP server, one per deal
    const byMessageId = new Map<string, number>();
    for (const m of inbox.messages) byMessageId.set(String(m.mail.messageId), (byMessageId.get(String(m.mail.messageId)) ?? 0) + 1);
    expect([...byMessageId.values()].filter((n) => n !== 1)).toEqual([]);
    const subjects = new Set(inbox.messages.map((m) => m.mail.subject));
    expect(subjects.size).toBe(inbox.messages.length);
    const runs = await t.db.kysely.selectFrom('automation_runs').select(['status', 'entity_id']).where('workspace_id', '=', mail.workspaceId).execute();
    const arrived = (r: { entity_id: number }) => subjects.has(mail.subjectOf.get(r.entity_id)!);
    expect(runs.filter((r) => r.status === 'done' && !arrived(r))).toEqual([]);
    expect(runs.filter((r) => !arrived(r) && r.status !== 'uncertain' && r.status !== 'failed')).toEqual([]);
    const uncertain = runs.filter((r) => r.status === 'uncertain').length;
    expect(uncertain).toBeGreaterThan(0); // the kills did land mid-send

    // webhooks: every deal's key arrived; a repeat has the same key and body; every run done
    const bodyOf = new Map<string, Set<string>>();
    for (const r of receiver.received) bodyOf.set(keyOf(r), (bodyOf.get(keyOf(r)) ?? new Set()).add(r.body));
    expect(bodyOf.size).toBe(DEALS);
    expect([...bodyOf.values()].filter((b) => b.size !== 1)).toHaveLength(0);
    const repeats = receiver.received.length - bodyOf.size;
    expect(repeats).toBeGreaterThan(0); // the hung calls were made again, with the same key
    expect(await countRuns(t.db, hooks.workspaceId, 'done')).toBe(DEALS);
    console.log(`${dialect}: e-mail ${inbox.messages.length} arrived once each, ${uncertain} uncertain; webhooks ${bodyOf.size} keys, ${repeats} repeats recognised`);
  }, 180_000);
});
