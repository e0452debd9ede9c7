import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';

// Robots of lead statuses: a lead entering a status (created in it, or moved there) gets the status's
// robots, as a deal entering a stage does; «convert the lead» makes the deal and reuses a contact that
// has the lead's phone.

describe.each(testDialects())('lead robots on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let statuses: Array<{ id: number; name: string; semantic: string }>;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    statuses = (await s.admin.get('/reference-lists/lead-statuses/items')).body.items;
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
  });

  const robot = async (body: Record<string, unknown>) => {
    const res = await s.admin.post('/automation/robots', { entityType: 'lead', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number };
  };
  const runs = async (leadId: number) => (await s.admin.get(`/leads/${leadId}/automation`)).body.items as Array<Record<string, any>>;

  it('a new lead gets the call its status plans; the robot is listed with the lead statuses’ robots', async () => {
    const first = statuses[0]!;
    const r = await robot({ stageId: first.id, type: 'plan_activity', params: { activityType: 'call', subject: 'Перезвонить: {{lead.title}}' } });
    const lead = (await s.admin.post('/leads', { title: 'Заявка с сайта', firstName: 'Ольга' })).body;
    await engine.settle();
    const calls = (await s.admin.get(`/leads/${lead.id}/activities`)).body.items;
    expect(calls.map((a: { subject: string }) => a.subject)).toEqual(['Перезвонить: Заявка с сайта']);
    expect((await runs(lead.id))[0]).toMatchObject({ robotId: r.id, status: 'done', entityType: 'lead' });
    // the built-in «convert every new lead» (off: the workspace works with leads) is listed with them
    const listed = (await s.admin.get('/automation/robots', { entityType: 'lead' })).body as Array<{ id: number; builtIn: string | null; enabled: boolean }>;
    expect(listed.filter((x) => !x.builtIn).map((x) => x.id)).toEqual([r.id]);
    expect(listed.filter((x) => x.builtIn).map((x) => x.enabled)).toEqual([false]);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('moving a lead into a status converts it: a deal is made and the contact with its phone is reused', async () => {
    const target = statuses.find((st) => st.semantic === 'in_progress' && st.id !== statuses[0]!.id) ?? statuses[1]!;
    const r = await robot({ stageId: target.id, type: 'convert_lead', params: {} });
    const known = (await s.admin.post('/contacts', { lastName: 'Известная', firstName: 'Анна', phones: [{ value: '+79161234567' }] })).body;
    const lead = (await s.admin.post('/leads', { title: 'Повторное обращение', firstName: 'Анна', lastName: 'Известная', phones: [{ value: '8 916 123-45-67' }] })).body;
    await engine.settle();
    expect((await s.admin.patch(`/leads/${lead.id}`, { statusId: target.id, version: lead.version })).status).toBe(200);
    await engine.settle();
    const [run] = await runs(lead.id);
    expect(run).toMatchObject({ robotId: r.id, status: 'done' });
    const after = (await s.admin.get(`/leads/${lead.id}`)).body;
    expect(after.convertedContactId).toBe(known.id);
    expect(after.convertedDealId).not.toBeNull();
    const deal = (await s.admin.get(`/deals/${after.convertedDealId}`)).body;
    expect(deal.contactIds).toEqual([known.id]);
    expect(run!.result.links.map((l: { entityType: string }) => l.entityType)).toEqual(['deal', 'contact']);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('refuses a deal-only robot type on a lead status, a deal field in a lead robot’s text, and an unknown status', async () => {
    const bad = await s.admin.post('/automation/robots', { entityType: 'lead', stageId: statuses[0]!.id, type: 'change_stage', params: { stageId: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('type');
    const text = await s.admin.post('/automation/robots', { entityType: 'lead', stageId: statuses[0]!.id, type: 'add_comment', params: { text: '{{deal.title}}' } });
    expect(text.status).toBe(400);
    expect(text.body.error.fields[0].path).toBe('params.text');
    const status = await s.admin.post('/automation/robots', { entityType: 'lead', stageId: 999_999, type: 'add_comment', params: { text: 'x' } });
    expect(status.body.error.fields[0].path).toBe('stageId');
  });
});
