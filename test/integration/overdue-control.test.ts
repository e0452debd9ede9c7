import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../src/jobs/index.js';
import { wallClock } from '../../src/shared/time-zone.js';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import type { ApiClient } from '../support/api-client.js';

// Overdue control (docs/overdue-control.md): the scan job notifies the responsible of an overdue
// activity once, the head after the escalation delay once, never twice for a re-run; idle deals; the
// daily digest at the workspace's time, by manager, in-app and by e-mail; scope, isolation, bad input.

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Note {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  entity: { type: string; id: number } | null;
}

describe.each(testDialects())('overdue control on %s', (dialect) => {
  let s: TestServer;
  let worker: JobWorker;
  let inbox: SmtpInbox;
  let head: { client: ApiClient; id: number };
  let manager: { client: ApiClient; id: number };
  let otherHead: { client: ApiClient; id: number };
  let otherManager: { client: ApiClient; id: number };
  let dealId: number;

  const run = async () => {
    // the digest enqueues its e-mails, which are due at once: a second round runs them
    await worker.runDueJobs();
    await worker.runDueJobs();
  };
  const notes = async (c: ApiClient): Promise<Note[]> => (await c.get('/notifications?limit=200')).body.items;
  const about = (list: Note[], type: string, id: number, kind?: string) => list.filter((n) => n.entity?.type === type && n.entity.id === id && (!kind || n.kind === kind));
  const at = (ms: number) => new Date(s.clock.now().getTime() + ms).toISOString();
  const activity = async (subject: string, deadlineInMs: number, responsibleId = manager.id, client = s.admin, entityId = dealId) =>
    (await client.post('/activities', { type: 'call', subject, deadlineAt: at(deadlineInMs), responsibleId, entityType: 'deal', entityId })).body as { id: number; version: number };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    worker = new JobWorker(s.testDb.db, s.clock, s.ctx.services.jobs, { random: () => 0.5 });
    inbox = await startSmtpInbox();
    const dept = async (name: string) => (await s.admin.post('/departments', { name })).body as { id: number; version: number };
    const sales = await dept('Продажи');
    const other = await dept('Опт');
    head = await addUser(s, `head-${dialect}@overdue.test`, 'head_of_sales', { name: 'Ирина Главная', departmentId: sales.id });
    manager = await addUser(s, `manager-${dialect}@overdue.test`, 'manager', { name: 'Пётр Менеджер', departmentId: sales.id });
    otherHead = await addUser(s, `ohead-${dialect}@overdue.test`, 'head_of_sales', { name: 'Олег Другой', departmentId: other.id });
    otherManager = await addUser(s, `omanager-${dialect}@overdue.test`, 'manager', { name: 'Ольга Оптовая', departmentId: other.id });
    expect((await s.admin.patch(`/departments/${sales.id}`, { headId: head.id, version: sales.version })).status).toBe(200);
    expect((await s.admin.patch(`/departments/${other.id}`, { headId: otherHead.id, version: other.version })).status).toBe(200);
    const deal = await s.admin.post('/deals', { title: 'Поставка станков', responsibleId: manager.id });
    expect(deal.status).toBe(201);
    dealId = deal.body.id;
    const msg = (await s.admin.get('/settings/messaging')).body as { version: number };
    const smtp = await s.admin.patch('/settings/messaging', { version: msg.version, smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpSecure: false, mailFromAddress: 'crm@voronka.test' });
    expect(smtp.status).toBe(200);
  });

  afterAll(async () => {
    await worker?.stop();
    await inbox?.close();
    await s?.close();
  });

  it('defaults are on for a new workspace, and the workspace has its scan and digest jobs', async () => {
    const res = await s.admin.get('/settings/overdue-control');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      activityEnabled: true,
      activityNotifyAfterMinutes: 0,
      activityEscalateAfterMinutes: 120,
      dealIdleEnabled: true,
      dealIdleDays: 7,
      digestEnabled: true,
      digestTime: '09:00',
      timeZone: 'Europe/Moscow',
      version: 0,
    });
    const jobs = await s.testDb.db.kysely.selectFrom('jobs').select(['kind', 'unique_key']).where('workspace_id', '=', s.workspaceId).where('state', 'in', ['scheduled', 'available']).execute();
    expect(jobs.map((j) => j.kind).sort()).toEqual(['overdue.digest', 'overdue.scan']);
  });

  it('an overdue activity notifies its responsible once, then the head once after the escalation delay', async () => {
    const a = await activity('Позвонить по КП', 30 * MIN);
    s.clock.advance(20 * MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(0);
    s.clock.advance(11 * MIN);
    await run();
    const mine = about(await notes(manager.client), 'activity', a.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'activity_overdue', title: 'Просрочено дело «Позвонить по КП»' });
    expect(about(await notes(head.client), 'activity', a.id)).toHaveLength(0);

    // re-runs and a duplicate scan in another transaction notify nobody again
    s.clock.advance(MIN);
    await run();
    await s.ctx.db.kysely.transaction().execute((trx) => s.ctx.services.overdueControl.scan(trx, s.workspaceId));
    await s.testDb.db.kysely.deleteFrom('overdue_scan_state').where('workspace_id', '=', s.workspaceId).execute();
    await s.ctx.db.kysely.transaction().execute((trx) => s.ctx.services.overdueControl.scan(trx, s.workspaceId));
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(1);
    // two scans at once (two processes), both from scratch: still one notice
    await s.testDb.db.kysely.deleteFrom('overdue_scan_state').where('workspace_id', '=', s.workspaceId).execute();
    await Promise.all([1, 2].map(() => s.ctx.db.kysely.transaction().execute((trx) => s.ctx.services.overdueControl.scan(trx, s.workspaceId))));
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(1);

    s.clock.advance(2 * HOUR);
    await run();
    const heads = about(await notes(head.client), 'activity', a.id);
    expect(heads).toHaveLength(1);
    expect(heads[0]!.title).toBe('Просрочено дело у Пётр Менеджер: «Позвонить по КП»');
    s.clock.advance(10 * MIN);
    await run();
    expect(about(await notes(head.client), 'activity', a.id)).toHaveLength(1);
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(1);
    // the other department's head hears nothing of it
    expect(about(await notes(otherHead.client), 'activity', a.id)).toHaveLength(0);
  });

  it('an activity done before its deadline notifies nobody', async () => {
    const a = await activity('Отправить договор', 10 * MIN);
    expect((await s.admin.post(`/activities/${a.id}/complete`, { result: 'Отправлен', version: a.version })).status).toBe(200);
    s.clock.advance(3 * HOUR);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(0);
    expect(about(await notes(head.client), 'activity', a.id)).toHaveLength(0);
  });

  it('a rescheduled activity is notified again for its new deadline', async () => {
    const a = await activity('Встреча с директором', 5 * MIN);
    s.clock.advance(6 * MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(1);
    const cur = (await s.admin.get(`/activities/${a.id}`)).body as { version: number };
    expect((await s.admin.patch(`/activities/${a.id}`, { deadlineAt: at(HOUR), version: cur.version })).status).toBe(200);
    s.clock.advance(30 * MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(1);
    s.clock.advance(31 * MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(2);
    s.clock.advance(MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', a.id)).toHaveLength(2);
  });

  it('an activity created already overdue, or moved into the past, is notified on the next scan, once', async () => {
    // logged three hours late: the responsible and (past the 2 hours) the head at once
    const late = await activity('Звонок задним числом', -3 * HOUR);
    s.clock.advance(MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', late.id)).toHaveLength(1);
    expect(about(await notes(head.client), 'activity', late.id)).toHaveLength(1);
    // moved from tomorrow to ten minutes ago: the responsible only (the head's delay has not passed)
    const moved = await activity('Перенесённая встреча', DAY);
    s.clock.advance(MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', moved.id)).toHaveLength(0);
    expect((await s.admin.patch(`/activities/${moved.id}`, { deadlineAt: at(-10 * MIN), version: moved.version })).status).toBe(200);
    s.clock.advance(MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', moved.id)).toHaveLength(1);
    expect(about(await notes(head.client), 'activity', moved.id)).toHaveLength(0);
    s.clock.advance(2 * HOUR);
    await run();
    s.clock.advance(MIN);
    await run();
    expect(about(await notes(manager.client), 'activity', moved.id)).toHaveLength(1);
    expect(about(await notes(head.client), 'activity', moved.id)).toHaveLength(1);
    expect(about(await notes(manager.client), 'activity', late.id)).toHaveLength(1);
    expect(about(await notes(head.client), 'activity', late.id)).toHaveLength(1);
  });

  it('a deal idle in its stage for 7 days notifies the responsible and the head, once', async () => {
    const d = (await s.admin.post('/deals', { title: 'Сделка без движения', responsibleId: otherManager.id })).body as { id: number };
    s.clock.advance(6 * DAY);
    await run();
    expect(about(await notes(otherManager.client), 'deal', d.id)).toHaveLength(0);
    s.clock.advance(DAY + MIN);
    await run();
    const mine = about(await notes(otherManager.client), 'deal', d.id, 'deal_idle');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.title).toBe('Сделка «Сделка без движения» без движения 7 дн.');
    expect(about(await notes(otherHead.client), 'deal', d.id, 'deal_idle')).toHaveLength(1);
    expect(about(await notes(head.client), 'deal', d.id)).toHaveLength(0);
    s.clock.advance(HOUR);
    await run();
    expect(about(await notes(otherManager.client), 'deal', d.id)).toHaveLength(1);
  });

  it('the daily digest at 09:00 workspace time lists the head’s departments by manager, in-app and by e-mail', async () => {
    // fresh items: an overdue activity of each department's manager
    await activity('Перезвонить Иванову', 10 * MIN);
    const otherDeal = (await s.admin.post('/deals', { title: 'Оптовая сделка', responsibleId: otherManager.id })).body as { id: number };
    await activity('Оптовый звонок', 10 * MIN, otherManager.id, s.admin, otherDeal.id);
    s.clock.advance(20 * MIN);
    await run();
    const settings = (await s.admin.get('/settings/overdue-control')).body as { nextDigestAt: string };
    const due = Date.parse(settings.nextDigestAt);
    const local = wallClock(due, 'Europe/Moscow');
    expect([local.hour, local.minute]).toEqual([9, 0]);
    s.clock.set(new Date(due - MIN));
    await run();
    const before = (await notes(head.client)).filter((n) => n.kind === 'digest');
    s.clock.set(new Date(due + 1000));
    inbox.messages.length = 0;
    await run();
    const digests = (await notes(head.client)).filter((n) => n.kind === 'digest');
    expect(digests.length).toBe(before.length + 1);
    const body = digests[0]!.body!;
    expect(body).toContain('Пётр Менеджер');
    expect(body).toContain('Перезвонить Иванову');
    expect(body).toContain('Просроченные дела');
    expect(body).not.toContain('Оптовый звонок');
    expect(body).not.toContain('Ольга Оптовая');
    const otherBody = (await notes(otherHead.client)).find((n) => n.kind === 'digest')!.body!;
    expect(otherBody).toContain('Ольга Оптовая');
    expect(otherBody).toContain('Оптовый звонок');
    expect(otherBody).toContain('Сделка без движения');
    expect(otherBody).not.toContain('Перезвонить Иванову');
    // the manager gets their own list, deals without a planned activity included
    const own = (await notes(otherManager.client)).find((n) => n.kind === 'digest')!.body!;
    expect(own).toContain('Сделки без запланированного дела');
    expect(own).toContain('Сделка без движения');

    const toHead = inbox.messages.filter((m) => m.envelope.to.includes(`head-${dialect}@overdue.test`));
    expect(toHead).toHaveLength(1);
    expect(toHead[0]!.mail.subject).toMatch(/^Сводка контроля сроков на /);
    expect(toHead[0]!.mail.text).toContain('Перезвонить Иванову');
    expect(toHead[0]!.mail.messageId).toMatch(/^<vr-digest-/);

    // a re-run of the same digest sends nothing more; the next one is scheduled for tomorrow 09:00
    await s.ctx.db.kysely.transaction().execute((trx) => s.ctx.services.overdueControl.digest(trx, s.workspaceId, new Date(due)));
    await run();
    expect(inbox.messages.filter((m) => m.envelope.to.includes(`head-${dialect}@overdue.test`))).toHaveLength(1);
    expect((await notes(head.client)).filter((n) => n.kind === 'digest').length).toBe(before.length + 1);
    const next = Date.parse(((await s.admin.get('/settings/overdue-control')).body as { nextDigestAt: string }).nextDigestAt);
    expect(next).toBeGreaterThan(due + 20 * HOUR);
  });

  it('a user who does not want the digest by e-mail gets it in the app only', async () => {
    expect((await otherHead.client.put('/notifications/preferences', { email: { digest: false } })).status).toBe(200);
    await activity('Ещё звонок', 5 * MIN, otherManager.id);
    const next = Date.parse(((await s.admin.get('/settings/overdue-control')).body as { nextDigestAt: string }).nextDigestAt);
    const before = (await notes(otherHead.client)).filter((n) => n.kind === 'digest').length;
    s.clock.set(new Date(next + 1000));
    inbox.messages.length = 0;
    await run();
    expect(inbox.messages.filter((m) => m.envelope.to.includes(`ohead-${dialect}@overdue.test`))).toHaveLength(0);
    expect(inbox.messages.filter((m) => m.envelope.to.includes(`head-${dialect}@overdue.test`))).toHaveLength(1);
    expect((await notes(otherHead.client)).filter((n) => n.kind === 'digest')).toHaveLength(before + 1);
  });

  it('a digest e-mail refused for now is retried and sent once; one whose send was cut off is not sent again', async () => {
    const svc = s.ctx.services.overdueControl;
    const headEmail = `head-${dialect}@overdue.test`;
    const mails = () => inbox.messages.filter((m) => m.envelope.to.includes(headEmail));
    inbox.messages.length = 0;
    const next = Date.parse(((await s.admin.get('/settings/overdue-control')).body as { nextDigestAt: string }).nextDigestAt);
    s.clock.set(new Date(next + 1000));
    inbox.nextData = 'tempfail';
    await run();
    // the first message of the round was refused with 451: its job waits for a retry, the others went out
    const mailJobs = () => s.testDb.db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'overdue.digest-mail').where('workspace_id', '=', s.workspaceId).where('created_at', '>=', new Date(next).toISOString()).execute();
    const refused = (await mailJobs()).filter((j) => j.state === 'retryable');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.last_error).toMatch(/smtp_451/);
    const sentFirst = inbox.messages.length;
    s.clock.advance(HOUR);
    await run();
    expect((await mailJobs()).every((j) => j.state === 'completed')).toBe(true);
    expect(inbox.messages.length).toBe(sentFirst + 1);
    const recipients = inbox.messages.flatMap((m) => m.envelope.to);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(mails()).toHaveLength(1);
    const job = (await mailJobs()).find((j) => JSON.parse(j.args).userId === head.id)!;
    // the same e-mail again (a re-run of its job): already sent, nothing goes out
    const args = JSON.parse(job.args) as { workspaceId: number; userId: number; date: string; subject: string; text: string };
    expect(await svc.sendDigestMail(args)).toEqual({ state: 'sent' });
    // an attempt recorded without an outcome (the process died while sending): uncertain, never resent
    await s.testDb.db.kysely.insertInto('overdue_digest_mails').values({ workspace_id: s.workspaceId, user_id: head.id, digest_date: '2000-01-01', state: 'sending', message_id: '<x@y>', error: null, updated_at: new Date().toISOString() }).execute();
    expect(await svc.sendDigestMail({ ...args, date: '2000-01-01' })).toEqual({ state: 'uncertain' });
    expect(await svc.sendDigestMail({ ...args, date: '2000-01-01' })).toEqual({ state: 'uncertain' });
    expect(mails()).toHaveLength(1);
  });

  it('changing the digest time moves the pending digest job', async () => {
    const cur = (await s.admin.get('/settings/overdue-control')).body as { version: number };
    const res = await s.admin.patch('/settings/overdue-control', { version: cur.version, digestTime: '18:30', activityEscalateAfterMinutes: 60 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ digestTime: '18:30', activityEscalateAfterMinutes: 60, version: cur.version + 1 });
    const local = wallClock(Date.parse(res.body.nextDigestAt), 'Europe/Moscow');
    expect([local.hour, local.minute]).toEqual([18, 30]);
    const pending = await s.testDb.db.kysely.selectFrom('jobs').select(['run_at']).where('workspace_id', '=', s.workspaceId).where('kind', '=', 'overdue.digest').where('state', 'in', ['scheduled', 'available']).execute();
    expect(pending).toHaveLength(1);
    expect(Date.parse(pending[0]!.run_at)).toBe(Date.parse(res.body.nextDigestAt));
  });

  it('bad settings are a 400 naming the field; only administrators see or change them', async () => {
    const cur = (await s.admin.get('/settings/overdue-control')).body as { version: number };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ digestTime: '25:00' }, 'digestTime'],
      [{ dealIdleDays: 0 }, 'dealIdleDays'],
      [{ activityNotifyAfterMinutes: -5 }, 'activityNotifyAfterMinutes'],
      [{ activityEscalateAfterMinutes: 'soon' }, 'activityEscalateAfterMinutes'],
      [{ digestEnabled: 'yes' }, 'digestEnabled'],
      [{ unknownRule: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await s.admin.patch('/settings/overdue-control', { version: cur.version, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(JSON.stringify(res.body.fields ?? res.body)).toContain(field);
    }
    expect((await s.admin.patch('/settings/overdue-control', { version: cur.version + 5, dealIdleDays: 3 })).status).toBe(409);
    expect((await head.client.get('/settings/overdue-control')).status).toBe(403);
    expect((await manager.client.patch('/settings/overdue-control', { version: cur.version, dealIdleDays: 3 })).status).toBe(403);
    expect(((await s.admin.get('/settings/overdue-control')).body as { version: number }).version).toBe(cur.version);
  });

  it('workspaces are isolated: another workspace’s rules, scan and notices are its own', async () => {
    const other = await s.newWorkspace('Другая компания');
    const me = (await other.admin.get('/auth/me')).body as { user?: { id: number }; id?: number };
    const adminId = me.user?.id ?? me.id!;
    const d = (await other.admin.post('/deals', { title: 'Чужая сделка' })).body as { id: number };
    const a = (await other.admin.post('/activities', { type: 'task', subject: 'Чужое дело', deadlineAt: at(5 * MIN), responsibleId: adminId, entityType: 'deal', entityId: d.id })).body as { id: number };
    expect((await other.admin.get('/settings/overdue-control')).body.version).toBe(0);
    s.clock.advance(10 * MIN);
    await run();
    expect(about(await notes(other.admin), 'activity', a.id)).toHaveLength(1);
    for (const c of [s.admin, head.client, manager.client, otherHead.client]) expect(about(await notes(c), 'activity', a.id)).toHaveLength(0);
    expect((await notes(other.admin)).some((n) => n.title.includes('Позвонить по КП'))).toBe(false);
  });
});
