import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';
import { HOOK_POLICY } from '../../src/modules/automation/triggers/triggers.service.js';

// Triggers end to end through the API, on both databases: each trigger type moves the deal to its
// stage when its event happens, and the target stage's robots then run; a trigger never moves a
// deal back unless allowed, leaves one already there alone, and logs a false condition; inbound
// webhooks answer 404 to a wrong token and 429 past their limit; idle deals move after N days of
// the manual clock; nothing crosses workspaces.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testDialects())('triggers on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number; name: string; semantic: string; sort: number }>;
  let pipelineId: number;

  const trigger = async (body: Record<string, unknown>) => {
    const res = await s.admin.post('/automation/triggers', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; version: number; hookPath: string | null; name: string };
  };
  const robot = async (stageId: number, text: string) => {
    const res = await s.admin.post('/automation/robots', { stageId, type: 'add_comment', params: { text } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number };
  };
  const newDeal = async (title: string, stageId = stages[0]!.id, extra: Record<string, unknown> = {}) => {
    const res = await s.admin.post('/deals', { title, stageId, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; version: number };
  };
  const deal = async (id: number) => (await s.admin.get(`/deals/${id}`)).body as { id: number; stageId: number; version: number };
  const patch = async (id: number, body: Record<string, unknown>) => {
    const res = await s.admin.patch(`/deals/${id}`, { ...body, version: (await deal(id)).version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const automation = async (dealId: number) => (await s.admin.get(`/deals/${dealId}/automation`)).body as { items: Array<Record<string, any>>; triggers: Array<Record<string, any>> };
  const comments = async (dealId: number) =>
    ((await s.admin.get(`/deals/${dealId}/timeline`)).body.items as Array<{ kind: string; data: { text: string } }>).filter((e) => e.kind === 'comment').map((e) => e.data.text);
  const cleanup = async (...ids: Array<{ id: number }>) => {
    for (const t of ids) await s.admin.delete(`/automation/triggers/${t.id}`);
  };

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

  it('activity done: a completed call moves the deal to the trigger’s stage, as the trigger, and the stage’s robots run', async () => {
    const t = await trigger({ stageId: stages[2]!.id, type: 'activity_done', name: 'Звонок состоялся', params: { activityType: 'call' } });
    const r = await robot(stages[2]!.id, 'Робот стадии после триггера');
    const d = await newDeal('Звонок → стадия');
    const meeting = (await s.admin.post('/activities', { type: 'meeting', subject: 'Встреча', entityType: 'deal', entityId: d.id })).body;
    expect((await s.admin.post(`/activities/${meeting.id}/complete`, {})).status).toBe(200);
    await engine.settle();
    expect((await deal(d.id)).stageId).toBe(stages[0]!.id); // a meeting is not a call

    const call = (await s.admin.post('/activities', { type: 'call', subject: 'Позвонить', entityType: 'deal', entityId: d.id })).body;
    expect((await s.admin.post(`/activities/${call.id}/complete`, {})).status).toBe(200);
    await engine.settle();
    await engine.settle();
    expect((await deal(d.id)).stageId).toBe(stages[2]!.id);
    expect(await comments(d.id)).toEqual(['Робот стадии после триггера']);
    const log = await automation(d.id);
    expect(log.triggers).toHaveLength(1);
    expect(log.triggers[0]).toMatchObject({ triggerId: t.id, triggerType: 'activity_done', status: 'moved', stageId: stages[2]!.id, fromStageId: stages[0]!.id });
    expect(log.items.map((x) => [x.robotId, x.status])).toEqual([[r.id, 'done']]);
    const moved = ((await s.admin.get(`/deals/${d.id}/timeline`)).body.items as Array<Record<string, any>>).find((e) => e.kind === 'stage_moved');
    expect(moved?.robot).toEqual({ id: t.id, name: 'Триггер «Звонок состоялся»', kind: 'trigger' });

    // completing another call leaves a deal already in the stage alone (logged)
    const again = (await s.admin.post('/activities', { type: 'call', subject: 'Ещё звонок', entityType: 'deal', entityId: d.id })).body;
    await s.admin.post(`/activities/${again.id}/complete`, {});
    await engine.settle();
    expect((await automation(d.id)).triggers[0]).toMatchObject({ status: 'skipped', reason: 'the deal is already in the stage' });
    expect(await comments(d.id)).toHaveLength(1);
    await cleanup(t);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('field changed (any value, or to a given value) and responsible changed move the deal', async () => {
    const anyAmount = await trigger({ stageId: stages[1]!.id, type: 'field_changed', params: { field: 'deal.amount' } });
    const commentGo = await trigger({ stageId: stages[1]!.id, type: 'field_changed', params: { field: 'deal.comment', value: 'go' } });
    const toNina = await trigger({ stageId: stages[2]!.id, type: 'responsible_changed', params: {} });

    const a = await newDeal('Сумма изменилась', stages[0]!.id, { amount: 100_00 });
    await patch(a.id, { title: 'Только название' });
    await engine.settle();
    expect((await deal(a.id)).stageId).toBe(stages[0]!.id);
    await patch(a.id, { amount: 200_00 });
    await engine.settle();
    expect((await deal(a.id)).stageId).toBe(stages[1]!.id);

    const b = await newDeal('Комментарий');
    await patch(b.id, { comment: 'wait' });
    await engine.settle();
    expect((await deal(b.id)).stageId).toBe(stages[0]!.id);
    await patch(b.id, { comment: 'go' });
    await engine.settle();
    expect((await deal(b.id)).stageId).toBe(stages[1]!.id);

    const nina = await addUser(s, `nina-trg-${dialect}@test.local`, 'manager', { name: 'Нина' });
    const c = await newDeal('Новый ответственный');
    await patch(c.id, { responsibleId: nina.id });
    await engine.settle();
    expect((await deal(c.id)).stageId).toBe(stages[2]!.id);
    expect((await automation(c.id)).triggers[0]).toMatchObject({ triggerId: toNina.id, status: 'moved' });
    await cleanup(anyAmount, commentGo, toNina);
  });

  it('never moves a deal back unless allowed; a false condition moves nothing and is logged', async () => {
    const back = await trigger({ stageId: stages[0]!.id, type: 'field_changed', params: { field: 'deal.title' } });
    const d = await newDeal('Уже дальше', stages[2]!.id);
    await patch(d.id, { title: 'Назад?' });
    await engine.settle();
    expect((await deal(d.id)).stageId).toBe(stages[2]!.id);
    const [skipped] = (await automation(d.id)).triggers;
    expect(skipped).toMatchObject({ triggerId: back.id, status: 'skipped' });
    expect(skipped!.reason).toContain('moving back');

    const allowed = await s.admin.patch(`/automation/triggers/${back.id}`, { allowBack: true, version: back.version });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);
    await patch(d.id, { title: 'Назад!' });
    await engine.settle();
    expect((await deal(d.id)).stageId).toBe(stages[0]!.id);
    await cleanup(back);

    const big = await trigger({
      stageId: stages[1]!.id,
      type: 'field_changed',
      params: { field: 'deal.comment' },
      condition: { all: [{ field: 'deal.amount', op: 'gt', value: { amount: 100_000_00, currency: 'RUB' } }] },
    });
    const small = await newDeal('Мелкая', stages[0]!.id, { amount: 5_000_00 });
    const large = await newDeal('Крупная', stages[0]!.id, { amount: 500_000_00 });
    await patch(small.id, { comment: 'x' });
    await patch(large.id, { comment: 'x' });
    await engine.settle();
    expect((await deal(small.id)).stageId).toBe(stages[0]!.id);
    expect((await deal(large.id)).stageId).toBe(stages[1]!.id);
    const [no] = (await automation(small.id)).triggers;
    expect(no).toMatchObject({ triggerId: big.id, status: 'skipped' });
    expect(no!.reason).toContain('condition');
    expect(no!.reason).toContain('deal.amount');
    await cleanup(big);
  });

  it('a move the stage refuses (a lost stage needs a loss reason) is logged as failed, and the rest of the batch still happens', async () => {
    const p = (await s.admin.get('/pipelines')).body.items[0];
    const lost = p.stages.find((st: { semantic: string; requiresLossReason: boolean }) => st.semantic === 'failure' && st.requiresLossReason);
    expect(lost).toBeTruthy();
    const toLost = await trigger({ stageId: lost.id, type: 'field_changed', params: { field: 'deal.comment', value: 'отказ' } });
    const alsoFires = await trigger({ stageId: stages[1]!.id, type: 'field_changed', params: { field: 'deal.comment' } });
    const d = await newDeal('Отказ без причины');
    await patch(d.id, { comment: 'отказ' });
    await engine.settle();
    const log = (await automation(d.id)).triggers;
    const failed = log.find((f) => f.triggerId === toLost.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.reason).toContain('refused');
    // the nearer trigger of the same event found the deal where it was and moved it
    expect(log.find((f) => f.triggerId === alsoFires.id)).toMatchObject({ status: 'moved' });
    expect((await deal(d.id)).stageId).toBe(stages[1]!.id);
    await cleanup(toLost, alsoFires);
  });

  it('refuses bad parameters and conditions with 400 naming the field; only administrators manage triggers', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await s.admin.post('/automation/triggers', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.fields.map((f: { path: string }) => f.path) as string[];
    };
    expect(await bad({ stageId: stages[1]!.id, type: 'idle', params: { days: 0 } })).toContain('params.days');
    expect(await bad({ stageId: stages[1]!.id, type: 'field_changed', params: { field: 'deal.nope' } })).toContain('params.field');
    expect(await bad({ stageId: stages[1]!.id, type: 'activity_done', params: { activityType: 'fax' } })).toContain('params.activityType');
    expect(await bad({ stageId: stages[1]!.id, type: 'activity_done', condition: { all: [{ field: 'deal.nope', op: 'eq', value: 1 }] } })).toContain('condition.all[0].field');
    expect(await bad({ stageId: stages[1]!.id, type: 'teleport' })).toEqual(['type']);
    expect(await bad({ stageId: 999_999, type: 'activity_done' })).toEqual(['stageId']);

    const manager = await addUser(s, `mgr-trg-${dialect}@test.local`, 'manager');
    expect((await manager.client.post('/automation/triggers', { stageId: stages[1]!.id, type: 'activity_done' })).status).toBe(403);
    expect((await manager.client.get(`/automation/triggers?pipelineId=${pipelineId}`)).status).toBe(403);
    const t = await trigger({ stageId: stages[1]!.id, type: 'activity_done', enabled: false });
    const listed = (await s.admin.get(`/automation/triggers?pipelineId=${pipelineId}`)).body as Array<{ id: number }>;
    expect(listed.map((x) => x.id)).toContain(t.id);
    const types = (await s.admin.get('/automation/trigger-types')).body.map((x: { type: string }) => x.type);
    expect(types).toEqual(expect.arrayContaining(['activity_done', 'field_changed', 'responsible_changed', 'inbound_webhook', 'idle']));
    await cleanup(t);
  });

  it('inbound webhook: the secret URL moves the deal, a wrong token is 404, too many calls are 429', async () => {
    const t = await trigger({ stageId: stages[2]!.id, type: 'inbound_webhook', name: 'Оплата с сайта' });
    expect(t.hookPath).toMatch(/^\/api\/v1\/automation\/hooks\/\d+\.[A-Za-z0-9_-]{32}$/);
    const r = await robot(stages[2]!.id, 'Оплата получена');
    const d = await newDeal('Вебхук');
    const anon = s.anon();
    const ok = await anon.post(t.hookPath!, { dealId: d.id, extra: 'ignored' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ status: 'moved', dealId: d.id });
    await engine.settle();
    expect((await deal(d.id)).stageId).toBe(stages[2]!.id);
    expect(await comments(d.id)).toEqual(['Оплата получена']);
    expect((await automation(d.id)).triggers[0]).toMatchObject({ triggerType: 'inbound_webhook', status: 'moved' });

    const secret = t.hookPath!.split('/').pop()!;
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect((await anon.post(`/automation/hooks/${wrong}`, { dealId: d.id })).status).toBe(404);
    expect((await anon.post('/automation/hooks/nonsense', { dealId: d.id })).status).toBe(404);
    expect((await anon.post(t.hookPath!, {})).status).toBe(400);
    expect((await anon.post(t.hookPath!, { dealId: 987_654 })).status).toBe(404);

    // a rotated token: the old URL stops working
    const current = (await s.admin.get(`/automation/triggers/${t.id}`)).body;
    const rotated = (await s.admin.patch(`/automation/triggers/${t.id}`, { rotateToken: true, version: current.version })).body;
    expect(rotated.hookPath).not.toBe(t.hookPath);
    expect((await anon.post(t.hookPath!, { dealId: d.id })).status).toBe(404);
    expect((await anon.post(rotated.hookPath, { dealId: d.id })).body).toMatchObject({ status: 'skipped', reason: 'the deal is already in the stage' });

    // wrong tokens from one address: 404 until the limit, then 429 (even with the right token), until the window passes
    for (let i = 0; ; i++) {
      const res = await anon.post(`/automation/hooks/${wrong}`, { dealId: d.id });
      if (res.status === 429) break;
      expect(res.status).toBe(404);
      expect(i).toBeLessThan(HOOK_POLICY.failuresPerIp);
    }
    expect((await anon.post(rotated.hookPath, { dealId: d.id })).status).toBe(429);
    s.clock.advance(HOOK_POLICY.windowMs + 1000);
    expect((await anon.post(rotated.hookPath, { dealId: d.id })).status).toBe(200);

    // calls of one trigger per minute
    let limited = 0;
    for (let i = 0; i < HOOK_POLICY.callsPerTrigger + 1; i++) if ((await anon.post(rotated.hookPath, { dealId: d.id })).status === 429) limited++;
    expect(limited).toBeGreaterThanOrEqual(1);
    s.clock.advance(HOOK_POLICY.perTriggerWindowMs + 1000);

    // parallel guesses cannot all pass the limit: exactly failuresPerIp of them are looked at
    s.clock.advance(HOOK_POLICY.windowMs + 1000);
    const parallel = await Promise.all(Array.from({ length: HOOK_POLICY.failuresPerIp + 5 }, () => anon.post(`/automation/hooks/${wrong}`, { dealId: d.id })));
    expect(parallel.filter((x) => x.status === 404)).toHaveLength(HOOK_POLICY.failuresPerIp);
    expect(parallel.filter((x) => x.status === 429)).toHaveLength(5);
    s.clock.advance(HOOK_POLICY.windowMs + 1000);
    await cleanup(t);
    await s.admin.delete(`/automation/robots/${r.id}`);
    expect((await anon.post(rotated.hookPath, { dealId: d.id })).status).toBe(404);
  });

  it('idle: a deal with nothing happening for N days moves (the hourly job, the clock moved), once', async () => {
    const t = await trigger({ stageId: stages[1]!.id, type: 'idle', name: 'Зависла', params: { days: 3 } });
    const r = await robot(stages[1]!.id, 'Сделка зависла');
    const quiet = await newDeal('Тихая');
    const busy = await newDeal('Живая');
    s.clock.advance(2 * DAY);
    await engine.settle();
    expect((await deal(quiet.id)).stageId).toBe(stages[0]!.id);
    expect((await s.admin.post(`/deals/${busy.id}/timeline`, { text: 'Клиент звонил' })).status).toBe(201);
    s.clock.advance(DAY + HOUR);
    await engine.settle();
    expect((await deal(quiet.id)).stageId).toBe(stages[1]!.id);
    expect(await comments(quiet.id)).toEqual(['Сделка зависла']);
    expect((await deal(busy.id)).stageId).toBe(stages[0]!.id);
    expect((await automation(quiet.id)).triggers).toEqual([expect.objectContaining({ triggerId: t.id, status: 'moved' })]);

    // the next sweeps find nothing more to do for it; the busy one goes once it is idle too
    s.clock.advance(2 * HOUR);
    await engine.settle();
    expect((await automation(quiet.id)).triggers).toHaveLength(1);
    s.clock.advance(2 * DAY);
    await engine.settle();
    expect((await deal(busy.id)).stageId).toBe(stages[1]!.id);
    expect((await automation(busy.id)).triggers).toHaveLength(1);
    await cleanup(t);
    await s.admin.delete(`/automation/robots/${r.id}`);
  });

  it('keeps workspaces apart: another workspace sees none of the triggers, and its events fire none of them', async () => {
    const t = await trigger({ stageId: stages[1]!.id, type: 'field_changed', params: { field: 'deal.title' } });
    const other = await s.newWorkspace('Другая');
    expect((await other.admin.get(`/automation/triggers/${t.id}`)).status).toBe(404);
    expect((await other.admin.patch(`/automation/triggers/${t.id}`, { enabled: false, version: t.version })).status).toBe(404);
    expect((await other.admin.delete(`/automation/triggers/${t.id}`)).status).toBe(404);
    expect((await other.admin.get(`/automation/triggers?pipelineId=${pipelineId}`)).status).toBe(404);
    expect((await other.admin.post('/automation/triggers', { stageId: stages[1]!.id, type: 'activity_done' })).body.error.fields[0].path).toBe('stageId');

    const op = (await other.admin.get('/pipelines')).body.items[0];
    const theirs = (await other.admin.post('/deals', { title: 'Чужая', stageId: op.stages[0].id })).body;
    const v = (await other.admin.get(`/deals/${theirs.id}`)).body.version;
    expect((await other.admin.patch(`/deals/${theirs.id}`, { title: 'Чужая 2', version: v })).status).toBe(200);
    await engine.settle();
    expect((await other.admin.get(`/deals/${theirs.id}`)).body.stageId).toBe(op.stages[0].id);
    expect((await other.admin.get(`/deals/${theirs.id}/automation`)).body.triggers).toEqual([]);

    // a webhook of one workspace cannot move another's deal
    const hook = await trigger({ stageId: stages[2]!.id, type: 'inbound_webhook' });
    expect((await s.anon().post(hook.hookPath!, { dealId: theirs.id })).status).toBe(404);
    expect((await other.admin.get(`/deals/${theirs.id}`)).body.stageId).toBe(op.stages[0].id);
    await cleanup(t, hook);
  });
});
