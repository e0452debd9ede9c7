import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import type { ApiClient } from '../support/api-client.js';

// Robots counting working time only, on the workspace's calendar (the Russian production calendar by
// default, Europe/Moscow, 09:00–18:00): across a weekend with a public holiday after it, and across a
// shortened pre-holiday day followed by the May holidays. The clock is set to the dates of the
// worked examples (each test logs in afresh there), so the suite's own epoch does not matter.

const MSK = (local: string) => new Date(`${local}+03:00`).toISOString();

describe.each(testDialects())('robot timing in working time on %s', (dialect) => {
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

  /** a fresh workspace at `now`, a robot on its second open stage, a deal moved there: when the robot's comment is due */
  async function dueOf(now: string, timing: Record<string, unknown>): Promise<{ api: ApiClient; dealId: number; dueAt: string }> {
    s.clock.set(now);
    const { admin: api } = await s.newWorkspace();
    const p = (await api.get('/pipelines')).body.items[0];
    const open = p.stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    expect((await api.post('/automation/robots', { stageId: open[1].id, type: 'add_comment', params: { text: 'пора' }, timing })).status).toBe(201);
    const deal = (await api.post('/deals', { title: 'Рабочее время', stageId: open[0].id })).body;
    expect((await api.post(`/deals/${deal.id}/move`, { stageId: open[1].id })).status).toBe(200);
    await engine.settle();
    const [run] = (await api.get(`/deals/${deal.id}/automation`)).body.items;
    return { api, dealId: deal.id, dueAt: run.dueAt };
  }

  it('one working day from Friday 15:00 before 8 March is Tuesday 15:00 (the weekend and the holiday skipped)', async () => {
    const { dueAt } = await dueOf(MSK('2027-03-05T15:00:00'), { kind: 'delay', amount: 1, unit: 'days', workingTime: true });
    expect(dueAt).toBe(MSK('2027-03-09T15:00:00'));
  });

  it('four working hours from Friday 16:00 are two on Friday and two on Tuesday morning: 11:00', async () => {
    const { dueAt } = await dueOf(MSK('2027-03-05T16:00:00'), { kind: 'delay', amount: 4, unit: 'hours', workingTime: true });
    expect(dueAt).toBe(MSK('2027-03-09T11:00:00'));
  });

  it('two working hours from 16:00 on the shortened 30 April: one then (it ends at 17:00), one after the May holidays', async () => {
    const { dueAt } = await dueOf(MSK('2027-04-30T16:00:00'), { kind: 'delay', amount: 2, unit: 'hours', workingTime: true });
    expect(dueAt).toBe(MSK('2027-05-04T10:00:00'));
  });

  it('without working time the same delay is plain hours, and the robot runs when its time comes, not before', async () => {
    const { api, dealId, dueAt } = await dueOf(MSK('2027-03-05T16:00:00'), { kind: 'delay', amount: 4, unit: 'hours' });
    expect(dueAt).toBe(MSK('2027-03-05T20:00:00'));
    s.clock.set(MSK('2027-03-05T19:59:00'));
    await engine.settle();
    expect((await api.get(`/deals/${dealId}/automation`)).body.items[0].status).toBe('waiting');
    s.clock.set(MSK('2027-03-05T20:00:00'));
    await engine.settle();
    expect((await api.get(`/deals/${dealId}/automation`)).body.items[0].status).toBe('done');
  });
});
