import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

// The permission matrix, across modules and every read path:
//   D1 «Отдел продаж» (head H; managers A and B) ⊃ D1a «Группа 1» (manager A2); D2 (manager C);
//   the administrator; and the administrator of another workspace (X).
// Built-in levels: manager — deals/leads/activities own, contacts/companies read department;
// head of sales — department and sub-departments; administrator — all.

const PASSWORD = 'matrix password 1';
type Who = 'A' | 'B' | 'A2' | 'C' | 'H';
const OWNERS: Who[] = ['A', 'B', 'A2', 'C', 'H'];

interface Owned {
  deal: number;
  contact: number;
  company: number;
  lead: number;
  activity: number;
}

describe.each(testDialects())('permission matrix on %s', (dialect) => {
  let s: TestServer;
  let pipelineId: number;
  const clients = {} as Record<Who | 'admin' | 'X', ApiClient>;
  const userIds = {} as Record<Who, number>;
  const owned = {} as Record<Who, Owned>;
  /** each owner's deal amount is distinct, so sums show exactly whose deals were counted */
  const amountOf: Record<Who, number> = { A: 100, B: 2_000, A2: 30_000, C: 400_000, H: 5_000_000 };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    clients.admin = s.admin;
    const roles = (await s.admin.get('/roles')).body.items as Array<{ id: number; code: string | null }>;
    const roleId = (code: string) => roles.find((r) => r.code === code)!.id;
    const dept = async (name: string, parentId?: number) => (await s.admin.post('/departments', { name, parentId })).body.id as number;
    const d1 = await dept('Отдел продаж');
    const d1a = await dept('Группа 1', d1);
    const d2 = await dept('Отдел продаж СПб');
    const layout: Record<Who, { dept: number; role: string }> = {
      A: { dept: d1, role: 'manager' },
      B: { dept: d1, role: 'manager' },
      A2: { dept: d1a, role: 'manager' },
      C: { dept: d2, role: 'manager' },
      H: { dept: d1, role: 'head_of_sales' },
    };
    for (const who of OWNERS) {
      const email = `${who.toLowerCase()}@matrix.test`;
      const res = await s.admin.post('/users', { email, name: `Менеджер ${who}`, password: PASSWORD, departmentId: layout[who].dept, roleIds: [roleId(layout[who].role)] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      userIds[who] = res.body.id;
      clients[who] = await ApiClient.login(s.baseUrl, email, PASSWORD);
    }
    expect((await s.admin.patch(`/departments/${d1}`, { headId: userIds.H, version: 1 })).status).toBe(200);
    clients.X = (await s.newWorkspace('Чужая компания')).admin;

    pipelineId = (await s.admin.get('/pipelines')).body.items[0].id;
    for (const who of OWNERS) {
      const c = clients[who];
      const company = await c.post('/companies', { name: `Компания ${who}`, phones: [{ value: `+7 495 000-00-0${OWNERS.indexOf(who)}`, type: 'work' }] });
      const contact = await c.post('/contacts', { firstName: who, lastName: 'Матрицын', phones: [{ value: `+7 916 000-00-0${OWNERS.indexOf(who)}`, type: 'mobile' }], companyIds: [company.body.id] });
      const deal = await c.post('/deals', { title: `Сделка ${who} матрица`, amount: amountOf[who], pipelineId, companyId: company.body.id, contactIds: [contact.body.id] });
      const lead = await c.post('/leads', { title: `Лид ${who}`, firstName: who });
      const activity = await c.post('/activities', { type: 'call', subject: `Звонок ${who}`, deadlineAt: '2026-12-01T10:00:00.000Z', entityType: 'deal', entityId: deal.body.id });
      for (const r of [company, contact, deal, lead, activity]) expect(r.status, JSON.stringify(r.body)).toBe(201);
      owned[who] = { deal: deal.body.id, contact: contact.body.id, company: company.body.id, lead: lead.body.id, activity: activity.body.id };
    }
  });
  afterAll(() => s?.close());

  /** whose records each viewer must see, per entity */
  const dealsSeenBy: Record<string, Who[]> = {
    A: ['A'],
    B: ['B'],
    A2: ['A2'],
    C: ['C'],
    H: ['A', 'B', 'A2', 'H'],
    admin: OWNERS,
    X: [],
  };
  const contactsSeenBy: Record<string, Who[]> = {
    A: ['A', 'B', 'H'],
    B: ['A', 'B', 'H'],
    A2: ['A2'],
    C: ['C'],
    H: ['A', 'B', 'A2', 'H'],
    admin: OWNERS,
    X: [],
  };
  const viewers = Object.keys(dealsSeenBy) as Array<Who | 'admin' | 'X'>;

  const ids = (items: Array<{ id: number }>) => items.map((i) => i.id).sort((a, b) => a - b);
  const expectedIds = (whos: Who[], kind: keyof Owned) => whos.map((w) => owned[w][kind]).sort((a, b) => a - b);
  const onlyMatrix = (items: Array<{ id: number }>, kind: keyof Owned) => items.filter((i) => OWNERS.some((w) => owned[w][kind] === i.id));

  it.each(viewers)('%s lists exactly the deals, leads, activities, contacts and companies their levels allow', async (viewer) => {
    const c = clients[viewer];
    const deals = await c.get('/deals', { limit: 500, withTotal: true });
    expect(ids(onlyMatrix(deals.body.items, 'deal'))).toEqual(expectedIds(dealsSeenBy[viewer]!, 'deal'));
    expect(deals.body.total).toBe(dealsSeenBy[viewer]!.length);
    const leads = await c.get('/leads', { limit: 500 });
    expect(ids(onlyMatrix(leads.body.items, 'lead'))).toEqual(expectedIds(dealsSeenBy[viewer]!, 'lead'));
    const activities = await c.get('/activities', { limit: 500 });
    expect(ids(onlyMatrix(activities.body.items, 'activity'))).toEqual(expectedIds(dealsSeenBy[viewer]!, 'activity'));
    const contacts = await c.get('/contacts', { limit: 500 });
    expect(ids(onlyMatrix(contacts.body.items, 'contact'))).toEqual(expectedIds(contactsSeenBy[viewer]!, 'contact'));
    const companies = await c.get('/companies', { limit: 500 });
    expect(ids(onlyMatrix(companies.body.items, 'company'))).toEqual(expectedIds(contactsSeenBy[viewer]!, 'company'));
  });

  it.each(viewers)('%s gets 200 on readable single records and 404 on the others', async (viewer) => {
    const c = clients[viewer];
    for (const owner of OWNERS) {
      const dealVisible = dealsSeenBy[viewer]!.includes(owner);
      expect((await c.get(`/deals/${owned[owner].deal}`)).status).toBe(dealVisible ? 200 : 404);
      expect((await c.get(`/leads/${owned[owner].lead}`)).status).toBe(dealVisible ? 200 : 404);
      expect((await c.get(`/activities/${owned[owner].activity}`)).status).toBe(dealVisible ? 200 : 404);
      expect((await c.get(`/deals/${owned[owner].deal}/timeline`)).status).toBe(dealVisible ? 200 : 404);
      const contactVisible = contactsSeenBy[viewer]!.includes(owner);
      expect((await c.get(`/contacts/${owned[owner].contact}`)).status).toBe(contactVisible ? 200 : 404);
      expect((await c.get(`/companies/${owned[owner].company}`)).status).toBe(contactVisible ? 200 : 404);
    }
  });

  it.each(viewers)('%s sees board counts and sums of exactly their deals', async (viewer) => {
    const c = clients[viewer];
    if (viewer === 'X') {
      expect((await c.get(`/pipelines/${pipelineId}/board`)).status).toBe(404);
      return;
    }
    const board = await c.get(`/pipelines/${pipelineId}/board`, { limit: 100 });
    expect(board.status).toBe(200);
    const count = board.body.columns.reduce((n: number, col: { count: number }) => n + col.count, 0);
    const sum = board.body.columns
      .flatMap((col: { sums: Array<{ currency: string; amount: number }> }) => col.sums)
      .filter((x: { currency: string }) => x.currency === 'RUB')
      .reduce((n: number, x: { amount: number }) => n + x.amount, 0);
    const expected = dealsSeenBy[viewer]!;
    expect(count).toBe(expected.length);
    expect(sum).toBe(expected.reduce((n, w) => n + amountOf[w], 0));
    const cards = board.body.columns.flatMap((col: { items: Array<{ id: number }> }) => col.items);
    expect(ids(cards)).toEqual(expectedIds(expected, 'deal'));
  });

  it.each(viewers)('%s finds by text search only what they may read', async (viewer) => {
    const c = clients[viewer];
    const found = await c.get('/deals', { q: 'матрица', limit: 100 });
    expect(ids(found.body.items)).toEqual(expectedIds(dealsSeenBy[viewer]!, 'deal'));
    const contacts = await c.get('/contacts', { q: 'матрицын', limit: 100 });
    expect(ids(contacts.body.items)).toEqual(expectedIds(contactsSeenBy[viewer]!, 'contact'));
  });

  it('shows as duplicates only records the creator may read', async () => {
    // A creates a contact with C's phone and B's phone: B's contact is in A's department, C's is not.
    const res = await clients.A.post('/contacts', {
      firstName: 'Дубль',
      phones: [
        { value: '+7 916 000-00-01', type: 'mobile' },
        { value: '+7 916 000-00-03', type: 'mobile' },
      ],
    });
    expect(res.status).toBe(201);
    const dupContacts = res.body.duplicates.filter((d: { entity: string }) => d.entity === 'contact').map((d: { id: number }) => d.id);
    expect(dupContacts).toContain(owned.B.contact);
    expect(dupContacts).not.toContain(owned.C.contact);
  });

  it('lets each user change exactly what their update level allows', async () => {
    const tryPatch = async (viewer: Who | 'admin' | 'X', owner: Who) => {
      const current = await s.admin.get(`/deals/${owned[owner].deal}`);
      return (await clients[viewer].patch(`/deals/${owned[owner].deal}`, { comment: `by ${viewer}`, version: current.body.version })).status;
    };
    expect(await tryPatch('A', 'A')).toBe(200);
    expect(await tryPatch('A', 'B')).toBe(404);
    expect(await tryPatch('H', 'A2')).toBe(200);
    expect(await tryPatch('H', 'C')).toBe(404);
    expect(await tryPatch('X', 'A')).toBe(404);
    expect(await tryPatch('admin', 'C')).toBe(200);
    // Contacts: A may read B's contact (department) but only update their own.
    const bContact = await clients.A.get(`/contacts/${owned.B.contact}`);
    expect(bContact.status).toBe(200);
    expect((await clients.A.patch(`/contacts/${owned.B.contact}`, { position: 'x', version: bContact.body.version })).status).toBe(403);
    // A manager may not hand a new deal to someone else (create level own).
    expect((await clients.A.post('/deals', { title: 'Чужая', responsibleId: userIds.B })).status).toBe(403);
    // Managers may not delete deals at all; the head may delete in his department.
    expect((await clients.A.delete(`/deals/${owned.A.deal}`)).status).toBe(403);
  });

  it('offers as assignable exactly the responsibles a create or a hand-over accepts (GET /users/assignable)', async () => {
    const PATHS = { deal: 'deals', contact: 'contacts', company: 'companies', lead: 'leads', activity: 'activities' } as const;
    const newBody = (entity: keyof typeof PATHS, who: Who): Record<string, unknown> =>
      ({
        deal: { title: 'Назначаемая', pipelineId },
        contact: { firstName: 'Назначаемый' },
        company: { name: 'Назначаемая' },
        lead: { title: 'Назначаемый' },
        activity: { type: 'call', subject: 'Назначаемый', deadlineAt: '2026-12-01T10:00:00.000Z', entityType: 'deal', entityId: owned[who].deal },
      })[entity];
    const allowed = (a: { all: boolean; userIds: number[] }, id: number) => a.all || a.userIds.includes(id);
    for (const who of ['A', 'H'] as const) {
      for (const entity of Object.keys(PATHS) as Array<keyof typeof PATHS>) {
        const path = PATHS[entity];
        const extra = entity === 'deal' ? `&pipelineId=${pipelineId}` : '';
        const onCreate = (await clients[who].get(`/users/assignable?entity=${entity}&action=create${extra}`)).body;
        const onUpdate = (await clients[who].get(`/users/assignable?entity=${entity}${extra}`)).body;
        for (const target of OWNERS) {
          const created = await clients[who].post(`/${path}`, { ...newBody(entity, who), responsibleId: userIds[target] });
          expect(created.status, `${who} creates a ${entity} for ${target}`).toBe(allowed(onCreate, userIds[target]) ? 201 : 403);
          const id = owned[who][entity];
          const before = (await s.admin.get(`/${path}/${id}`)).body;
          const handed = await clients[who].patch(`/${path}/${id}`, { responsibleId: userIds[target], version: before.version });
          expect(handed.status, `${who} hands a ${entity} to ${target}`).toBe(target === who || allowed(onUpdate, userIds[target]) ? 200 : 403);
          if (handed.status === 200 && target !== who) {
            const now = (await s.admin.get(`/${path}/${id}`)).body;
            expect((await s.admin.patch(`/${path}/${id}`, { responsibleId: userIds[who], version: now.version })).status).toBe(200);
          }
        }
      }
    }
    // a manager: only themselves; the head of sales: their department and its sub-departments
    const ids = (b: { userIds: number[] }) => [...b.userIds].sort((x, y) => x - y);
    expect((await clients.A.get('/users/assignable?entity=contact')).body).toEqual({ all: false, userIds: [userIds.A] });
    expect(ids((await clients.H.get(`/users/assignable?entity=deal&pipelineId=${pipelineId}`)).body)).toEqual([userIds.A, userIds.B, userIds.A2, userIds.H].sort((x, y) => x - y));
    expect((await s.admin.get('/users/assignable?entity=lead&action=create')).body).toEqual({ all: true, userIds: [] });
    expect((await clients.A.get('/users/assignable?entity=__proto__')).status).toBe(400);
  });

  it('keeps settings to administrators', async () => {
    expect((await clients.H.post('/pipelines', { name: 'Моя воронка' })).status).toBe(403);
    expect((await clients.A.post('/users', { email: 'z@matrix.test', name: 'Z', password: PASSWORD })).status).toBe(403);
    expect((await clients.A.post('/custom-fields', { entity: 'deal', code: 'x', name: 'X', type: 'string' })).status).toBe(403);
    // robots and triggers: administrators and roles granted automation.manage (automation-permission.test.ts); the built-in roles are not
    expect((await clients.H.get(`/automation/robots?pipelineId=${pipelineId}`)).status).toBe(403);
    expect((await clients.A.get('/automation/runs')).status).toBe(403);
    expect((await s.admin.get(`/automation/robots?pipelineId=${pipelineId}`)).status).toBe(200);
  });
});
