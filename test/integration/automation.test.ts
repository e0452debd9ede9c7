import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import pino from 'pino';
import { JobWorker } from '../../src/jobs/index.js';

// The robots engine end to end through the API, on both databases: a robot bound to a stage runs
// when a deal enters it by any path, once, at its time, as the robot; leaving cancels what waits;
// a false condition, a deleted robot or a deal gone are logged reasons, never crashes.

const HOUR = 3_600_000;

describe.each(testDialects())('automation on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number; name: string; semantic: string }>;
  let pipelineId: number;

  const robot = async (body: Record<string, unknown>) => {
    const res = await s.admin.post('/automation/robots', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; version: number };
  };
  const newDeal = async (title: string, stageId = stages[0]!.id, extra: Record<string, unknown> = {}) => {
    const res = await s.admin.post('/deals', { title, stageId, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; version: number };
  };
  const move = async (id: number, stageId: number) => {
    const res = await s.admin.post(`/deals/${id}/move`, { stageId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const runs = async (dealId: number) => (await s.admin.get(`/deals/${dealId}/automation`)).body.items as Array<Record<string, any>>;
  const activities = async (dealId: number) => (await s.admin.get(`/deals/${dealId}/activities`)).body.items as Array<Record<string, any>>;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    const p = (await s.admin.get('/pipelines')).body.items[0];
    pipelineId = p.id;
    stages = p.stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    expect(stages.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
  });

  it('a deal moved into the stage gets the call planned for its responsible, written by the robot, once', async () => {
    const r = await robot({
      stageId: stages[1]!.id,
      type: 'plan_activity',
      name: 'Позвонить клиенту',
      params: { activityType: 'call', subject: 'Позвонить по сделке «{{deal.title}}»', deadline: { kind: 'delay', amount: 1, unit: 'days' } },
    });
    const deal = await newDeal('Кресла для офиса');
    await engine.settle();
    expect(await activities(deal.id)).toEqual([]); // created in the first stage: not this robot's

    await move(deal.id, stages[1]!.id);
    const at = s.clock.now().getTime();
    await engine.settle();
    await engine.settle(); // a second pass does nothing more
    const planned = await activities(deal.id);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ type: 'call', subject: 'Позвонить по сделке «Кресла для офиса»', status: 'planned' });
    expect(Date.parse(planned[0]!.deadlineAt)).toBe(at + 24 * HOUR);

    const log = await runs(deal.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ robotId: r.id, status: 'done', robotName: 'Позвонить клиенту' });
    expect(log[0]!.result.links).toEqual([{ entityType: 'activity', id: planned[0]!.id, label: planned[0]!.subject }]);

    const timeline = (await s.admin.get(`/deals/${deal.id}/timeline`)).body.items as Array<Record<string, any>>;
    const made = timeline.find((e) => e.kind === 'activity_created');
    expect(made?.robot).toEqual({ id: r.id, name: 'Позвонить клиенту' });
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('waits for its delay; leaving the stage first cancels it, re-entering plans it anew', async () => {
    const r = await robot({ stageId: stages[2]!.id, type: 'add_comment', params: { text: 'Прошёл час в стадии' }, timing: { kind: 'delay', amount: 60, unit: 'minutes' } });
    const deal = await newDeal('Отложенный робот');
    await move(deal.id, stages[2]!.id);
    await engine.settle();
    expect((await runs(deal.id))[0]).toMatchObject({ status: 'waiting' });
    s.clock.advance(30 * 60_000);
    await move(deal.id, stages[1]!.id);
    await engine.settle();
    expect((await runs(deal.id))[0]).toMatchObject({ status: 'cancelled', reason: 'the record left the stage' });
    s.clock.advance(2 * HOUR);
    await engine.settle();
    const comments = () => s.admin.get(`/deals/${deal.id}/timeline`).then((res) => res.body.items.filter((e: { kind: string }) => e.kind === 'comment'));
    expect(await comments()).toEqual([]);

    await move(deal.id, stages[2]!.id);
    await engine.settle();
    s.clock.advance(59 * 60_000);
    await engine.settle();
    expect(await comments()).toEqual([]);
    s.clock.advance(60_000);
    await engine.settle();
    expect((await comments()).map((e: { data: { text: string } }) => e.data.text)).toEqual(['Прошёл час в стадии']);
    expect((await runs(deal.id)).map((x) => x.status)).toEqual(['done', 'cancelled']);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('keeps a robot whose policy is keep when the deal leaves; jumping over a stage runs only the target’s robots', async () => {
    const kept = await robot({ stageId: stages[1]!.id, type: 'add_comment', params: { text: 'kept' }, timing: { kind: 'delay', amount: 5, unit: 'minutes' }, leavePolicy: 'keep' });
    const skipped = await robot({ stageId: stages[1]!.id, type: 'add_comment', params: { text: 'never' } });
    const target = await robot({ stageId: stages[2]!.id, type: 'add_comment', params: { text: 'target' } });
    const deal = await newDeal('Через стадию', stages[2]!.id);
    await engine.settle();
    expect((await runs(deal.id)).map((x) => x.robotId)).toEqual([target.id]);

    const other = await newDeal('Ушла, но робот остался');
    await move(other.id, stages[1]!.id);
    await engine.settle();
    await move(other.id, stages[2]!.id);
    s.clock.advance(5 * 60_000);
    await engine.settle();
    const byRobot = Object.fromEntries((await runs(other.id)).map((x) => [x.robotId, x.status]));
    expect(byRobot).toEqual({ [kept.id]: 'done', [skipped.id]: 'done', [target.id]: 'done' });
    for (const id of [kept.id, skipped.id, target.id]) await s.admin.delete(`/automation/robots/${id}`);
  });

  it('a false condition skips the robot and says which part was false', async () => {
    const r = await robot({
      stageId: stages[1]!.id,
      type: 'add_comment',
      params: { text: 'Крупная сделка' },
      condition: { all: [{ field: 'deal.amount', op: 'gt', value: { amount: 100_000_00, currency: 'RUB' } }] },
    });
    const small = await newDeal('Мелкая', stages[0]!.id, { amount: 5_000_00 });
    const big = await newDeal('Крупная', stages[0]!.id, { amount: 500_000_00 });
    await move(small.id, stages[1]!.id);
    await move(big.id, stages[1]!.id);
    await engine.settle();
    const [smallRun] = await runs(small.id);
    expect(smallRun).toMatchObject({ status: 'skipped' });
    expect(smallRun!.reason).toContain('condition');
    expect(smallRun!.reason).toContain('deal.amount');
    expect((await runs(big.id))[0]).toMatchObject({ status: 'done' });
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('refuses a robot with bad parts, naming each; a deleted user is flagged and the run skipped with the reason', async () => {
    const bad = await s.admin.post('/automation/robots', {
      stageId: stages[1]!.id,
      type: 'plan_activity',
      params: { activityType: 'call', subject: 'Привет, {{contact.nickname}}' },
      condition: { all: [{ field: 'deal.nope', op: 'eq', value: 1 }] },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toContain('params.subject');
    expect(paths).toContain('condition.all[0].field');
    expect((await s.admin.post('/automation/robots', { stageId: stages[1]!.id, type: 'teleport' })).body.error.fields[0].path).toBe('type');
    expect((await s.admin.post('/automation/robots', { stageId: 999_999, type: 'add_comment', params: { text: 'x' } })).body.error.fields[0].path).toBe('stageId');

    const nina = await addUser(s, `nina-${dialect}@test.local`, 'manager', { name: 'Нина' });
    const r = await robot({ stageId: stages[1]!.id, type: 'notify', params: { to: { kind: 'users', userIds: [nina.id] }, text: 'Сделка {{deal.title}} у вас' } });
    expect((await s.admin.patch(`/users/${nina.id}`, { active: false, version: 1 })).status).toBe(200);
    const flagged = (await s.admin.get(`/automation/robots/${r.id}`)).body;
    expect(flagged.problems).toEqual([{ path: 'params.to.userIds', message: `user ${nina.id} is not an active user of this workspace` }]);
    const deal = await newDeal('Для Нины');
    await move(deal.id, stages[1]!.id);
    await engine.settle();
    expect((await runs(deal.id))[0]).toMatchObject({ status: 'skipped', reason: `params.to.userIds: user ${nina.id} is not an active user of this workspace` });
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('a manager may not edit robots, and sees a deal’s automation only when they may read the deal', async () => {
    const anna = await addUser(s, `anna-${dialect}@test.local`, 'manager', { name: 'Анна' });
    expect((await anna.client.post('/automation/robots', { stageId: stages[1]!.id, type: 'add_comment', params: { text: 'x' } })).status).toBe(403);
    const theirs = await newDeal('Чужая сделка');
    const own = (await anna.client.post('/deals', { title: 'Своя сделка', stageId: stages[0]!.id })).body;
    expect((await anna.client.get(`/deals/${theirs.id}/automation`)).status).toBe(404);
    expect((await anna.client.get(`/deals/999999/automation`)).status).toBe(404);
    expect((await anna.client.get(`/deals/${own.id}/automation`)).status).toBe(200);
    expect((await anna.client.get('/automation/runs')).status).toBe(403);
    expect((await anna.client.get('/automation/robots', { pipelineId })).status).toBe(403);
  });

  it('a dry run tells what it would do and changes nothing; applying to the deals already in the stage runs it once each', async () => {
    const a = await newDeal('Уже в стадии А', stages[2]!.id);
    const b = await newDeal('Уже в стадии Б', stages[2]!.id);
    await engine.settle();
    const r = await robot({ stageId: stages[2]!.id, type: 'plan_activity', params: { activityType: 'task', subject: 'Проверить «{{deal.title}}»' } });
    const dry = (await s.admin.post(`/automation/robots/${r.id}/dry-run`, { dealId: a.id })).body;
    expect(dry).toMatchObject({ status: 'done', result: { summary: 'would plan a task «Проверить «Уже в стадии А»»' } });
    expect(await activities(a.id)).toEqual([]);

    const preview = (await s.admin.post(`/automation/robots/${r.id}/apply`, { preview: true })).body;
    expect(preview.records).toBeGreaterThanOrEqual(2);
    expect(preview.planned).toBe(0);
    const applied = (await s.admin.post(`/automation/robots/${r.id}/apply`, {})).body;
    expect(applied.planned).toBe(preview.records);
    expect((await s.admin.post(`/automation/robots/${r.id}/apply`, {})).body.planned).toBe(0); // once per stage entry
    await engine.settle();
    expect((await activities(a.id)).map((x) => x.subject)).toEqual(['Проверить «Уже в стадии А»']);
    expect((await activities(b.id)).map((x) => x.subject)).toEqual(['Проверить «Уже в стадии Б»']);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('after_previous waits for the robot before it; a robot that changes the stage brings the next stage’s robots in', async () => {
    const first = await robot({ stageId: stages[1]!.id, type: 'add_comment', params: { text: 'первый' }, timing: { kind: 'delay', amount: 10, unit: 'minutes' } });
    const second = await robot({ stageId: stages[1]!.id, type: 'change_stage', params: { stageId: stages[2]!.id }, timing: { kind: 'after_previous', amount: 5, unit: 'minutes' } });
    const next = await robot({ stageId: stages[2]!.id, type: 'add_comment', params: { text: 'в следующей' } });
    const deal = await newDeal('Цепочка');
    await move(deal.id, stages[1]!.id);
    await engine.settle();
    s.clock.advance(10 * 60_000);
    await engine.settle();
    expect((await s.admin.get(`/deals/${deal.id}`)).body.stageId).toBe(stages[1]!.id);
    s.clock.advance(5 * 60_000);
    await engine.settle();
    expect((await s.admin.get(`/deals/${deal.id}`)).body.stageId).toBe(stages[2]!.id);
    const byRobot = Object.fromEntries((await runs(deal.id)).map((x) => [x.robotId, x.status]));
    expect(byRobot).toEqual({ [first.id]: 'done', [second.id]: 'done', [next.id]: 'done' });
    const moved = (await s.admin.get(`/deals/${deal.id}/timeline`)).body.items.find((e: { kind: string }) => e.kind === 'stage_moved');
    expect(moved.robot.id).toBe(second.id);
    expect((await s.admin.get('/automation/robots', { pipelineId })).body.map((x: { id: number }) => x.id)).toEqual([first.id, second.id, next.id]);
    for (const id of [first.id, second.id, next.id]) await s.admin.delete(`/automation/robots/${id}`);
  });

  it('copies the deal into another pipeline after a delay (a repeat sale); the copy enters its stage like a new deal', async () => {
    const other = (await s.admin.post('/pipelines', { name: `Повторные продажи ${dialect}` })).body;
    const otherStage = other.stages.find((st: { semantic: string }) => st.semantic === 'in_progress');
    const welcome = await robot({ stageId: otherStage.id, type: 'add_comment', params: { text: 'Повторная продажа' } });
    const contact = (await s.admin.post('/contacts', { lastName: 'Постоянный', firstName: 'Клиент' })).body;
    const r = await robot({ stageId: stages[1]!.id, type: 'copy_deal', params: { stageId: otherStage.id, title: 'Повтор: {{deal.title}}' }, timing: { kind: 'delay', amount: 2, unit: 'hours' } });
    const deal = await newDeal('Мебель', stages[0]!.id, { amount: 77_000_00, contactIds: [contact.id] });
    await move(deal.id, stages[1]!.id);
    await engine.settle();
    s.clock.advance(2 * HOUR);
    await engine.settle();
    const [run] = await runs(deal.id);
    expect(run).toMatchObject({ robotId: r.id, status: 'done' });
    const copyId = run!.result.links[0].id;
    const copy = (await s.admin.get(`/deals/${copyId}`)).body;
    expect(copy).toMatchObject({ title: 'Повтор: Мебель', pipelineId: other.id, stageId: otherStage.id, amount: 77_000_00, contactIds: [contact.id] });
    expect((await runs(copyId)).map((x) => [x.robotId, x.status])).toEqual([[welcome.id, 'done']]);
    for (const id of [r.id, welcome.id]) await s.admin.delete(`/automation/robots/${id}`);
  });
  it('a run whose last attempt dies with its process (or times out) ends failed with the reason, never waiting for good', async () => {
    const r = await robot({ stageId: stages[1]!.id, type: 'add_comment', params: { text: 'Сделка в работе' } });
    const deal = await newDeal('Последняя попытка');
    await move(deal.id, stages[1]!.id);
    await s.ctx.services.automation.pump();
    const [run] = await runs(deal.id);
    expect(run).toMatchObject({ robotId: r.id, status: 'waiting' });
    const db = s.ctx.db.kysely;
    const { entry_id } = await db.selectFrom('automation_runs').select('entry_id').where('id', '=', run!.id).executeTakeFirstOrThrow();
    const job = await db.selectFrom('jobs').selectAll().where('unique_key', '=', `robot:${r.id}:entry:${entry_id}`).executeTakeFirstOrThrow();
    await db.updateTable('jobs').set({ attempt: job.max_attempts - 1 }).where('id', '=', job.id).execute();
    // a worker claims the last attempt and "dies": no heartbeat, no outcome (on SQLite it takes the runner lease over first)
    if (dialect === 'sqlite') await db.deleteFrom('job_leases').execute();
    const dead = new JobWorker(s.ctx.db, s.clock, s.ctx.services.jobs, { id: 'dead', log: pino({ level: 'silent' }) });
    expect((await dead.claim(10)).map((x) => Number(x.id))).toContain(Number(job.id));
    s.clock.advance(2 * 60_000);
    if (dialect === 'sqlite') await db.deleteFrom('job_leases').execute(); // the dead process's runner lease, expired meanwhile
    expect(await engine.worker.rescueOrphans()).toBeGreaterThanOrEqual(1);
    const [after] = await runs(deal.id);
    expect(after).toMatchObject({ status: 'failed', error: expect.stringContaining('presumed dead') });
    expect(after!.finishedAt).toBe(s.clock.now().toISOString());
    await s.admin.delete(`/automation/robots/${r.id}`);
  });
});
