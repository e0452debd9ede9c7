import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.js';
import type { ApiClient } from '../support/api-client.js';

// The `notify` robot's e-mail copy (src/modules/notifications/notification-mail.ts), through a real
// SMTP server: only users whose preference asks for robot notifications by e-mail get one, once,
// whatever re-runs; a user who may not read the deal gets none; an attempt found without an outcome
// is not sent again.

describe.each(testDialects())('the notify robot e-mails those who want it on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let inbox: SmtpInbox;
  let stages: Array<{ id: number }>;
  let anna: { client: ApiClient; id: number };
  let boris: { client: ApiClient; id: number };
  let adminId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    inbox = await startSmtpInbox();
    const msg = (await s.admin.get('/settings/messaging')).body as { version: number };
    const smtp = await s.admin.patch('/settings/messaging', { version: msg.version, smtpHost: '127.0.0.1', smtpPort: inbox.port, smtpSecure: false, mailFromAddress: 'crm@voronka.test' });
    expect(smtp.status, JSON.stringify(smtp.body)).toBe(200);
    stages = (await s.admin.get('/pipelines')).body.items[0].stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    anna = await addUser(s, `anna-mail-${dialect}@test.local`, 'manager', { name: 'Анна' });
    boris = await addUser(s, `boris-mail-${dialect}@test.local`, 'manager', { name: 'Борис' });
    adminId = (await s.admin.get('/auth/me')).body.user.id;
    for (const who of [anna, boris]) expect((await who.client.put('/notifications/preferences', { email: { robot: true } })).status).toBe(200);
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
    await inbox?.close();
  });

  it('e-mails once to those who want it and may read the deal; the others get the bell only', async () => {
    const robot = await s.admin.post('/automation/robots', {
      stageId: stages[1]!.id,
      type: 'notify',
      name: 'Сигнал',
      params: { to: { kind: 'users', userIds: [anna.id, boris.id, adminId] }, text: 'Сделка «{{deal.title}}» во второй стадии' },
    });
    expect(robot.status, JSON.stringify(robot.body)).toBe(201);
    const deal = (await s.admin.post('/deals', { title: 'Поставка труб', stageId: stages[1]!.id, responsibleId: anna.id })).body as { id: number };
    await engine.settle();
    await engine.settle();

    const toAnna = inbox.messages.filter((m) => m.envelope.to.includes(`anna-mail-${dialect}@test.local`));
    expect(toAnna).toHaveLength(1);
    expect(toAnna[0]!.mail.subject).toBe('Сделка «Поставка труб» во второй стадии');
    expect(toAnna[0]!.mail.text).toContain('Сигнал · Поставка труб');
    expect(toAnna[0]!.envelope.from).toBe('crm@voronka.test');
    expect(toAnna[0]!.mail.messageId).toMatch(/^<vr-notification-\d+-\d+@voronka\.test>$/);
    // Boris wants e-mail but may not read Anna's deal; the administrator did not ask for e-mail
    expect(inbox.messages).toHaveLength(1);
    expect((await anna.client.get('/notifications')).body.items.map((n: { title: string }) => n.title)).toEqual(['Сделка «Поставка труб» во второй стадии']);
    expect((await s.admin.get('/notifications')).body.items).toHaveLength(1);
    const rows = await s.ctx.db.kysely.selectFrom('notifications').select(['user_id', 'email_state', 'email_error']).where('entity_id', '=', deal.id).orderBy('user_id').execute();
    expect(rows).toEqual(
      [
        { user_id: adminId, email_state: null, email_error: null },
        { user_id: anna.id, email_state: 'sent', email_error: null },
        { user_id: boris.id, email_state: 'skipped', email_error: 'the user may no longer read the record' },
      ].sort((a, b) => a.user_id - b.user_id),
    );
  });

  it('an attempt found without an outcome is not sent again (at most once)', async () => {
    const ws = s.workspaceId;
    const row = await s.ctx.db.kysely.selectFrom('notifications').select('id').where('user_id', '=', anna.id).where('email_state', '=', 'sent').executeTakeFirstOrThrow();
    const before = inbox.messages.length;
    expect(await s.ctx.services.notifications.mail.send(ws, row.id)).toEqual({ state: 'sent' });
    await s.ctx.db.kysely.updateTable('notifications').set({ email_state: 'sending' }).where('id', '=', row.id).execute();
    expect(await s.ctx.services.notifications.mail.send(ws, row.id)).toEqual({ state: 'uncertain' });
    expect(inbox.messages.length).toBe(before);
  });
});
