import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

const PASSWORD = 'correct horse battery';
let seq = 0;

/** A manager (built-in role 'manager', not an administrator) of the admin's workspace, logged in. */
async function newManager(s: TestServer, admin: ApiClient = s.admin): Promise<ApiClient> {
  const roles = await admin.get('/roles');
  const manager = roles.body.items.find((r: { code: string | null }) => r.code === 'manager');
  const email = `manager${++seq}-${Date.now()}@test.local`;
  const created = await admin.post('/users', { email, name: 'Менеджер', password: PASSWORD, roleIds: [manager.id] });
  expect(created.status).toBe(201);
  return ApiClient.login(s.baseUrl, email, PASSWORD);
}

const basic = [
  { name: 'Первичный контакт', color: '#112233', semantic: 'in_progress' },
  { name: 'Переговоры', color: '#445566', semantic: 'in_progress' },
  { name: 'Выиграна', color: '#00AA00', semantic: 'success' },
  { name: 'Отказ', color: '#aa0000', semantic: 'failure' },
  { name: 'Не дозвонились', color: '#aa0001', semantic: 'failure', requiresLossReason: false },
];

describe.each(testDialects())('pipelines on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  const createPipeline = async (name: string, stages: unknown[] = basic) => {
    const res = await s.admin.post('/pipelines', { name, stages });
    expect(res.status).toBe(201);
    return res.body;
  };
  const createDeal = async (pipelineId: number, stageId: number, title = 'Сделка') => {
    const res = await s.admin.post('/deals', { title, pipelineId, stageId });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('gives a new workspace the default pipeline with the seed stages in order', async () => {
    const res = await s.admin.get('/pipelines');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const p = res.body.items[0];
    expect(p).toMatchObject({ isDefault: true, version: 1 });
    expect(p.stages.map((st: any) => [st.name, st.semantic, st.pipelineId])).toEqual([
      ['Новая', 'in_progress', p.id],
      ['В работе', 'in_progress', p.id],
      ['Предложение/счёт отправлен', 'in_progress', p.id],
      ['Успешно', 'success', p.id],
      ['Провалена', 'failure', p.id],
    ]);
    expect(p.stages.map((st: any) => st.sort)).toEqual([10, 20, 30, 40, 50]);
    expect(p.stages[4].requiresLossReason).toBe(true);
    expect(p.stages[0]).toMatchObject({ color: expect.stringMatching(/^#[0-9a-f]{6}$/), version: 1, createdAt: expect.any(String) });
    expect((await s.admin.get(`/pipelines/${p.id}/stages`)).body.items).toEqual(p.stages);
  });

  it('serves the contract methods other modules use', async () => {
    const svc = s.ctx.services.pipelines;
    const db = s.ctx.db.kysely;
    const def = await svc.defaultPipeline(db, s.workspaceId);
    expect(def.isDefault).toBe(true);
    const first = await svc.firstStage(db, s.workspaceId, def.id);
    expect(first).toMatchObject({ name: 'Новая', semantic: 'in_progress', pipelineId: def.id });
    expect(await svc.getStage(db, s.workspaceId, def.stages[4]!.id)).toMatchObject({ semantic: 'failure', requiresLossReason: true });
    const other = await s.newWorkspace();
    expect(await svc.getStage(db, other.workspaceId, def.stages[0]!.id)).toBeNull();
    expect(await svc.getPipeline(db, other.workspaceId, def.id)).toBeNull();
    expect(await svc.firstStage(db, other.workspaceId, def.id)).toBeNull();
  });

  it('creates a pipeline with its stages, or with a basic set', async () => {
    const p = await createPipeline('Опт');
    expect(p.stages.map((st: any) => st.name)).toEqual(basic.map((b) => b.name));
    expect(p.stages[2].color).toBe('#00aa00');
    expect(p.stages.map((st: any) => st.requiresLossReason)).toEqual([false, false, false, true, false]);
    expect(p.isDefault).toBe(false);

    const plain = await s.admin.post('/pipelines', { name: 'Простая' });
    expect(plain.status).toBe(201);
    expect(plain.body.stages.map((st: any) => [st.name, st.semantic])).toEqual([
      ['Новая', 'in_progress'],
      ['В работе', 'in_progress'],
      ['Успешно', 'success'],
      ['Провалена', 'failure'],
    ]);
    expect((await s.admin.get(`/pipelines/${plain.body.id}`)).body).toEqual(plain.body);
  });

  it('refuses a pipeline whose stages break the rules, naming the field', async () => {
    const twoSuccesses = await s.admin.post('/pipelines', {
      name: 'x',
      stages: [basic[0], basic[2], { ...basic[2], name: 'Ещё успех' }, basic[3]],
    });
    expect(twoSuccesses.status).toBe(422);
    expect(twoSuccesses.body.error).toMatchObject({ code: 'rule_violation', rule: 'stage_one_success', fields: [{ path: 'stages[2].semantic' }] });

    const noFailure = await s.admin.post('/pipelines', { name: 'x', stages: [basic[0], basic[2]] });
    expect(noFailure.status).toBe(422);
    expect(noFailure.body.error.fields[0].path).toBe('stages');

    const failureFirst = await s.admin.post('/pipelines', { name: 'x', stages: [basic[3], basic[0], basic[2]] });
    expect(failureFirst.status).toBe(422);
    expect(failureFirst.body.error.fields[0].path).toBe('stages[1].semantic');

    const lossOnOpen = await s.admin.post('/pipelines', { name: 'x', stages: [{ ...basic[0], requiresLossReason: true }, basic[2], basic[3]] });
    expect(lossOnOpen.status).toBe(422);
    expect(lossOnOpen.body.error.fields[0].path).toBe('stages[0].requiresLossReason');

    const badInput = await s.admin.post('/pipelines', { name: '', stages: [{ ...basic[0], color: 'red' }], extra: 1 });
    expect(badInput.status).toBe(400);
    expect(badInput.body.error.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['name', 'stages[0].color', 'extra']));
    const count = (await s.admin.get('/pipelines')).body.items.filter((p: any) => p.name === 'x').length;
    expect(count).toBe(0);
  });

  it('adds stages where they belong, or where asked if the order stays valid', async () => {
    const p = await createPipeline('Добавление');
    const added = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Счёт', color: '#abcdef', semantic: 'in_progress' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ pipelineId: p.id, name: 'Счёт', requiresLossReason: false, version: 1 });
    const lost = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Пропал', color: '#abcdef', semantic: 'failure' });
    expect(lost.body.requiresLossReason).toBe(true);
    const first = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Лид', color: '#abcdef', semantic: 'in_progress', position: 0 });
    expect(first.status).toBe(201);

    const after = (await s.admin.get(`/pipelines/${p.id}`)).body;
    expect(after.stages.map((st: any) => st.name)).toEqual(['Лид', 'Первичный контакт', 'Переговоры', 'Счёт', 'Выиграна', 'Отказ', 'Не дозвонились', 'Пропал']);
    expect(after.stages.map((st: any) => st.sort)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(after.version).toBeGreaterThan(p.version);

    const secondSuccess = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Ура', color: '#abcdef', semantic: 'success' });
    expect(secondSuccess.status).toBe(422);
    expect(secondSuccess.body.error.fields[0].path).toBe('semantic');
    const badPlace = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Рано', color: '#abcdef', semantic: 'failure', position: 0 });
    expect(badPlace.status).toBe(422);
    expect(badPlace.body.error.fields[0].path).toBe('position');
    const tooFar = await s.admin.post(`/pipelines/${p.id}/stages`, { name: 'Далеко', color: '#abcdef', semantic: 'failure', position: 20 });
    expect(tooFar.status).toBe(400);
    expect((await s.admin.get(`/pipelines/${p.id}`)).body.stages).toHaveLength(8);
  });

  it('renames and recolours a stage with optimistic concurrency, and guards its semantic', async () => {
    const p = await createPipeline('Правка');
    const st = p.stages[0];
    const renamed = await s.admin.patch(`/pipelines/${p.id}/stages/${st.id}`, { name: 'Звонок', color: '#FFFFFF', version: st.version });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Звонок', color: '#ffffff', version: st.version + 1 });

    const stale = await s.admin.patch(`/pipelines/${p.id}/stages/${st.id}`, { name: 'Старое', version: st.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', current: { name: 'Звонок' } });
    const viaHeader = await s.admin.request('PATCH', `/pipelines/${p.id}/stages/${st.id}`, { name: 'Звонок 2' }, { 'if-match': `"${renamed.body.version}"` });
    expect(viaHeader.status).toBe(200);
    const noVersion = await s.admin.patch(`/pipelines/${p.id}/stages/${st.id}`, { name: 'Без версии' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.fields[0].path).toBe('version');

    const success = p.stages[2];
    const noSuccessLeft = await s.admin.patch(`/pipelines/${p.id}/stages/${success.id}`, { semantic: 'failure', version: success.version });
    expect(noSuccessLeft.status).toBe(422);
    expect(noSuccessLeft.body.error).toMatchObject({ code: 'rule_violation', fields: [{ path: 'semantic' }] });
    const lossOnOpen = await s.admin.patch(`/pipelines/${p.id}/stages/${p.stages[1].id}`, { requiresLossReason: true, version: 1 });
    expect(lossOnOpen.status).toBe(422);
    expect(lossOnOpen.body.error.fields[0].path).toBe('requiresLossReason');

    // an in-progress stage turned failure would stand before the success stage
    const wrongPlace = await s.admin.patch(`/pipelines/${p.id}/stages/${p.stages[1].id}`, { semantic: 'failure', version: 1 });
    expect(wrongPlace.status).toBe(422);
    expect(wrongPlace.body.error.message).toMatch(/order/);
    const lastFailure = p.stages[4];
    const ok = await s.admin.patch(`/pipelines/${p.id}/stages/${lastFailure.id}`, { requiresLossReason: true, version: lastFailure.version });
    expect(ok.status).toBe(200);
    expect(ok.body.requiresLossReason).toBe(true);
  });

  it('refuses to change the semantic of a stage that holds deals', async () => {
    const p = await createPipeline('Семантика', [basic[0], basic[1], basic[2], basic[3]]);
    const st = p.stages[1];
    await createDeal(p.id, st.id);
    // Checked before the order rules: the deal would silently close, whatever the order says.
    const res = await s.admin.patch(`/pipelines/${p.id}/stages/${st.id}`, { semantic: 'failure', version: st.version });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rule_violation', rule: 'stage_has_deals', params: { count: 1 }, message: expect.stringMatching(/holds 1 deal/), fields: [{ path: 'semantic' }] });
    expect((await s.admin.get(`/pipelines/${p.id}`)).body.stages[1]).toMatchObject({ semantic: 'in_progress', version: st.version });
  });

  it('reorders stages as a whole and keeps the order rules', async () => {
    const p = await createPipeline('Порядок');
    const [a, b, win, lose1, lose2] = p.stages.map((st: any) => st.id);
    const res = await s.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: [b, a, win, lose2, lose1] });
    expect(res.status).toBe(200);
    expect(res.body.stages.map((st: any) => st.id)).toEqual([b, a, win, lose2, lose1]);
    expect(res.body.stages.map((st: any) => st.sort)).toEqual([10, 20, 30, 40, 50]);

    const closingFirst = await s.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: [win, a, b, lose1, lose2] });
    expect(closingFirst.status).toBe(422);
    expect(closingFirst.body.error.fields[0].path).toBe('stageIds[1]');
    const missing = await s.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: [a, b, win, lose1] });
    expect(missing.status).toBe(400);
    const twice = await s.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: [a, a, win, lose1, lose2] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields[0].path).toBe('stageIds[1]');
    const foreign = await s.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: [a, b, win, lose1, 999999] });
    expect(foreign.status).toBe(400);
    expect((await s.admin.get(`/pipelines/${p.id}`)).body.stages.map((st: any) => st.id)).toEqual([b, a, win, lose2, lose1]);
  });

  it('refuses to delete a stage that holds deals without a target; with one, every deal moves and its history says so', async () => {
    const p = await createPipeline('Удаление');
    const [from, to] = p.stages;
    const deals = [await createDeal(p.id, from.id, 'Первая'), await createDeal(p.id, from.id, 'Вторая'), await createDeal(p.id, from.id, 'Третья')];
    const untouched = await createDeal(p.id, to.id, 'Чужая');

    const refused = await s.admin.delete(`/pipelines/${p.id}/stages/${from.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', fields: [{ path: 'moveToStageId' }] });
    expect((await s.admin.get(`/pipelines/${p.id}`)).body.stages).toHaveLength(5);

    const otherPipeline = (await s.admin.get('/pipelines')).body.items.find((x: any) => x.isDefault);
    const wrongTarget = await s.admin.delete(`/pipelines/${p.id}/stages/${from.id}?moveTo=${otherPipeline.stages[0].id}`);
    expect(wrongTarget.status).toBe(400);
    expect(wrongTarget.body.error.fields[0].path).toBe('moveToStageId');
    const itself = await s.admin.delete(`/pipelines/${p.id}/stages/${from.id}`, { moveToStageId: from.id });
    expect(itself.status).toBe(400);

    const done = await s.admin.delete(`/pipelines/${p.id}/stages/${from.id}?moveTo=${to.id}`);
    expect(done.status).toBe(204);
    const after = (await s.admin.get(`/pipelines/${p.id}`)).body;
    expect(after.stages.map((st: any) => st.id)).not.toContain(from.id);
    expect(after.stages.map((st: any) => st.sort)).toEqual([10, 20, 30, 40]);

    for (const d of deals) {
      const deal = (await s.admin.get(`/deals/${d.id}`)).body;
      expect(deal.stageId).toBe(to.id);
      const history = (await s.admin.get(`/deals/${d.id}/stage-history`)).body.items;
      expect(history.map((h: any) => h.stageId)).toEqual(expect.arrayContaining([from.id, to.id]));
      const left = history.find((h: any) => h.stageId === from.id);
      expect(left.exitedAt).not.toBeNull();
      expect(history.find((h: any) => h.stageId === to.id).exitedAt).toBeNull();
      const timeline = (await s.admin.get(`/deals/${d.id}/timeline`)).body.items;
      expect(timeline.find((e: any) => e.kind === 'stage_moved')?.data).toMatchObject({ from: { stageId: from.id }, to: { stageId: to.id } });
    }
    const stayed = (await s.admin.get(`/deals/${untouched.id}/timeline`)).body.items;
    expect(stayed.some((e: any) => e.kind === 'stage_moved')).toBe(false);
  });

  it('deletes an empty stage without a target, and moves deals named in the body', async () => {
    const p = await createPipeline('Удаление 2');
    const empty = p.stages[1];
    expect((await s.admin.delete(`/pipelines/${p.id}/stages/${empty.id}`)).status).toBe(204);
    const lose1 = p.stages[3];
    const lose2 = p.stages[4];
    const deal = await createDeal(p.id, p.stages[0].id);
    const moved = await s.admin.post(`/deals/${deal.id}/move`, { stageId: lose2.id, version: deal.version });
    expect(moved.status).toBe(200);
    expect((await s.admin.delete(`/pipelines/${p.id}/stages/${lose2.id}`, { moveToStageId: lose1.id })).status).toBe(204);
    expect((await s.admin.get(`/deals/${deal.id}`)).body.stageId).toBe(lose1.id);
  });

  it('never deletes the only success stage or the last failure stage', async () => {
    const p = await createPipeline('Минимум', [basic[0], basic[2], basic[3]]);
    const onlySuccess = await s.admin.delete(`/pipelines/${p.id}/stages/${p.stages[1].id}`);
    expect(onlySuccess.status).toBe(422);
    expect(onlySuccess.body.error).toMatchObject({ code: 'rule_violation', fields: [{ path: 'stageId' }] });
    expect((await s.admin.delete(`/pipelines/${p.id}/stages/${p.stages[2].id}`)).status).toBe(422);
    expect((await s.admin.delete(`/pipelines/${p.id}/stages/${p.stages[0].id}`)).status).toBe(422);
    expect((await s.admin.delete(`/pipelines/${p.id}/stages/999999`)).status).toBe(404);
  });

  it('keeps exactly one default pipeline', async () => {
    const list = (await s.admin.get('/pipelines')).body.items;
    const oldDefault = list.find((x: any) => x.isDefault);
    const p = await createPipeline('Новая по умолчанию');
    const made = await s.admin.patch(`/pipelines/${p.id}`, { isDefault: true, name: 'Главная', version: p.version });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ isDefault: true, name: 'Главная', version: p.version + 1 });
    const after = (await s.admin.get('/pipelines')).body.items;
    expect(after.filter((x: any) => x.isDefault).map((x: any) => x.id)).toEqual([p.id]);
    expect((await s.ctx.services.pipelines.defaultPipeline(s.ctx.db.kysely, s.workspaceId)).id).toBe(p.id);

    const unset = await s.admin.patch(`/pipelines/${p.id}`, { isDefault: false, version: made.body.version });
    expect(unset.status).toBe(422);
    expect(unset.body.error.fields[0].path).toBe('isDefault');

    // deleting the default hands the flag to another pipeline
    expect((await s.admin.delete(`/pipelines/${p.id}`)).status).toBe(204);
    const remaining = (await s.admin.get('/pipelines')).body.items;
    expect(remaining.filter((x: any) => x.isDefault)).toHaveLength(1);
    expect(remaining.map((x: any) => x.id)).not.toContain(p.id);
    const restore = remaining.find((x: any) => x.id === oldDefault.id);
    if (!restore.isDefault) await s.admin.patch(`/pipelines/${restore.id}`, { isDefault: true, version: restore.version });
  });

  it('deletes only empty pipelines and never the last one', async () => {
    const p = await createPipeline('С делкой');
    const deal = await createDeal(p.id, p.stages[0].id);
    const refused = await s.admin.delete(`/pipelines/${p.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await s.admin.get(`/deals/${deal.id}`)).status).toBe(200);
    expect((await s.admin.get(`/pipelines/${p.id}`)).status).toBe(200);

    const other = await s.newWorkspace();
    const only = (await other.admin.get('/pipelines')).body.items[0];
    const last = await other.admin.delete(`/pipelines/${only.id}`);
    expect(last.status).toBe(422);
    expect(last.body.error).toMatchObject({ code: 'rule_violation', rule: 'last_pipeline' });

    const empty = await createPipeline('Пустая');
    expect((await s.admin.delete(`/pipelines/${empty.id}`)).status).toBe(204);
    expect((await s.admin.get(`/pipelines/${empty.id}`)).status).toBe(404);
    expect(await s.ctx.services.pipelines.getStage(s.ctx.db.kysely, s.workspaceId, empty.stages[0].id)).toBeNull();
  });

  it('takes the role grants narrowed to a deleted pipeline with it, in the same transaction', async () => {
    const doomed = await createPipeline('Тендеры');
    const kept = await createPipeline('Розница');
    const role = await s.admin.post('/roles', {
      name: 'Тендерный отдел',
      permissions: [
        { entity: 'deal', action: 'read', level: 'all', pipelineId: doomed.id },
        { entity: 'deal', action: 'update', level: 'own', pipelineId: doomed.id },
        { entity: 'deal', action: 'read', level: 'own', pipelineId: kept.id },
        { entity: 'contact', action: 'read', level: 'own' },
      ],
    });
    expect(role.status).toBe(201);
    const untouched = (await s.admin.post('/roles', { name: 'Без сужений', permissions: [{ entity: 'deal', action: 'read', level: 'own' }] })).body;
    const grantsNaming = async (pipelineId: number) =>
      Number(
        (await s.ctx.db.kysely.selectFrom('role_permissions').select((eb) => eb.fn.countAll<number>().as('n')).where('pipeline_id', '=', pipelineId).executeTakeFirstOrThrow()).n,
      );
    expect(await grantsNaming(doomed.id)).toBe(2);

    // A refused deletion (the pipeline holds a deal) keeps the grants.
    const deal = await createDeal(doomed.id, doomed.stages[0].id);
    expect((await s.admin.delete(`/pipelines/${doomed.id}`)).status).toBe(409);
    expect(await grantsNaming(doomed.id)).toBe(2);
    expect((await s.admin.delete(`/deals/${deal.id}`)).status).toBe(204);

    expect((await s.admin.delete(`/pipelines/${doomed.id}`)).status).toBe(204);
    expect(await grantsNaming(doomed.id)).toBe(0);
    const after = await s.admin.get(`/roles/${role.body.id}`);
    expect(after.body.permissions).toEqual([
      { entity: 'deal', action: 'read', level: 'own', pipelineId: kept.id },
      { entity: 'contact', action: 'read', level: 'own', pipelineId: null },
    ]);
    // the role changed, so an edit based on the old list is a conflict rather than a silent overwrite
    expect(after.body.version).toBe(role.body.version + 1);
    expect((await s.admin.get(`/roles/${untouched.id}`)).body.version).toBe(untouched.version);
    // and the role still saves with what is left
    const saved = await s.admin.patch(`/roles/${role.body.id}`, { version: after.body.version, permissions: after.body.permissions });
    expect(saved.status).toBe(200);
  });

  it('lets everyone read pipelines but only administrators change them', async () => {
    const manager = await newManager(s);
    const p = await createPipeline('Только админ');
    const list = await manager.get('/pipelines');
    expect(list.status).toBe(200);
    expect(list.body.items.map((x: any) => x.id)).toContain(p.id);
    expect((await manager.get(`/pipelines/${p.id}`)).status).toBe(200);
    const st = p.stages[0];
    const writes = [
      await manager.post('/pipelines', { name: 'Моя' }),
      await manager.patch(`/pipelines/${p.id}`, { name: 'Моя', version: p.version }),
      await manager.delete(`/pipelines/${p.id}`),
      await manager.post(`/pipelines/${p.id}/stages`, { name: 'Моя', color: '#000000', semantic: 'in_progress' }),
      await manager.patch(`/pipelines/${p.id}/stages/${st.id}`, { name: 'Моя', version: st.version }),
      await manager.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: p.stages.map((x: any) => x.id) }),
      await manager.delete(`/pipelines/${p.id}/stages/${st.id}`),
    ];
    expect(writes.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect((await s.admin.get(`/pipelines/${p.id}`)).body).toMatchObject({ name: 'Только админ', version: p.version });
    expect((await s.anon().get('/pipelines')).status).toBe(401);
  });

  it('keeps workspaces apart', async () => {
    const p = await createPipeline('Секретная');
    const st = p.stages[0];
    const other = await s.newWorkspace();
    const theirs = await other.admin.get('/pipelines');
    expect(theirs.body.items.map((x: any) => x.id)).not.toContain(p.id);
    const calls = [
      await other.admin.get(`/pipelines/${p.id}`),
      await other.admin.get(`/pipelines/${p.id}/stages`),
      await other.admin.patch(`/pipelines/${p.id}`, { name: 'Взлом', version: p.version }),
      await other.admin.delete(`/pipelines/${p.id}`),
      await other.admin.post(`/pipelines/${p.id}/stages`, { name: 'Взлом', color: '#000000', semantic: 'in_progress' }),
      await other.admin.patch(`/pipelines/${p.id}/stages/${st.id}`, { name: 'Взлом', version: st.version }),
      await other.admin.post(`/pipelines/${p.id}/stages/reorder`, { stageIds: p.stages.map((x: any) => x.id) }),
      await other.admin.delete(`/pipelines/${p.id}/stages/${st.id}`),
    ];
    expect(calls.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    // a stage id of this workspace under the other workspace's own pipeline is not found either
    const ownP = theirs.body.items[0];
    expect((await other.admin.patch(`/pipelines/${ownP.id}/stages/${st.id}`, { name: 'Взлом', version: 1 })).status).toBe(404);
    expect((await s.admin.get(`/pipelines/${p.id}`)).body).toEqual(p);
  });

  it('answers bad ids and parameters with 400, not 500', async () => {
    expect((await s.admin.get('/pipelines/abc')).status).toBe(400);
    expect((await s.admin.get('/pipelines/0')).status).toBe(400);
    expect((await s.admin.delete('/pipelines/1/stages/1?moveTo=x')).status).toBe(400);
    expect((await s.admin.delete('/pipelines/1/stages/1?other=1')).status).toBe(400);
    expect((await s.admin.post('/pipelines/1/stages/reorder', { stageIds: [] })).status).toBe(400);
    expect((await s.admin.patch('/pipelines/1', { name: 'x'.repeat(101), version: 1 })).status).toBe(400);
    // NUL cannot be stored in PostgreSQL text: refused up front instead of failing in the database
    const nul = await s.admin.post('/pipelines', { name: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.fields[0].path).toBe('name');
    expect((await s.admin.post('/pipelines/1/stages', { name: 'a\u0000', color: '#000000', semantic: 'in_progress' })).status).toBe(400);
  });
});
