import type { Executor } from '../../server/context.js';
import type { Actor } from '../permissions/actor.js';
import type { PermissionGrant } from '../permissions/levels.js';
import { resolveRoleGrants } from '../permissions/resolve-role-grants.js';

/** Builds the Actor of a user: their roles' grants resolved, and the users their department levels open. */
export async function loadActor(db: Executor, workspaceId: number, userId: number): Promise<Actor | null> {
  // one statement: the user with a row per grant of each of their roles (a role without grants
  // still gives a row, for is_admin); every request starts here, so it is one round trip
  const rows = await db
    .selectFrom('users')
    .leftJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').onRef('user_roles.workspace_id', '=', 'users.workspace_id'))
    .leftJoin('roles', 'roles.id', 'user_roles.role_id')
    .leftJoin('role_permissions', 'role_permissions.role_id', 'roles.id')
    .select([
      'users.department_id',
      'users.active',
      'roles.id as role_id',
      'roles.is_admin',
      'role_permissions.entity',
      'role_permissions.action',
      'role_permissions.level',
      'role_permissions.pipeline_id',
    ])
    .where('users.id', '=', userId)
    .where('users.workspace_id', '=', workspaceId)
    .execute();
  const user = rows[0];
  if (!user || !user.active) return null;

  const grantsByRole = new Map<number, PermissionGrant[]>();
  let isAdmin = false;
  for (const r of rows) {
    if (r.role_id === null) continue;
    if (r.is_admin === 1) isAdmin = true;
    const list = grantsByRole.get(r.role_id) ?? [];
    if (r.entity !== null) list.push({ entity: r.entity, action: r.action, level: r.level, pipelineId: r.pipeline_id } as PermissionGrant);
    grantsByRole.set(r.role_id, list);
  }
  const { levels, dealPipelines } = resolveRoleGrants([...grantsByRole.values()]);

  let departmentUserIds: number[] = [userId];
  let departmentTreeUserIds: number[] = [userId];
  if (user.department_id !== null) {
    const departments = await db.selectFrom('departments').select(['id', 'parent_id']).where('workspace_id', '=', workspaceId).execute();
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
    isAdmin,
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
