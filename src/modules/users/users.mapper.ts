import type { DepartmentRow, RoleRow, UserRow } from './users.repo.js';
import type { Action, Entity, Level } from '../permissions/levels.js';
import { parseCapabilities } from '../permissions/capabilities.js';

/** The API shape of a user. roleIds only for those who may see them (admins and the user). */
export function userToApi(u: UserRow, roleIds?: number[]) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    phone: u.phone,
    position: u.position,
    active: u.active === 1,
    locale: u.locale,
    timeZone: u.time_zone,
    departmentId: u.department_id,
    ...(roleIds !== undefined && { roleIds }),
    createdAt: u.created_at,
    updatedAt: u.updated_at,
    version: u.version,
  };
}

export function departmentToApi(d: DepartmentRow) {
  return {
    id: d.id,
    name: d.name,
    parentId: d.parent_id,
    headId: d.head_id,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    version: d.version,
  };
}

export interface PermissionRow {
  entity: string;
  action: string;
  level: string;
  pipeline_id: number | null;
}

export function roleToApi(r: RoleRow, permissions: PermissionRow[]) {
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    isAdmin: r.is_admin === 1,
    capabilities: parseCapabilities(r.capabilities),
    builtIn: r.code !== null,
    permissions: permissions.map((p) => ({ entity: p.entity as Entity, action: p.action as Action, level: p.level as Level, pipelineId: p.pipeline_id })),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
