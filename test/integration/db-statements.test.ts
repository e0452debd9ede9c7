import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

// The PostgreSQL connection sends statements with parameters as named prepared statements
// (connection.ts): they must give what unnamed ones give, and a `*` statement must survive a
// migration that adds a column while the server runs (a prepared one would fail with "cached
// plan must not change result type").
describe.skipIf(!process.env.VORONKA_TEST_PG_URL)('statements on postgres', () => {
  let t: TestDb;
  let one: Db;
  beforeAll(async () => {
    t = await createTestDb('postgres');
    one = openDb(t.url, { poolSize: 1 }); // one connection: every statement meets its earlier preparation
  });
  afterAll(async () => {
    await one?.close();
    await t?.destroy();
  });

  it('answers a repeated statement with parameters from its preparation, each time for its own values', async () => {
    const names = await Promise.all(['a', 'b', 'c', 'a'].map((code) => sql<{ v: string }>`select ${code}::text as v`.execute(one.kysely)));
    expect(names.map((r) => r.rows[0]?.v)).toEqual(['a', 'b', 'c', 'a']);
    const stats = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(one.kysely);
    expect(stats.rows.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps * statements unprepared, so that a column added meanwhile is simply returned', async () => {
    const read = () => one.kysely.selectFrom('workspaces').selectAll().where('id', '>', 0).execute();
    await read();
    await read();
    await sql`alter table workspaces add column added_by_test integer`.execute(t.db.kysely);
    try {
      const rows = await read();
      for (const r of rows) expect(r).toHaveProperty('added_by_test');
      const ret = await one.kysely.updateTable('workspaces').set({ updated_at: sql`updated_at` }).where('id', '=', -1).returningAll().execute();
      expect(ret).toEqual([]);
    } finally {
      await sql`alter table workspaces drop column added_by_test`.execute(t.db.kysely);
    }
  });
});
