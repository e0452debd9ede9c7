import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import type { ApiClient } from '../support/api-client.js';
import { openDb } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';

// In-app notifications (src/modules/notifications, docs/notifications.md): notify → list and
// unread count, dedupe keys, the read scope of the linked record, workspace isolation, mark
// read, e-mail preferences, department heads up the tree, and the live SSE stream.

interface SseEvent {
  event: string | null;
  data: string | null;
  retry: number | null;
  comment: boolean;
}

/** An EventSource-like reader over fetch: each call to next() resolves with the next block. */
async function openStream(s: TestServer, client: ApiClient) {
  const ctrl = new AbortController();
  const res = await fetch(`${s.baseUrl}/api/v1/notifications/stream`, { headers: client.cookie ? { cookie: client.cookie } : {}, signal: ctrl.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const nextBlock = async (): Promise<SseEvent | null> => {
    for (;;) {
      const at = buffer.indexOf('\n\n');
      if (at >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const e: SseEvent = { event: null, data: null, retry: null, comment: false };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) e.comment = true;
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data = line.slice(6);
          else if (line.startsWith('retry: ')) e.retry = Number(line.slice(7));
        }
        return e;
      }
      if (ended) return null;
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) ended = true;
      else buffer += decoder.decode(value, { stream: true });
    }
  };
  /** the next `unread` event's count, or null when the stream ended */
  const nextCount = async (): Promise<number | null> => {
    for (;;) {
      const e = await nextBlock();
      if (e === null) return null;
      if (e.event === 'unread') return (JSON.parse(e.data!) as { count: number }).count;
    }
  };
  return { res, nextBlock, nextCount, close: () => ctrl.abort() };
}

