import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// When a required custom field of deals is enforced (docs/api-conventions.md, "Required fields"):
// on create always; on a move only into a success stage (422 required_fields_missing naming the
// fields), never into an in-progress or failure stage; a deal made before the field became
// required can be moved through the funnel and lost, but not won, until the field is filled in.

describe.each(testDialects())('required custom fields of deals on %s', (dialect) => {
  let s: TestServer;
  let stages: { first: number; second: number; won: number; lost: number };
  let lossReasonId: number;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const p = (await s.admin.get('/pipelines')).body.items.find((x: { isDefault: boolean }) => x.isDefault);
    const inProgress = p.stages.filter((st: { semantic: string }) => st.semantic === 'in_progress');
    stages = {
      first: inProgress[0].id,
      second: inProgress[1].id,
      won: p.stages.find((st: { semantic: string }) => st.semantic === 'success').id,
      lost: p.stages.find((st: { semantic: string }) => st.semantic === 'failure').id,
    };
    lossReasonId = (await s.admin.get('/reference-lists/loss-reasons/items')).body.items[0].id;
  });
  afterAll(() => s?.close());

  it('refuses a create without the field, and a move into the success stage of a deal that lacks it (422 naming the fields)', async () => {
    const old = (await s.admin.post('/deals', { title: 'Старая сделка' })).body;
    const older = (await s.admin.post('/deals', { title: 'Ещё одна старая' })).body;
    expect((await s.admin.post('/custom-fields', { entity: 'deal', code: 'budget', name: 'Бюджет', type: 'string', required: true })).status).toBe(201);
    expect((await s.admin.post('/custom-fields', { entity: 'deal', code: 'inn', name: 'ИНН', type: 'string', required: true })).status).toBe(201);
    expect((await s.admin.post('/custom-fields', { entity: 'deal', code: 'note', name: 'Заметка', type: 'string' })).status).toBe(201);

    // create: every required field
    const bare = await s.admin.post('/deals', { title: 'Новая', stageId: stages.first });
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['custom.budget', 'custom.inn']);
    const full = await s.admin.post('/deals', { title: 'Новая', stageId: stages.first, custom: { budget: '100 тыс.', inn: '7700000000' } });
    expect(full.status).toBe(201);

    // in-progress and failure stages: not checked
    const second = await s.admin.post(`/deals/${old.id}/move`, { stageId: stages.second });
    expect(second.status).toBe(200);
    const lost = await s.admin.post(`/deals/${older.id}/move`, { stageId: stages.lost, lossReasonId });
    expect(lost.status).toBe(200);
    expect(lost.body.closed).toBe(true);

    // the success stage: refused, nothing written
    const refused = await s.admin.post(`/deals/${old.id}/move`, { stageId: stages.won });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'rule_violation',
      rule: 'required_fields_missing',
      params: { fields: '«Бюджет», «ИНН»', count: 2, stage: expect.any(String) },
      fields: [
        { path: 'custom.budget', message: expect.any(String) },
        { path: 'custom.inn', message: expect.any(String) },
      ],
    });
    const still = (await s.admin.get(`/deals/${old.id}`)).body;
    expect(still).toMatchObject({ stageId: stages.second, closed: false, version: second.body.version });
    const history = (await s.admin.get(`/deals/${old.id}/stage-history`)).body.items;
    expect(history.at(-1)).toMatchObject({ stageId: stages.second, exitedAt: null });
    // a lost deal is not won either without the fields
    expect((await s.admin.post(`/deals/${older.id}/move`, { stageId: stages.won })).status).toBe(422);

    // one of the two filled in: the rule names the other
    const half = await s.admin.patch(`/deals/${old.id}`, { version: still.version, custom: { budget: '50 тыс.' } });
    expect(half.status).toBe(400); // a write of custom values checks every required field, too
    const both = await s.admin.patch(`/deals/${old.id}`, { version: still.version, custom: { budget: '50 тыс.', inn: '7700000001' } });
    expect(both.status).toBe(200);
    const won = await s.admin.post(`/deals/${old.id}/move`, { stageId: stages.won });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ stageId: stages.won, closed: true });

    // a deal created with its fields moves into success at once; reordering within the stage is no stage move
    expect((await s.admin.post(`/deals/${full.body.id}/move`, { stageId: stages.won })).status).toBe(200);
    expect((await s.admin.post(`/deals/${full.body.id}/move`, { stageId: stages.won, afterId: old.id })).status).toBe(200);
  });

  it('the rule has a wording in both languages of the web app', async () => {
    const { default: ru } = await import('../../web/src/i18n/ru.json', { with: { type: 'json' } });
    const { default: en } = await import('../../web/src/i18n/en.json', { with: { type: 'json' } });
    expect(ru.errors.rules.required_fields_missing).toContain('{{fields}}');
    expect(en.errors.rules.required_fields_missing).toContain('{{fields}}');
  });
});
