import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe.each(testDialects())('concurrent pipeline defaults on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  const defaults = async () =>
    (await s.testDb.db.kysely.selectFrom('pipelines').select('id').where('workspace_id', '=', s.workspaceId).where('is_default', '=', 1).execute()).map((r) => r.id);

  // clearing the old default bumps that pipeline's version, so a PATCH based on the version before may get 409
  it('several "make default" at once leave exactly one default: each is 200 or 409 version_conflict, never 500', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await s.admin.post('/pipelines', { name: `Воронка ${i}` })).body.id);
    for (let round = 0; round < 3; round++) {
      const current = await Promise.all(ids.map(async (id) => (await s.admin.get(`/pipelines/${id}`)).body.version as number));
      const results = await Promise.all(ids.map((id, i) => s.admin.patch(`/pipelines/${id}`, { isDefault: true, version: current[i] })));
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
      for (const r of results.filter((x) => x.status !== 200)) expect([r.status, r.body.error.code]).toEqual([409, 'version_conflict']);
      const now = await defaults();
      expect(now).toHaveLength(1);
      expect(ids).toContain(now[0]);
    }
  });

  it('creating default pipelines at once leaves exactly one default', async () => {
    const results = await Promise.all([0, 1, 2].map((i) => s.admin.post('/pipelines', { name: `Новая по умолчанию ${i}`, isDefault: true })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(await defaults()).toHaveLength(1);
  });

  it('the database refuses a second default however it is written', async () => {
    const other = (await s.admin.post('/pipelines', { name: 'Вторая' })).body.id as number;
    await expect(s.testDb.db.kysely.updateTable('pipelines').set({ is_default: 1 }).where('id', '=', other).execute()).rejects.toThrow();
    expect(await defaults()).toHaveLength(1);
  });
});
