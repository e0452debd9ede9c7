import { z } from 'zod';
import { itemsOf, pageOf } from '../../server/http/responses.js';
import { ACTIONS, ENTITIES, LEVELS } from '../permissions/levels.js';
import { CAPABILITIES } from '../permissions/capabilities.js';

// zod schemas of the users, departments and roles API (response side), named for the OpenAPI document.

const int = z.number().int();

/** A user as every module shows it (never the password hash); roleIds only to administrators and the user. */
export const userSchema = z
  .object({
    id: int,
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    position: z.string().nullable(),
    active: z.boolean(),
    locale: z.string(),
    timeZone: z.string(),
    departmentId: int.nullable(),
    roleIds: z.array(int).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: int,
  })
  .meta({ id: 'User' });
export const userPageSchema = pageOf(userSchema);

export const departmentSchema = z
  .object({ id: int, name: z.string(), parentId: int.nullable(), headId: int.nullable(), createdAt: z.string(), updatedAt: z.string(), version: int })
  .meta({ id: 'Department' });
export const departmentListSchema = itemsOf(departmentSchema);

export const rolePermissionSchema = z.object({ entity: z.enum(ENTITIES), action: z.enum(ACTIONS), level: z.enum(LEVELS), pipelineId: int.nullable() });

export const roleSchema = z
  .object({
    id: int,
    name: z.string(),
    /** the built-in role's code; null for a role made by an administrator */
    code: z.string().nullable(),
    isAdmin: z.boolean(),
    /** rights beside the matrix the role grants (administrators have all of them anyway) */
    capabilities: z.array(z.enum(CAPABILITIES)),
    builtIn: z.boolean(),
    permissions: z.array(rolePermissionSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: int,
  })
  .meta({ id: 'Role' });
export const roleListSchema = itemsOf(roleSchema);
