import type { Executor } from '../../server/context.js';
import { builtInRoleGrants } from '../permissions/levels.js';
import type { Locale, Localized } from '../../shared/locale.js';

/** A new workspace's roles; the names are the workspace language's, the codes stay the same in every language. */
export const BUILT_IN_ROLES: ReadonlyArray<{ code: 'admin' | 'head_of_sales' | 'manager'; name: Localized; isAdmin: boolean }> = [
  { code: 'admin', name: { ru: 'Администратор', en: 'Administrator' }, isAdmin: true },
  { code: 'head_of_sales', name: { ru: 'Руководитель отдела продаж', en: 'Head of sales' }, isAdmin: false },
  { code: 'manager', name: { ru: 'Менеджер', en: 'Manager' }, isAdmin: false },
];

export async function seedBuiltInRoles(trx: Executor, workspaceId: number, now: string, locale: Locale): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const role of BUILT_IN_ROLES) {
    const row = await trx
      .insertInto('roles')
      .values({ workspace_id: workspaceId, name: role.name[locale], code: role.code, is_admin: role.isAdmin ? 1 : 0, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[role.code] = row.id;
    await trx
      .insertInto('role_permissions')
      .values(
        builtInRoleGrants(role.code).map((g) => ({
          workspace_id: workspaceId,
          role_id: row.id,
          entity: g.entity,
          action: g.action,
          level: g.level,
          pipeline_id: g.pipelineId,
        })),
      )
      .execute();
  }
  return ids;
}
