import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { up as migration028 } from '../../src/db/migrations/028_builtin_robots.js';

// The lead-less CRM mode: every new lead is converted at once by the built-in robot «convert every
// new lead» (src/modules/automation/built-in-robots.ts) — through the engine, so it is logged on the
// lead, happens once however often the outbox is replayed, and stops when the mode is switched back.

describe.each(testDialects())('the lead-less CRM mode on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
  });

  const setMode = async (crmMode: 'with_leads' | 'without_leads') => {
    const ws = (await s.admin.get('/workspace')).body;
    const res = await s.admin.patch('/workspace', { crmMode, version: ws.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const leadRobots = async () => (await s.admin.get('/automation/robots', { entityType: 'lead' })).body as Array<Record<string, any>>;
  const dealsOfWorkspace = async () => (await s.admin.get('/deals', { limit: 100 })).body.items as Array<{ id: number; title: string; stageId: number; contactIds?: number[] }>;

  it('the built-in rule is listed on the first lead status, off while the workspace works with leads, and cannot be changed or deleted', async () => {
    const statuses = (await s.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number }>;
    const [builtIn, ...others] = await leadRobots();
    expect(others).toEqual([]);
    expect(builtIn).toMatchObject({ builtIn: 'convert_new_leads', type: 'convert_lead', stageId: statuses[0]!.id, enabled: false, problems: [] });
    const patch = await s.admin.patch(`/automation/robots/${builtIn!.id}`, { name: 'Моё', version: builtIn!.version });
    expect(patch.status).toBe(422);
    expect(patch.body.error.details?.rule ?? patch.body.error.rule).toBe('built_in_robot');
    expect((await s.admin.delete(`/automation/robots/${builtIn!.id}`)).status).toBe(422);
    expect((await s.admin.post(`/automation/robots/${builtIn!.id}/apply`, { preview: true })).status).toBe(422);
    await setMode('without_leads');
    expect((await leadRobots())[0]).toMatchObject({ builtIn: 'convert_new_leads', enabled: true });
  });

  it('a new lead becomes a deal in the default pipeline’s first stage at once, reusing the contact with its phone; a replayed outbox converts nothing twice', async () => {
    const pipeline = (await s.admin.get('/pipelines')).body.items.find((p: { isDefault: boolean }) => p.isDefault);
    const known = (await s.admin.post('/contacts', { lastName: 'Петрова', firstName: 'Анна', phones: [{ value: '+79161112233' }] })).body;
    const before = await engine.worker.runDueJobs().then(() => s.ctx.services.automation.consumer.position());
    const lead = (await s.admin.post('/leads', { title: 'Заявка с сайта', firstName: 'Анна', lastName: 'Петрова', phones: [{ value: '8 (916) 111-22-33' }] })).body;
    await engine.settle();
    const after = (await s.admin.get(`/leads/${lead.id}`)).body;
    expect(after.convertedAt).not.toBeNull();
    expect(after.convertedContactId).toBe(known.id);
    const deal = (await s.admin.get(`/deals/${after.convertedDealId}`)).body;
    expect(deal).toMatchObject({ pipelineId: pipeline.id, stageId: pipeline.stages[0].id, contactIds: [known.id] });
    // the lead's automation log names the built-in rule
    const runs = (await s.admin.get(`/leads/${lead.id}/automation`)).body.items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ robotType: 'convert_lead', status: 'done' });
    expect(runs[0].robotId).toBe((await leadRobots())[0]!.id);
    const deals = (await dealsOfWorkspace()).length;

    // the automation consumer reads the same events again (a crash before its cursor moved): nothing twice
    await s.ctx.db.kysely.updateTable('outbox_cursors').set({ tx_id: before.tx, last_id: before.id }).where('consumer', '=', 'automation').execute();
    await engine.settle();
    expect((await s.admin.get(`/leads/${lead.id}/automation`)).body.items).toHaveLength(1);
    expect(await dealsOfWorkspace()).toHaveLength(deals);
    const contacts = (await s.admin.get('/contacts', { q: 'Петрова' })).body.items;
    expect(contacts.map((c: { id: number }) => c.id)).toEqual([known.id]);
  });

  it('a lead created in another status is converted too; after switching back to leads new leads stay leads and the converted ones stay converted', async () => {
    const statuses = (await s.admin.get('/reference-lists/lead-statuses/items')).body.items as Array<{ id: number; semantic: string }>;
    const second = statuses.filter((st) => st.semantic === 'in_progress')[1]!;
    const other = (await s.admin.post('/leads', { title: 'Звонок', companyName: 'ООО Ромашка', statusId: second.id })).body;
    await engine.settle();
    const converted = (await s.admin.get(`/leads/${other.id}`)).body;
    expect(converted.convertedDealId).not.toBeNull();
    expect(converted.convertedCompanyId).not.toBeNull();

    await setMode('with_leads');
    const deals = (await dealsOfWorkspace()).length;
    const stays = (await s.admin.post('/leads', { title: 'Ещё заявка', firstName: 'Иван', phones: [{ value: '+79990000001' }] })).body;
    await engine.settle();
    const lead = (await s.admin.get(`/leads/${stays.id}`)).body;
    expect(lead.convertedAt).toBeNull();
    expect((await s.admin.get(`/leads/${stays.id}/automation`)).body.items).toEqual([]);
    expect(await dealsOfWorkspace()).toHaveLength(deals);
    expect((await s.admin.get(`/leads/${other.id}`)).body.convertedAt).not.toBeNull();
    expect((await leadRobots())[0]).toMatchObject({ builtIn: 'convert_new_leads', enabled: false });
  });

  it('migration 028 gives every existing workspace its built-in robot on its first lead status', async () => {
    const other = await s.newWorkspace('Старая компания');
    const db = s.ctx.db.kysely;
    const first = await s.ctx.services.referenceLists.defaultLeadStatus(db, other.workspaceId);
    // as before the migration: no column, no rows
    await db.schema.dropIndex('automation_robots_built_in_uq').execute();
    await db.deleteFrom('automation_robots').where('built_in', 'is not', null).execute();
    await db.schema.alterTable('automation_robots').dropColumn('built_in').execute();
    await migration028(db, { dialect });
    const rows = await db.selectFrom('automation_robots').selectAll().where('built_in', '=', 'convert_new_leads').orderBy('workspace_id').execute();
    expect(rows.map((r) => r.workspace_id)).toEqual([s.workspaceId, other.workspaceId]);
    expect(rows[1]).toMatchObject({ entity_type: 'lead', stage_id: first.id, type: 'convert_lead', leave_policy: 'keep', enabled: 1 });
    expect((await other.admin.get('/automation/robots', { entityType: 'lead' })).body).toMatchObject([{ builtIn: 'convert_new_leads', enabled: false, problems: [] }]);
  });
});
