import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/test-db.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ApiClient } from '../support/api-client.js';

// `ids` on GET /contacts, /companies and /users: the board asks for the names behind all its
// cards in one request. Only readable records of the caller's workspace come back.

const PASSWORD = 'correct horse battery';
let seq = 0;

const ids = (res: { body: { items: Array<{ id: number }> } }) => res.body.items.map((r) => r.id);
const paths = (res: { body: any }) => (res.body.error?.fields ?? []).map((f: { path: string }) => f.path);
const desc = (...list: number[]) => [...list].sort((a, b) => b - a);

describe.each(testDialects())('look-up by ids on %s', (dialect) => {
  let s: TestServer;
  let manager: ApiClient & { id: number };

  /** A user with the built-in manager role and no department: reads only their own contacts and companies. */
  const newManager = async (name: string) => {
    const roles = await s.admin.get('/roles');
    const role = roles.body.items.find((r: { code: string | null }) => r.code === 'manager');
    const email = `lookup${++seq}-${Date.now()}@test.local`;
    const created = await s.admin.post('/users', { email, name, password: PASSWORD, roleIds: [role.id] });
    expect(created.status).toBe(201);
    return Object.assign(await ApiClient.login(s.baseUrl, email, PASSWORD), { id: created.body.id as number, version: created.body.version as number });
  };

  beforeAll(async () => {
    s = await startTestServer(dialect);
    manager = await newManager('Менеджер Поиска');
  });
  afterAll(() => s?.close());

  for (const [segment, make] of [
    ['contacts', (name: string) => ({ firstName: name })],
    ['companies', (name: string) => ({ name })],
  ] as const) {
    describe(segment, () => {
      const create = async (client: ApiClient, name: string) => {
        const res = await client.post(`/${segment}`, make(name));
        expect(res.status).toBe(201);
        return res.body.id as number;
      };

      it('returns exactly the named records, as comma list or repeated parameter', async () => {
        const a = await create(s.admin, 'Альфа');
        const b = await create(s.admin, 'Бета');
        await create(s.admin, 'Гамма');
        const comma = await s.admin.get(`/${segment}`, { ids: `${a},${b},999999` });
        expect(comma.status).toBe(200);
        expect(ids(comma)).toEqual(desc(a, b));
        expect(comma.body.nextCursor).toBeNull();
        expect(ids(await s.admin.get(`/${segment}`, { ids: [a, b, a] }))).toEqual(desc(a, b));
        // the full records, as the list always gives them
        expect(comma.body.items[0]).toEqual((await s.admin.get(`/${segment}/${comma.body.items[0].id}`)).body);
        // other filters still apply, and a total counts the look-up
        const q = segment === 'contacts' ? 'альфа' : 'Альфа';
        expect((await s.admin.get(`/${segment}`, { ids: `${a},${b}`, q, withTotal: true })).body).toMatchObject({ items: [{ id: a }], total: 1 });
      });

      it('leaves out what the caller may not read and other workspaces\' records', async () => {
        const own = await create(manager, 'Своя');
        const admins = await create(s.admin, 'Чужая');
        expect(ids(await manager.get(`/${segment}`, { ids: `${own},${admins}` }))).toEqual([own]);
        expect(ids(await manager.get(`/${segment}`, { ids: `${admins}` }))).toEqual([]);
        expect(ids(await s.admin.get(`/${segment}`, { ids: `${own},${admins}` }))).toEqual(desc(own, admins));

        const other = await s.newWorkspace();
        const theirs = await create(other.admin, 'Другая фирма');
        expect(ids(await other.admin.get(`/${segment}`, { ids: `${own},${admins},${theirs}` }))).toEqual([theirs]);
        expect(ids(await s.admin.get(`/${segment}`, { ids: `${own},${theirs}` }))).toEqual([own]);
      });

      it('gives up to 100 records on one page unless a limit is asked for', async () => {
        const made: number[] = [];
        for (let i = 0; i < 60; i++) made.push(await create(s.admin, `Пачка ${i}`));
        const all = await s.admin.get(`/${segment}`, { ids: made.join(',') });
        expect(all.status).toBe(200);
        expect(ids(all)).toEqual(desc(...made));
        expect(all.body.nextCursor).toBeNull();
        // without ids the default page stays at 50
        expect((await s.admin.get(`/${segment}`)).body.items).toHaveLength(50);

        const first = await s.admin.get(`/${segment}`, { ids: made.slice(0, 3).join(','), limit: 2 });
        expect(ids(first)).toEqual(desc(...made.slice(0, 3)).slice(0, 2));
        const rest = await s.admin.get(`/${segment}`, { ids: made.slice(0, 3).join(','), limit: 2, cursor: first.body.nextCursor });
        expect(ids(rest)).toEqual([Math.min(...made.slice(0, 3))]);
      });

      it('refuses bad ids with a 400 naming the field', async () => {
        const cases: Array<[string, string]> = [
          ['abc', 'ids[0]'],
          ['1,x', 'ids[1]'],
          ['1,0', 'ids[1]'],
          ['-5', 'ids[0]'],
          ['1.5', 'ids[0]'],
          ['99999999999', 'ids[0]'],
          ['', 'ids'],
          [Array.from({ length: 101 }, (_, i) => i + 1).join(','), 'ids'],
        ];
        for (const [value, path] of cases) {
          const res = await s.admin.get(`/${segment}`, { ids: value });
          expect(res.status, value).toBe(400);
          expect(res.body.error.code).toBe('validation_failed');
          expect(paths(res), value).toEqual([path]);
        }
        const tooMany = await s.admin.get(`/${segment}`, { ids: Array.from({ length: 101 }, (_, i) => i + 1) });
        expect(tooMany.status).toBe(400);
        expect(tooMany.body.error.fields).toEqual([{ path: 'ids', message: 'at most 100 values' }]);
        expect((await s.admin.get(`/${segment}`, { ids: Array.from({ length: 100 }, (_, i) => i + 1).join(',') })).status).toBe(200);
      });
    });
  }

  describe('users', () => {
    it('looks users up by id, the deactivated ones too unless active is given', async () => {
      const gone = await newManager('Уволенный');
      const off = await s.admin.patch(`/users/${gone.id}`, { active: false, version: gone.version });
      expect(off.status).toBe(200);
      const adminId = s.admin.user.id as number;

      const res = await manager.get('/users', { ids: `${adminId},${gone.id},999999` });
      expect(res.status).toBe(200);
      expect(res.body.items.map((u: { id: number; active: boolean }) => [u.id, u.active]).sort()).toEqual(
        [
          [adminId, true],
          [gone.id, false],
        ].sort(),
      );
      expect(ids(await manager.get('/users', { ids: `${adminId},${gone.id}`, active: true }))).toEqual([adminId]);
      expect(ids(await manager.get('/users', { ids: `${adminId},${gone.id}`, active: false }))).toEqual([gone.id]);
      // the directory without ids still lists active users only
      expect(ids(await manager.get('/users', { limit: 500 }))).not.toContain(gone.id);

      const other = await s.newWorkspace();
      expect(ids(await other.admin.get('/users', { ids: `${adminId},${gone.id}` }))).toEqual([]);
      expect(ids(await s.admin.get('/users', { ids: `${adminId},${other.admin.user.id}` }))).toEqual([adminId]);
    });

    it('refuses bad ids with a 400 naming the field', async () => {
      for (const [value, path] of [
        ['me', 'ids[0]'],
        ['1,2,;', 'ids[2]'],
        [Array.from({ length: 101 }, (_, i) => i + 1).join(','), 'ids'],
      ] as const) {
        const res = await s.admin.get('/users', { ids: value });
        expect(res.status, value).toBe(400);
        expect(paths(res), value).toEqual([path]);
      }
    });
  });

  it('documents ids in the OpenAPI schema', async () => {
    const doc = (await s.anon().get('/api/openapi.json')).body;
    for (const path of ['/api/v1/contacts', '/api/v1/companies', '/api/v1/users']) {
      const param = doc.paths[path].get.parameters.find((p: { name: string }) => p.name === 'ids');
      expect(param, path).toMatchObject({ in: 'query', required: false, description: expect.stringContaining('comma-separated or repeated'), schema: { type: 'array', maxItems: 100 } });
    }
  });
});
