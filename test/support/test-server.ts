import type { FastifyInstance } from 'fastify';
import type { DialectName } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { ManualClock, RunningClock, type SettableClock } from '../../src/server/clock.js';
import type { AppContext } from '../../src/server/context.js';
import { createWorkspace } from '../../src/modules/workspaces/create-workspace.js';
import { createTestDb, type TestDb } from './test-db.js';
import { ApiClient } from './api-client.js';
import { testEpoch } from './test-epoch.js';

export interface TestServer {
  dialect: DialectName;
  baseUrl: string;
  app: FastifyInstance;
  ctx: AppContext;
  /** the server's clock: starts at the test epoch (test-epoch.ts); set or move it instead of sleeping */
  clock: SettableClock;
  testDb: TestDb;
  /** a logged-in client for the administrator of the first workspace */
  admin: ApiClient;
  workspaceId: number;
  /** an anonymous client */
  anon(): ApiClient;
  /** creates another workspace with its own administrator, logged in */
  newWorkspace(name?: string): Promise<{ admin: ApiClient; workspaceId: number }>;
  close(): Promise<void>;
}

let seq = 0;

/**
 * A real server on a random port over a fresh database, with one workspace and its admin. Its clock
 * starts at the test epoch and stands still (integration tests move it), or runs with real time when
 * `running` is set (the browser tests, whose page clock runs alongside).
 */
export async function startTestServer(dialect: DialectName, opts: { running?: boolean; allowPrivateWebhooks?: boolean } = {}): Promise<TestServer> {
  const testDb = await createTestDb(dialect);
  const clock: SettableClock = opts.running ? new RunningClock(testEpoch()) : new ManualClock(testEpoch());
  // our webhook receivers listen on 127.0.0.1: allowed unless a test asks for the production policy
  const { app, ctx } = await buildApp({ db: testDb.db, clock, strictResponses: true, allowPrivateWebhooks: opts.allowPrivateWebhooks ?? true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const newWorkspace = async (name = 'Тестовая компания') => {
    const email = `admin${++seq}-${Date.now()}@test.local`;
    const password = 'correct horse battery';
    const { workspaceId } = await createWorkspace(ctx, { name, admin: { email, name: 'Админ', password } });
    const admin = await ApiClient.login(baseUrl, email, password);
    return { admin, workspaceId };
  };
  const first = await newWorkspace();

  return {
    dialect,
    baseUrl,
    app,
    ctx,
    clock,
    testDb,
    admin: first.admin,
    workspaceId: first.workspaceId,
    anon: () => new ApiClient(baseUrl),
    newWorkspace,
    close: async () => {
      await app.close();
      await testDb.destroy();
    },
  };
}

/** Another user of the server's first workspace with a built-in role (a manager unless given), made through the API and logged in. */
export async function addUser(
  s: TestServer,
  email: string,
  roleCode: 'manager' | 'head_of_sales' | 'admin' = 'manager',
  extra: { name?: string; departmentId?: number | null } = {},
): Promise<{ client: ApiClient; id: number }> {
  const roles = (await s.admin.get('/roles')).body;
  const role = (Array.isArray(roles) ? roles : roles.items).find((r: { code: string | null }) => r.code === roleCode);
  const password = 'user password 1';
  const res = await s.admin.post('/users', { email, name: extra.name ?? 'Менеджер', password, roleIds: [role.id], departmentId: extra.departmentId });
  if (res.status !== 201) throw new Error(`addUser ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return { client: await ApiClient.login(s.baseUrl, email, password), id: res.body.id };
}