describe.each(testDialects())('notifications on %s', (dialect) => {
  let s: TestServer | null;
  let server: TestServer;
  let adminId: number;
  let m1: { client: ApiClient; id: number };
  let m2: { client: ApiClient; id: number };
  const db = () => server.ctx.db.kysely;
  const notify = (userIds: number[], input: Parameters<TestServer['ctx']['services']['notifications']['notify']>[3], ws = server.workspaceId) =>
    server.ctx.services.notifications.notify(db(), ws, userIds, input);

  beforeAll(async () => {
    server = s = await startTestServer(dialect);
    adminId = (await server.admin.get('/auth/me')).body.user.id;
    m1 = await addUser(server, `m1-${dialect}@notify.test`, 'manager', { name: 'Менеджер 1' });
    m2 = await addUser(server, `m2-${dialect}@notify.test`, 'manager', { name: 'Менеджер 2' });
  });
  afterAll(() => s?.close());

  it('notify → the list (newest first, linked record) and the unread count of each recipient', async () => {
    const deal = (await server.admin.post('/deals', { title: 'Поставка', responsibleId: m1.id })).body;
    const { ids } = await notify([m1.id, m2.id], { kind: 'robot', title: 'Позвоните клиенту', body: 'до обеда', entity: { type: 'deal', id: deal.id } });
    expect(ids).toHaveLength(2);
    await notify([m1.id], { kind: 'digest', title: 'Сводка за день' });

    const list = await m1.client.get('/notifications');
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { title: string }) => n.title)).toEqual(['Сводка за день', 'Позвоните клиенту']);
    expect(list.body.items[1]).toMatchObject({ kind: 'robot', body: 'до обеда', entity: { type: 'deal', id: deal.id }, readAt: null });
    expect((await m1.client.get('/notifications/unread-count')).body).toEqual({ count: 2 });
    // m2 may not read m1's deal (own scope): the notification about it is not shown to m2
    expect((await m2.client.get('/notifications')).body.items).toEqual([]);
    expect((await m2.client.get('/notifications/unread-count')).body).toEqual({ count: 0 });
    // nobody else got anything
    expect((await server.admin.get('/notifications')).body.items).toEqual([]);
  });

  it('a dedupe key notifies each user once, however often the job is retried', async () => {
    const input = { kind: 'activity_overdue' as const, title: 'Просрочен звонок', dedupeKey: 'overdue:activity:1' };
    const first = await notify([adminId], input);
    const again = await notify([adminId], input);
    const inTrx = await db().transaction().execute((trx) => server.ctx.services.notifications.notify(trx, server.workspaceId, [adminId, m2.id], input));
    expect(first.ids).toHaveLength(1);
    expect(again.ids).toEqual([]);
    expect(inTrx.ids).toHaveLength(1); // only m2 is new
    const titles = (await server.admin.get('/notifications')).body.items.filter((n: { title: string }) => n.title === 'Просрочен звонок');
    expect(titles).toHaveLength(1);
    expect((await m2.client.get('/notifications')).body.items.map((n: { title: string }) => n.title)).toEqual(['Просрочен звонок']);
  });

  it('a notification in a transaction that rolls back is not there', async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await server.ctx.services.notifications.notify(trx, server.workspaceId, [m2.id], { kind: 'robot', title: 'Откатится' });
          throw new Error('rollback');
        }),
    ).rejects.toThrow('rollback');
    expect((await m2.client.get('/notifications')).body.items.map((n: { title: string }) => n.title)).not.toContain('Откатится');
  });

  it('a notification about a record the user can no longer read disappears from the list and the count', async () => {
    const deal = (await server.admin.post('/deals', { title: 'Передаваемая', responsibleId: m2.id })).body;
    await notify([m2.id], { kind: 'deal_idle', title: 'Сделка без движения', entity: { type: 'deal', id: deal.id } });
    const before = (await m2.client.get('/notifications/unread-count')).body.count;
    expect((await m2.client.get('/notifications')).body.items[0]).toMatchObject({ title: 'Сделка без движения' });

    const moved = await server.admin.patch(`/deals/${deal.id}`, { responsibleId: m1.id, version: deal.version });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await m2.client.get('/notifications')).body.items.map((n: { title: string }) => n.title)).not.toContain('Сделка без движения');
    expect((await m2.client.get('/notifications/unread-count')).body.count).toBe(before - 1);

    // a lead, a contact: the same rule through their own modules' scopes
    const lead = (await server.admin.post('/leads', { title: 'Чужой лид' })).body;
    const contact = (await server.admin.post('/contacts', { firstName: 'Свой', responsibleId: m2.id })).body;
    await notify([m2.id], { kind: 'robot', title: 'О чужом лиде', entity: { type: 'lead', id: lead.id } });
    await notify([m2.id], { kind: 'robot', title: 'О своём контакте', entity: { type: 'contact', id: contact.id } });
    const titles = (await m2.client.get('/notifications')).body.items.map((n: { title: string }) => n.title);
    expect(titles).toContain('О своём контакте');
    expect(titles).not.toContain('О чужом лиде');
  });

  it('pages stay full and the cursor walks past hidden notifications', async () => {
    const { admin, workspaceId } = await server.newWorkspace('Постраничная');
    const me = (await admin.get('/auth/me')).body.user.id;
    const deal = (await admin.post('/deals', { title: 'Своя' })).body;
    for (let i = 0; i < 7; i++) {
      await notify([me], { kind: 'robot', title: `№${i}`, entity: i % 2 ? { type: 'deal', id: deal.id } : { type: 'deal', id: 2 ** 31 - 1 } }, workspaceId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.get('/notifications', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((n: { title: string }) => n.title));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['№5', '№3', '№1']);
  });

  it('another workspace sees none of it, and its users cannot be notified from here', async () => {
    const other = await server.newWorkspace('Другая');
    const otherAdminId = (await other.admin.get('/auth/me')).body.user.id;
    expect((await other.admin.get('/notifications')).body.items).toEqual([]);
    expect((await other.admin.get('/notifications/unread-count')).body).toEqual({ count: 0 });
    // the first workspace's service call naming the other workspace's user creates nothing
    expect((await notify([otherAdminId], { kind: 'robot', title: 'Не туда' })).ids).toEqual([]);
    expect((await other.admin.get('/notifications')).body.items).toEqual([]);
    // and marking another user's notification read does nothing
    const mine = (await m1.client.get('/notifications')).body.items[0];
    expect((await other.admin.post('/notifications/read', { ids: [mine.id] })).body).toEqual({ updated: 0, unreadCount: 0 });
    expect((await m1.client.get('/notifications')).body.items[0].readAt).toBeNull();
  });

  it('mark read: by ids (only one’s own), then all', async () => {
    const { ids } = await notify([m1.id], { kind: 'robot', title: 'Прочитать' });
    const count = (await m1.client.get('/notifications/unread-count')).body.count;
    expect(count).toBeGreaterThanOrEqual(2);
    // m2 cannot touch m1's notification
    expect((await m2.client.post('/notifications/read', { ids })).body.updated).toBe(0);
    server.clock.advance(60_000);
    const res = await m1.client.post('/notifications/read', { ids });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 1, unreadCount: count - 1 });
    const item = (await m1.client.get('/notifications')).body.items.find((n: { id: number }) => n.id === ids[0]);
    expect(item.readAt).toBe(server.clock.now().toISOString());
    expect((await m1.client.get('/notifications', { unreadOnly: 'true' })).body.items.map((n: { id: number }) => n.id)).not.toContain(ids[0]);

    expect((await m1.client.post('/notifications/read', { all: true })).body).toEqual({ updated: count - 1, unreadCount: 0 });
    expect((await m1.client.get('/notifications', { unreadOnly: 'true' })).body.items).toEqual([]);
    expect((await m1.client.get('/notifications')).body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('bad input is a 400 naming the field', async () => {
    for (const [body, path] of [
      [{}, 'ids'],
      [{ ids: [1], all: true }, 'ids'],
      [{ ids: ['x'] }, 'ids[0]'],
      [{ all: false }, 'all'],
      [{ ids: [1], extra: 1 }, 'extra'],
    ] as const) {
      const res = await m1.client.post('/notifications/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path), JSON.stringify(res.body)).toContain(path);
    }
    expect((await m1.client.get('/notifications', { limit: 0 })).status).toBe(400);
    expect((await m1.client.get('/notifications', { cursor: 'nonsense' })).body.error.fields[0].path).toBe('cursor');
    expect((await m1.client.get('/notifications', { unread: 'true' })).status).toBe(400);
    expect((await server.anon().get('/notifications')).status).toBe(401);
  });

  it('e-mail preferences: defaults, a partial change, wantsEmail, and a 400 for an unknown kind', async () => {
    const svc = server.ctx.services.notifications;
    expect((await m1.client.get('/notifications/preferences')).body).toEqual({ email: { robot: false, activity_overdue: false, deal_idle: false, digest: true } });
    expect(await svc.wantsEmail(db(), server.workspaceId, m1.id, 'activity_overdue')).toBe(false);

    const put = await m1.client.put('/notifications/preferences', { email: { activity_overdue: true, digest: false } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toEqual({ email: { robot: false, activity_overdue: true, deal_idle: false, digest: false } });
    expect((await m1.client.put('/notifications/preferences', { email: { robot: true } })).body.email).toEqual({ robot: true, activity_overdue: true, deal_idle: false, digest: false });
    expect(await svc.wantsEmail(db(), server.workspaceId, m1.id, 'activity_overdue')).toBe(true);
    expect(await svc.wantsEmail(db(), server.workspaceId, m1.id, 'digest')).toBe(false);
    // another user's settings are their own
    expect((await m2.client.get('/notifications/preferences')).body.email.activity_overdue).toBe(false);
    expect(await svc.wantsEmail(db(), server.workspaceId, m2.id, 'activity_overdue')).toBe(false);

    const bad = await m1.client.put('/notifications/preferences', { email: { sms: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('email.sms');
    const notBool = await m1.client.put('/notifications/preferences', { email: { robot: 'yes' } });
    expect(notBool.status).toBe(400);
    expect(notBool.body.error.fields[0].path).toBe('email.robot');
  });

  it('heads: the head of the user’s department, up the tree when the user is the head', async () => {
    const dept = async (name: string, parentId?: number) => (await server.admin.post('/departments', { name, parentId })).body as { id: number; version: number };
    const top = await dept('Дирекция');
    const sales = await dept('Продажи', top.id);
    const team = await dept('Группа 1', sales.id);
    const boss = await addUser(server, `boss-${dialect}@notify.test`, 'head_of_sales', { departmentId: top.id });
    const head = await addUser(server, `head-${dialect}@notify.test`, 'head_of_sales', { departmentId: sales.id });
    const worker = await addUser(server, `worker-${dialect}@notify.test`, 'manager', { departmentId: team.id });
    expect((await server.admin.patch(`/departments/${top.id}`, { headId: boss.id, version: top.version })).status).toBe(200);
    const salesNow = (await server.admin.patch(`/departments/${sales.id}`, { headId: head.id, version: sales.version })).body;

    const heads = (userId: number) => server.ctx.services.notifications.headsFor(db(), server.workspaceId, userId);
    // the team has no head: its parent's head
    expect(await heads(worker.id)).toEqual([head.id]);
    // the head of Sales is told about by the head above
    expect(await heads(head.id)).toEqual([boss.id]);
    // nobody above the top
    expect(await heads(boss.id)).toEqual([]);
    // no department: nobody
    expect(await heads(m1.id)).toEqual([]);
    // a deactivated head is passed over
    const headUser = (await server.admin.get(`/users/${head.id}`)).body;
    expect((await server.admin.patch(`/users/${head.id}`, { active: false, version: headUser.version })).status).toBe(200);
    expect(await heads(worker.id)).toEqual([boss.id]);
    expect(salesNow.headId).toBe(head.id);
  });

  it('SSE: the count on connect, a new count on notify and on mark read; 401 without a session', async () => {
    expect((await openStream(server, server.anon())).res.status).toBe(401);

    const me = await addUser(server, `sse-${dialect}@notify.test`);
    const unknownParam = await me.client.get('/notifications/stream', { since: 1 });
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.error.fields[0].path).toBe('since');
    const stream = await openStream(server, me.client);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // the security headers of every response come along (helmet's, set before the stream took over)
    expect(stream.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(stream.res.headers.get('cache-control')).toBe('no-cache, no-transform');
    const first = await stream.nextBlock();
    expect(first?.retry).toBe(5000);
    expect(await stream.nextCount()).toBe(0);

    await notify([me.id], { kind: 'robot', title: 'Живой счётчик' });
    expect(await stream.nextCount()).toBe(1);
    // in a caller's transaction: the count arrives once it has committed
    await db()
      .transaction()
      .execute((trx) => server.ctx.services.notifications.notify(trx, server.workspaceId, [me.id], { kind: 'robot', title: 'В транзакции' }));
    expect(await stream.nextCount()).toBe(2);
    // another user's notification sends nothing to this stream; mark all read sends 0
    await notify([m2.id], { kind: 'robot', title: 'Не мне' });
    expect((await me.client.post('/notifications/read', { all: true })).status).toBe(200);
    expect(await stream.nextCount()).toBe(0);

    // logging out ends the stream at the next change
    expect((await me.client.post('/auth/logout')).status).toBeLessThan(300);
    await notify([me.id], { kind: 'robot', title: 'После выхода' });
    expect(await stream.nextCount()).toBeNull();
  });

  it.runIf(dialect === 'postgres')('SSE on PostgreSQL: a notification written by another process reaches the stream (LISTEN/NOTIFY)', async () => {
    const me = await addUser(server, `sse2-${dialect}@notify.test`);
    const stream = await openStream(server, me.client);
    expect(await stream.nextCount()).toBe(0);
    // a second app over its own pool: another process as far as the database can tell
    const otherDb = openDb(server.testDb.url, { poolSize: 2 });
    const other = await buildApp({ db: otherDb, clock: server.clock, webRoot: false });
    try {
      await other.ctx.services.notifications.notify(otherDb.kysely, server.workspaceId, [me.id], { kind: 'robot', title: 'Из другого процесса' });
      expect(await stream.nextCount()).toBe(1);
    } finally {
      // the stream stays open: the shutdown test below ends it with the others
      await other.app.close();
      await otherDb.close();
    }
  });

  it('SSE streams close cleanly when the server shuts down', async () => {
    const stream = await openStream(server, m1.client);
    expect(stream.res.status).toBe(200);
    expect(await stream.nextCount()).not.toBeNull();
    const closing = server.close();
    s = null;
    expect(await stream.nextCount()).toBeNull();
    await closing;
  });
});
