import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../server/context.js';
import type { DepartmentsTable, RolesTable, UsersTable } from '../../db/schema.js';

// Kysely queries over the users module's tables: users, departments, roles, role_permissions, user_roles.

export type UserRow = Omit<Selectable<UsersTable>, 'password_hash' | 'kind'>;
export type DepartmentRow = Selectable<DepartmentsTable>;
export type RoleRow = Selectable<RolesTable>;

/** Every user column except the password hash, which never leaves the module. */
export const USER_COLUMNS = [
  'users.id',
  'users.workspace_id',
  'users.email',
  'users.name',
  'users.phone',
  'users.position',
  'users.active',
  'users.locale',
  'users.time_zone',
  'users.department_id',
  'users.created_at',
  'users.updated_at',
  'users.version',
] as const;

export const findUser = (exec: Executor, workspaceId: number, id: number): Promise<UserRow | undefined> =>
  exec
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', '=', id)
    .where('users.kind', '=', 'person')
    .executeTakeFirst();

export const emailTaken = async (exec: Executor, email: string, exceptUserId?: number): Promise<boolean> => {
  let q = exec.selectFrom('users').select('id').where('email', '=', email);
  if (exceptUserId !== undefined) q = q.where('id', '!=', exceptUserId);
  return (await q.executeTakeFirst()) !== undefined;
};

export async function roleIdsOf(exec: Executor, workspaceId: number, userIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await exec
    .selectFrom('user_roles')
    .select(['user_id', 'role_id'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', 'in', userIds)
    .orderBy('role_id')
    .execute();
  for (const r of rows) out.get(r.user_id)?.push(r.role_id);
  return out;
}

export async function replaceUserRoles(exec: Executor, workspaceId: number, userId: number, roleIds: number[]): Promise<void> {
  await exec.deleteFrom('user_roles').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  const unique = [...new Set(roleIds)];
  if (unique.length) {
    await exec
      .insertInto('user_roles')
      .values(unique.map((roleId) => ({ workspace_id: workspaceId, user_id: userId, role_id: roleId })))
      .execute();
  }
}

/** The ids among `ids` that are not roles of the workspace. */
export async function missingRoleIds(exec: Executor, workspaceId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = await exec.selectFrom('roles').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}

/** Active users holding at least one administrator role: the workspace must always keep one. */
export async function countActiveAdmins(exec: Executor, workspaceId: number): Promise<number> {
  const row = await exec
    .selectFrom('users')
    .select(sql<number>`count(distinct users.id)`.as('n'))
    .innerJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').on('user_roles.workspace_id', '=', workspaceId))
    .innerJoin('roles', 'roles.id', 'user_roles.role_id')
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1)
    .where('roles.is_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const findDepartment = (exec: Executor, workspaceId: number, id: number) =>
  exec.selectFrom('departments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const listDepartments = (exec: Executor, workspaceId: number) =>
  exec.selectFrom('departments').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();

export const findRole = (exec: Executor, workspaceId: number, id: number) =>
  exec.selectFrom('roles').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const permissionsOf = (exec: Executor, workspaceId: number, roleIds: number[]) =>
  roleIds.length === 0
    ? Promise.resolve([])
    : exec
        .selectFrom('role_permissions')
        .select(['role_id', 'entity', 'action', 'level', 'pipeline_id'])
        .where('workspace_id', '=', workspaceId)
        .where('role_id', 'in', roleIds)
        .orderBy('id')
        .execute();
