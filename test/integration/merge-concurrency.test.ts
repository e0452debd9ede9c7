import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Opposite merges at once (A←B and B←A): on PostgreSQL they used to deadlock into two 500s.
// Rows are locked in id order now: one merge wins, the other finds its source gone.

describe.each(testDialects())('opposite merges at once on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(dialect);
  });
  afterAll(() => s?.close());

  const cases = [
    { path: 'contacts', body: (i: number, side: string) => ({ firstName: `Дубль${i}${side}`, lastName: 'Гонкин', phones: [{ value: `+7 916 111-${String(i).padStart(2, '0')}-${side === 'a' ? '01' : '02'}`, type: 'mobile' }] }) },
    { path: 'companies', body: (i: number, side: string) => ({ name: `ООО Гонка ${i}${side}` }) },
  ];

  for (const c of cases) {
    it(`${c.path}: one of A←B and B←A wins (200), the other gets 404; never 500, one record remains`, async () => {
      for (let round = 0; round < 6; round++) {
        const a = (await s.admin.post(`/${c.path}`, c.body(round, 'a'))).body.id as number;
        const b = (await s.admin.post(`/${c.path}`, c.body(round, 'b'))).body.id as number;
        const [ab, ba] = await Promise.all([
          s.admin.post(`/${c.path}/${a}/merge`, { sourceId: b }),
          s.admin.post(`/${c.path}/${b}/merge`, { sourceId: a }),
        ]);
        expect([ab.status, ba.status].sort(), JSON.stringify([ab.body, ba.body])).toEqual([200, 404]);
        const survivor = ab.status === 200 ? a : b;
        const gone = survivor === a ? b : a;
        expect((await s.admin.get(`/${c.path}/${survivor}`)).status).toBe(200);
        expect((await s.admin.get(`/${c.path}/${gone}`)).status).toBe(404);
      }
    });
  }
});
