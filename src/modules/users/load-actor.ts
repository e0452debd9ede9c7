import type { Executor } from '../../server/context.js';
import type { Actor } from '../permissions/actor.js';
import type { PermissionGrant } from '../permissions/levels.js';
import { resolveRoleGrants } from '../permissions/resolve-role-grants.js';

/** Builds the Actor of a user: their roles' grants resolved, and the users their department levels open. */
export async function loadActor(db: Executor, workspaceId: number, userId: number): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'department_id', 'active'])
    .where('id', '=', userId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!user || !user.active) return null;

  const [roles, grants, departments] = await Promise.all([
    db
      .selectFrom('user_roles')
      .innerJoin('roles', 'roles.id', 'user_roles.role_id')
      .select(['roles.id', 'roles.is_admin'])
      .where('user_roles.workspace_id', '=', workspaceId)
      .where('user_roles.user_id', '=', userId)
      .execute(),
    db
      .selectFrom('role_permissions')
      .innerJoin('user_roles', (j) => j.onRef('user_roles.role_id', '=', 'role_permissions.role_id'))
      .select(['role_permissions.role_id', 'role_permissions.entity', 'role_permissions.action', 'role_permissions.level', 'role_permissions.pipeline_id'])
      .where('user_roles.workspace_id', '=', workspaceId)
      .where('user_roles.user_id', '=', userId)
      .execute(),
    user.department_id === null
      ? Promise.resolve([])
      : db.selectFrom('departments').select(['id', 'parent_id']).where('workspace_id', '=', workspaceId).execute(),
  ]);

  const grantsByRole = new Map<number, PermissionGrant[]>();
  for (const g of grants) {
    const list = grantsByRole.get(g.role_id) ?? [];
    list.push({ entity: g.entity, action: g.action, level: g.level, pipelineId: g.pipeline_id } as PermissionGrant);
    grantsByRole.set(g.role_id, list);
  }
  const { levels, dealPipelines } = resolveRoleGrants([...grantsByRole.values()]);

  let departmentUserIds: number[] = [userId];
  let departmentTreeUserIds: number[] = [userId];
  if (user.department_id !== null) {
    const tree = subtreeIds(departments, user.department_id);
    const members = await db
      .selectFrom('users')
      .select(['id', 'department_id'])
      .where('workspace_id', '=', workspaceId)
      .where('department_id', 'in', tree)
      .execute();
    departmentUserIds = unique([userId, ...members.filter((m) => m.department_id === user.department_id).map((m) => m.id)]);
    departmentTreeUserIds = unique([userId, ...members.map((m) => m.id)]);
  }

  return {
    workspaceId,
    userId,
    isAdmin: roles.some((r) => r.is_admin === 1),
    departmentId: user.department_id,
    levels,
    dealPipelines,
    departmentUserIds,
    departmentTreeUserIds,
  };
}

export function subtreeIds(departments: { id: number; parent_id: number | null }[], rootId: number): number[] {
  const out = [rootId];
  for (let i = 0; i < out.length; i++) {
    for (const d of departments) if (d.parent_id === out[i] && !out.includes(d.id)) out.push(d.id);
  }
  return out;
}

const unique = (ids: number[]) => [...new Set(ids)];
