import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';
import { hashPassword } from '../../src/shared/passwords.js';

const paths = (res: { body: { error: { fields: Array<{ path: string }> } } }) => res.body.error.fields.map((f) => f.path);

describe.each(testDialects())('lead conversion on %s', (dialect) => {
  let s: TestServer;
  const db = () => s.ctx.db.kysely;

  /** Row counts of what a conversion may produce, to prove a failed one left nothing. */
  const counts = async () => {
    const n = async (table: 'contacts' | 'companies' | 'deals' | 'timeline_entries' | 'contact_companies' | 'deal_contacts') =>
      Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { contacts: await n('contacts'), companies: await n('companies'), deals: await n('deals'), timeline: await n('timeline_entries'), links: await n('contact_companies'), dealContacts: await n('deal_contacts') };
  };

  const newLead = async (body: Record<string, unknown> = {}) => {
    const res = await s.admin.post('/leads', {
      firstName: 'Ольга',
      lastName: 'Иванова',
      middleName: 'Петровна',
      position: 'Закупщик',
      companyName: 'АО Вектор',
      phones: [{ value: '+7 916 700-00-01', type: 'mobile' }],
      emails: [{ value: 'olga@vector.ru' }],
      amount: 2500000,
      comment: 'Нужны 10 станков',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  it('creates a deal, a contact and a company from the lead and links them all', async () => {
    const lead = await newLead();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { deal: {}, contact: { create: {} }, company: { create: {} } });
    expect(res.status).toBe(200);
    const { deal, contact, company } = res.body;

    expect(company).toMatchObject({ name: 'АО Вектор', responsibleId: lead.responsibleId });
    // The phones go to the person when a contact comes out of the same lead.
    expect(company.phones).toEqual([]);
    expect(contact).toMatchObject({ firstName: 'Ольга', lastName: 'Иванова', middleName: 'Петровна', position: 'Закупщик', companyIds: [company.id], responsibleId: lead.responsibleId });
    expect(contact.phones.map((p: { normalized: string }) => p.normalized)).toEqual(['+79167000001']);
    expect(contact.emails.map((e: { normalized: string }) => e.normalized)).toEqual(['olga@vector.ru']);
    expect(deal).toMatchObject({ title: lead.title, amount: 2500000, currency: 'RUB', leadId: lead.id, companyId: company.id, contactIds: [contact.id], comment: 'Нужны 10 станков' });

    const converted = res.body.lead;
    expect(converted).toMatchObject({
      id: lead.id,
      statusSemantic: 'converted',
      convertedAt: expect.any(String),
      convertedDealId: deal.id,
      convertedContactId: contact.id,
      convertedCompanyId: company.id,
      version: lead.version + 1,
    });
    expect((await s.admin.get(`/leads/${lead.id}`)).body).toEqual(converted);
    const status = await db().selectFrom('reference_items').select('semantic').where('id', '=', converted.statusId).executeTakeFirstOrThrow();
    expect(status.semantic).toBe('converted');

    const events = (await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(events[0]).toMatchObject({ kind: 'converted', data: { dealId: deal.id, contactId: contact.id, companyId: company.id, created: { deal: true, contact: true, company: true } } });
    for (const [entity, id] of [['deals', deal.id], ['contacts', contact.id], ['companies', company.id]]) {
      const t = await s.admin.get(`/${entity}/${id}/timeline`);
      expect(t.body.items.map((e: { kind: string }) => e.kind)).toContain('created');
    }
    expect((await s.admin.get('/leads', { semantic: 'converted' })).body.items.map((l: { id: number }) => l.id)).toContain(lead.id);
  });

  /** A planned call, a done meeting and a cancelled task on the lead. */
  const leadActivities = async (leadId: number) => {
    const add = async (type: string, subject: string, deadlineAt?: string) => {
      const res = await s.admin.post('/activities', { type, subject, entityType: 'lead', entityId: leadId, ...(deadlineAt ? { deadlineAt } : {}) });
      expect(res.status).toBe(201);
      return res.body;
    };
    const planned = await add('call', 'Перезвонить по КП', '2031-03-02T09:00:00.000Z');
    const done = await add('meeting', 'Встреча на складе');
    expect((await s.admin.post(`/activities/${done.id}/complete`, { result: 'Договорились о поставке' })).status).toBe(200);
    const cancelled = await add('task', 'Отправить образцы');
    expect((await s.admin.post(`/activities/${cancelled.id}/cancel`, {})).status).toBe(200);
    return { planned, done, cancelled };
  };
  const activityIds = async (path: string) => ((await s.admin.get(path)).body.items as Array<{ id: number }>).map((a) => a.id).sort((a, b) => a - b);
  const sorted = (...ids: number[]) => [...ids].sort((a, b) => a - b);

  it("moves the lead's planned and done activities to the new deal, whose timeline and next step show them", async () => {
    const lead = await newLead();
    const { planned, done, cancelled } = await leadActivities(lead.id);
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { deal: {}, contact: { create: {} }, company: { create: {} } });
    expect(res.status).toBe(200);
    const { deal, contact, company } = res.body;

    expect(await activityIds(`/deals/${deal.id}/activities`)).toEqual(sorted(planned.id, done.id));
    expect(await activityIds(`/leads/${lead.id}/activities`)).toEqual([cancelled.id]);
    expect(await activityIds(`/contacts/${contact.id}/activities`)).toEqual([]);
    expect(await activityIds(`/companies/${company.id}/activities`)).toEqual([]);
    const moved = (await s.admin.get(`/activities/${done.id}`)).body;
    expect(moved).toMatchObject({ entityType: 'deal', entityId: deal.id, status: 'done', result: 'Договорились о поставке', version: done.version + 2 });

    // the deal's next step is the lead's planned call, in the answer and as stored
    expect(deal.nextActivity).toEqual({ id: planned.id, deadline: planned.deadlineAt });
    expect((await s.admin.get(`/deals/${deal.id}`)).body).toEqual(deal);

    const dealEvents = (await s.admin.get(`/deals/${deal.id}/timeline`)).body.items;
    const movedEvents = dealEvents.filter((e: { kind: string }) => e.kind === 'activity_updated');
    expect(movedEvents.map((e: { data: { activityId: number } }) => e.data.activityId).sort((a: number, b: number) => a - b)).toEqual(sorted(planned.id, done.id));
    expect(movedEvents.find((e: { data: { activityId: number } }) => e.data.activityId === done.id)).toMatchObject({
      authorId: s.admin.user.id,
      data: { type: 'meeting', subject: 'Встреча на складе', status: 'done', result: 'Договорились о поставке', changes: { entityType: { old: 'lead', new: 'deal' }, entityId: { old: lead.id, new: deal.id } } },
    });
    // the lead's history says where they went, and still ends with the conversion
    const leadEvents = (await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(leadEvents[0].kind).toBe('converted');
    expect(leadEvents.filter((e: { kind: string }) => e.kind === 'activity_updated')).toHaveLength(2);
  });

  it('moves them to the contact when no deal is made, else to the company', async () => {
    const toContact = await newLead();
    const a = await leadActivities(toContact.id);
    const existing = (await s.admin.post('/contacts', { firstName: 'Анна' })).body;
    const res = await s.admin.post(`/leads/${toContact.id}/convert`, { contact: { id: existing.id }, company: { create: {} } });
    expect(res.status).toBe(200);
    expect(await activityIds(`/contacts/${existing.id}/activities`)).toEqual(sorted(a.planned.id, a.done.id));
    expect(await activityIds(`/companies/${res.body.company.id}/activities`)).toEqual([]);
    const contactEvents = (await s.admin.get(`/contacts/${existing.id}/timeline`)).body.items;
    expect(contactEvents.filter((e: { kind: string }) => e.kind === 'activity_updated')).toHaveLength(2);

    const toCompany = await newLead();
    const b = await leadActivities(toCompany.id);
    const res2 = await s.admin.post(`/leads/${toCompany.id}/convert`, { company: { create: {} } });
    expect(res2.status).toBe(200);
    expect(await activityIds(`/companies/${res2.body.company.id}/activities`)).toEqual(sorted(b.planned.id, b.done.id));
    expect(await activityIds(`/leads/${toCompany.id}/activities`)).toEqual([b.cancelled.id]);
  });

  it('leaves the activities on the lead when the conversion fails', async () => {
    const lead = await newLead();
    const { planned, done, cancelled } = await leadActivities(lead.id);
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: {} }, deal: { create: { pipelineId: 999999 } } });
    expect(res.status).toBe(400);
    expect(await counts()).toEqual(before);
    expect(await activityIds(`/leads/${lead.id}/activities`)).toEqual(sorted(planned.id, done.id, cancelled.id));
    expect((await s.admin.get(`/activities/${planned.id}`)).body).toEqual(planned);
  });

  it('creates exactly what was asked: a contact alone, with overrides', async () => {
    const lead = await newLead({ companyName: null });
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: { firstName: 'Оля' } } });
    expect(res.status).toBe(200);
    expect(res.body.deal).toBeUndefined();
    expect(res.body.company).toBeUndefined();
    expect(res.body.contact).toMatchObject({ firstName: 'Оля', lastName: 'Иванова', companyIds: [] });
    expect(res.body.lead).toMatchObject({ convertedContactId: res.body.contact.id, convertedDealId: null, convertedCompanyId: null });
    const after = await counts();
    expect(after).toMatchObject({ contacts: before.contacts + 1, companies: before.companies, deals: before.deals });
  });

  it('links existing contact and company and creates the deal with them', async () => {
    const company = (await s.admin.post('/companies', { name: 'ООО Старый клиент' })).body;
    const contact = (await s.admin.post('/contacts', { firstName: 'Пётр', phones: [{ value: '+7 916 700-00-09' }] })).body;
    const lead = await newLead({ phones: [{ value: '+7 916 700-00-09' }] });
    expect(lead.duplicates).toEqual(expect.arrayContaining([{ entity: 'contact', id: contact.id, matchedBy: 'phone' }]));
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, {
      contact: { id: contact.id },
      company: { id: company.id },
      deal: { create: { title: 'Повторная продажа', amount: 100 } },
      version: lead.version,
    });
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ id: contact.id, firstName: 'Пётр' });
    expect(res.body.company).toMatchObject({ id: company.id, name: 'ООО Старый клиент' });
    expect(res.body.deal).toMatchObject({ title: 'Повторная продажа', amount: 100, contactIds: [contact.id], companyId: company.id, leadId: lead.id });
    expect(res.body.lead).toMatchObject({ convertedContactId: contact.id, convertedCompanyId: company.id, convertedDealId: res.body.deal.id });
    const after = await counts();
    expect(after).toMatchObject({ contacts: before.contacts, companies: before.companies, deals: before.deals + 1 });
    const events = (await s.admin.get(`/leads/${lead.id}/timeline`)).body.items;
    expect(events[0].data.created).toEqual({ deal: true, contact: false, company: false });
  });

  it('leaves nothing behind when a linked company does not exist', async () => {
    const lead = await newLead();
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: {} }, deal: {}, company: { id: 999999 } });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['company.id']);
    expect(await counts()).toEqual(before);
    expect((await s.admin.get(`/leads/${lead.id}`)).body).toMatchObject({ statusSemantic: 'in_progress', convertedAt: null, version: lead.version });
  });

  it('rolls back the contact and company it already made when the deal fails', async () => {
    const lead = await newLead();
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: {} }, company: { create: {} }, deal: { create: { pipelineId: 999999 } } });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['deal.create.pipelineId']);
    expect(await counts()).toEqual(before);
    const after = (await s.admin.get(`/leads/${lead.id}`)).body;
    const { duplicates, ...stored } = lead;
    expect(duplicates).toBeDefined();
    expect(after).toEqual(stored);
  });

  it('rolls back when the company to create is invalid (no name anywhere)', async () => {
    const lead = await newLead({ companyName: null });
    const before = await counts();
    const res = await s.admin.post(`/leads/${lead.id}/convert`, { deal: {}, company: { create: {} } });
    expect(res.status).toBe(400);
    expect(paths(res)).toContain('company.create.name');
    expect(await counts()).toEqual(before);
    const bad = await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: { phones: [{ value: 'нет' }] } } });
    expect(bad.status).toBe(400);
    expect(paths(bad)).toContain('contact.create.phones[0].value');
    expect(await counts()).toEqual(before);
    expect((await s.admin.get(`/leads/${lead.id}`)).body.statusSemantic).toBe('in_progress');
  });

  it('refuses a second conversion with 409, an empty request and a stale version', async () => {
    const lead = await newLead();
    expect((await s.admin.post(`/leads/${lead.id}/convert`, {})).status).toBe(400);
    expect((await s.admin.post(`/leads/${lead.id}/convert`, { deal: { id: 1 } })).status).toBe(400);
    expect((await s.admin.post(`/leads/${lead.id}/convert`, { contact: { create: {}, id: 1 } })).status).toBe(400);
    const stale = await s.admin.post(`/leads/${lead.id}/convert`, { deal: {}, version: lead.version + 5 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');

    expect((await s.admin.post(`/leads/${lead.id}/convert`, { deal: {} })).status).toBe(200);
    const before = await counts();
    const again = await s.admin.post(`/leads/${lead.id}/convert`, { deal: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect(await counts()).toEqual(before);
    // A converted lead keeps its status.
    const current = (await s.admin.get(`/leads/${lead.id}`)).body;
    const junk = await db().selectFrom('reference_items').select('id').where('workspace_id', '=', s.workspaceId).where('semantic', '=', 'junk').executeTakeFirstOrThrow();
    expect((await s.admin.patch(`/leads/${lead.id}`, { version: current.version, statusId: junk.id })).status).toBe(422);
  });

  it('converts only leads the user may change, into records they may see', async () => {
    const email = `conv-manager-${dialect}@test.local`;
    const now = new Date().toISOString();
    const role = await db().selectFrom('roles').select('id').where('workspace_id', '=', s.workspaceId).where('code', '=', 'manager').executeTakeFirstOrThrow();
    const user = await db()
      .insertInto('users')
      .values({ workspace_id: s.workspaceId, email, name: 'Менеджер', active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: await hashPassword('manager password'), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('user_roles').values({ workspace_id: s.workspaceId, user_id: user.id, role_id: role.id }).execute();
    const manager = await ApiClient.login(s.baseUrl, email, 'manager password');

    const adminsLead = await newLead();
    expect((await manager.post(`/leads/${adminsLead.id}/convert`, { deal: {} })).status).toBe(404);

    const ownLead = (await manager.post('/leads', { title: 'Мой лид', companyName: 'ИП Сидоров' })).body;
    const hidden = (await s.admin.post('/companies', { name: 'Чужая компания' })).body;
    const before = await counts();
    const res = await manager.post(`/leads/${ownLead.id}/convert`, { company: { id: hidden.id }, deal: {} });
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['company.id']);
    expect(await counts()).toEqual(before);

    const ok = await manager.post(`/leads/${ownLead.id}/convert`, { company: { create: {} }, deal: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.company).toMatchObject({ name: 'ИП Сидоров', responsibleId: user.id });
    expect(ok.body.deal).toMatchObject({ responsibleId: user.id, companyId: ok.body.company.id, contactIds: [] });
  });
});
