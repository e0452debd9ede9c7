import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, startTestServer, type TestServer } from '../support/test-server.js';
import { testDialects } from '../support/test-db.js';
import { automationDriver } from '../support/automation.js';

// change_responsible over a department (robot-types/deal-changes.ts): the pool is the department's
// active users at the time of the run (its sub-departments too when asked), in turn or to the least
// loaded; checked when saved; a department emptied or deleted later is flagged on the robot and its
// runs are skipped with the reason.

describe.each(testDialects())('change_responsible over a department on %s', (dialect) => {
  let s: TestServer;
  let engine: ReturnType<typeof automationDriver>;
  let stages: Array<{ id: number }>;
  let sales: number;
  let group: number;
  const u = {} as Record<'a1' | 'a2' | 'a3' | 'b1', number>;

  const dept = async (name: string, parentId?: number) => {
    const res = await s.admin.post('/departments', { name, parentId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const robot = async (stageId: number, params: Record<string, unknown>) => {
    const res = await s.admin.post('/automation/robots', { stageId, type: 'change_responsible', params });
    return res;
  };
  const responsibleOf = async (id: number) => (await s.admin.get(`/deals/${id}`)).body.responsibleId as number;
  const dealsInto = async (stageId: number, n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push((await s.admin.post('/deals', { title: `Сделка ${stageId}-${i}`, stageId })).body.id);
    await engine.settle();
    return ids;
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    engine = automationDriver(s);
    stages = (await s.admin.get('/pipelines')).body.items[0].stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    expect(stages.length).toBeGreaterThanOrEqual(3);
    sales = await dept('Продажи');
    group = await dept('Группа 1', sales);
    for (const [k, d] of [['a1', sales], ['a2', sales], ['a3', sales], ['b1', group]] as const) {
      u[k] = (await addUser(s, `${k}-pool-${dialect}@test.local`, 'manager', { name: k, departmentId: d })).id;
    }
    const a3 = (await s.admin.get(`/users/${u.a3}`)).body;
    expect((await s.admin.patch(`/users/${u.a3}`, { active: false, version: a3.version })).status).toBe(200);
  });
  afterAll(async () => {
    await engine?.stop();
    await s?.close();
  });

  it('refuses a pool that names both or neither, a department that does not exist, sub-departments without one', async () => {
    const paths = async (params: Record<string, unknown>) => {
      const res = await robot(stages[0]!.id, params);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.fields.map((e: { path: string }) => e.path) as string[];
    };
    expect(await paths({ userIds: [u.a1], departmentId: sales })).toEqual(['params.departmentId']);
    expect(await paths({ mode: 'round_robin' })).toEqual(['params.userIds']);
    expect(await paths({ departmentId: 999_999 })).toEqual(['params.departmentId']);
    expect(await paths({ userIds: [u.a1], includeSubdepartments: true })).toEqual(['params.includeSubdepartments']);
  });

  it('round-robin over the department’s active users (the inactive one skipped)', async () => {
    const r = await robot(stages[0]!.id, { departmentId: sales, mode: 'round_robin' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const deals = await dealsInto(stages[0]!.id, 4);
    expect(await Promise.all(deals.map(responsibleOf))).toEqual([u.a1, u.a2, u.a1, u.a2]);
    expect((await s.admin.patch(`/automation/robots/${r.body.id}`, { enabled: false, version: r.body.version })).status).toBe(200);
  });

  it('least loaded over the department and its sub-departments', async () => {
    const r = await robot(stages[1]!.id, { departmentId: sales, includeSubdepartments: true, mode: 'least_loaded' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    // a1 and a2 have two open deals each from the test before; b1 none
    const [first] = await dealsInto(stages[1]!.id, 1);
    expect(await responsibleOf(first!)).toBe(u.b1);
    expect((await s.admin.patch(`/automation/robots/${r.body.id}`, { enabled: false, version: r.body.version })).status).toBe(200);
  });

  it('a department emptied, then deleted, is flagged on the robot and its runs are skipped with the reason', async () => {
    const solo = await dept('Временный отдел');
    const e1 = await addUser(s, `e1-pool-${dialect}@test.local`, 'manager', { name: 'e1', departmentId: solo });
    const r = await robot(stages[2]!.id, { departmentId: solo });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const user = (await s.admin.get(`/users/${e1.id}`)).body;
    expect((await s.admin.patch(`/users/${e1.id}`, { departmentId: null, version: user.version })).status).toBe(200);
    const problemsOf = async () => ((await s.admin.get(`/automation/robots/${r.body.id}`)).body.problems as Array<{ path: string; message: string }>);
    expect(await problemsOf()).toEqual([{ path: 'params.departmentId', message: `department ${solo} has no active users` }]);
    expect((await s.admin.delete(`/departments/${solo}`)).status).toBe(204);
    expect(await problemsOf()).toEqual([{ path: 'params.departmentId', message: `department ${solo} does not exist` }]);
    const [deal] = await dealsInto(stages[2]!.id, 1);
    const runs = (await s.admin.get(`/deals/${deal}/automation`)).body.items as Array<{ status: string; reason: string }>;
    expect(runs[0]).toMatchObject({ status: 'skipped', reason: `params.departmentId: department ${solo} does not exist` });
  });
});
