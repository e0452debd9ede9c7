import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict } from '../../server/errors.js';
import { hashPassword } from '../../shared/passwords.js';
import { seedBuiltInRoles } from '../users/built-in-roles.js';
import { createDefaultPipeline } from '../pipelines/defaults.js';
import { seedReferenceLists } from '../reference-lists/defaults.js';
import { DEFAULT_LOCALE, type Locale, type Localized } from '../../shared/locale.js';

export interface CreateWorkspaceInput {
  name: string;
  /** the administrator's name defaults to «Администратор» in the workspace's language */
  admin: { email: string; name?: string; password: string };
  crmMode?: 'with_leads' | 'without_leads';
  /** the language of its default names (pipeline, stages, roles, reference lists) and of its administrator; Russian if not given */
  locale?: Locale;
}

const DEFAULT_ADMIN_NAME: Localized = { ru: 'Администратор', en: 'Administrator' };
const ROBOT_NAME: Localized = { ru: 'Робот', en: 'Robot' };

/** A workspace is born complete, in its language: roles, the default pipeline, reference lists and its administrator. */
export async function createWorkspace(ctx: AppContext, input: CreateWorkspaceInput): Promise<{ workspaceId: number; adminId: number }> {
  const email = input.admin.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.admin.password);
  const now = nowIso(ctx.clock);
  const locale = input.locale ?? DEFAULT_LOCALE;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (taken) throw conflict(`A user with e-mail ${email} already exists`, [{ path: 'admin.email', message: 'already taken' }]);
    const ws = await trx
      .insertInto('workspaces')
      .values({ name: input.name, crm_mode: input.crmMode ?? 'with_leads', currency: 'RUB', time_zone: 'Europe/Moscow', locale, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const roleIds = await seedBuiltInRoles(trx, ws.id, now, locale);
    await createDefaultPipeline(trx, ws.id, now, locale);
    await seedReferenceLists(trx, ws.id, now, locale);
    const admin = await trx
      .insertInto('users')
      .values({ workspace_id: ws.id, email, name: input.admin.name ?? DEFAULT_ADMIN_NAME[locale], active: 1, locale, time_zone: 'Europe/Moscow', password_hash: passwordHash, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('user_roles').values({ workspace_id: ws.id, user_id: admin.id, role_id: roleIds.admin! }).execute();
    // the robots' principal (src/modules/automation/robot-actor.ts): inactive, no password, never listed
    await trx
      .insertInto('users')
      .values({ workspace_id: ws.id, email: `robot+${ws.id}@system.invalid`, name: ROBOT_NAME[locale], active: 0, locale, time_zone: 'Europe/Moscow', password_hash: '!', kind: 'system', created_at: now, updated_at: now })
      .execute();
    // the built-in robots (the lead-less mode's «convert every new lead», acting while that mode is on)
    await ctx.services.automation.ensureBuiltInRobots(trx, ws.id);
    // overdue control is on from the start: its scan and digest jobs
    await ctx.services.overdueControl.ensureJobs(trx, ws.id);
    return { workspaceId: ws.id, adminId: admin.id };
  });
}
