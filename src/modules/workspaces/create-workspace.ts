import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict } from '../../server/errors.js';
import { hashPassword } from '../auth/passwords.js';
import { seedBuiltInRoles } from '../users/built-in-roles.js';
import { createDefaultPipeline } from '../pipelines/defaults.js';
import { seedReferenceLists } from '../reference-lists/defaults.js';

export interface CreateWorkspaceInput {
  name: string;
  admin: { email: string; name: string; password: string };
  crmMode?: 'with_leads' | 'without_leads';
}

/** A workspace is born complete: roles, the default pipeline, reference lists and its administrator. */
export async function createWorkspace(ctx: AppContext, input: CreateWorkspaceInput): Promise<{ workspaceId: number; adminId: number }> {
  const email = input.admin.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.admin.password);
  const now = nowIso(ctx.clock);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (taken) throw conflict(`A user with e-mail ${email} already exists`, [{ path: 'admin.email', message: 'already taken' }]);
    const ws = await trx
      .insertInto('workspaces')
      .values({ name: input.name, crm_mode: input.crmMode ?? 'with_leads', currency: 'RUB', time_zone: 'Europe/Moscow', locale: 'ru', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const roleIds = await seedBuiltInRoles(trx, ws.id, now);
    await createDefaultPipeline(trx, ws.id, now);
    await seedReferenceLists(trx, ws.id, now);
    const admin = await trx
      .insertInto('users')
      .values({ workspace_id: ws.id, email, name: input.admin.name, active: 1, locale: 'ru', time_zone: 'Europe/Moscow', password_hash: passwordHash, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values({ workspace_id: ws.id, user_id: admin.id, role_id: roleIds.admin! }).execute();
    return { workspaceId: ws.id, adminId: admin.id };
  });
}
