import type { Executor } from '../../server/context.js';
import { builtInRoleGrants } from '../permissions/levels.js';

export const BUILT_IN_ROLES = [
  { code: 'admin', name: 'Администратор', isAdmin: true },
  { code: 'head_of_sales', name: 'Руководитель отдела продаж', isAdmin: false },
  { code: 'manager', name: 'Менеджер', isAdmin: false },
] as const;

export async function seedBuiltInRoles(trx: Executor, workspaceId: number, now: string): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const role of BUILT_IN_ROLES) {
    const row = await trx
      .insertInto('roles')
      .values({ workspace_id: workspaceId, name: role.name, code: role.code, is_admin: role.isAdmin ? 1 : 0, created_at: now, updated_at: now })
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
