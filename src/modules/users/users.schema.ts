import { z } from 'zod';
import { idParam, idsFilter, lookupLimitSchema, withTotalSchema, boolParam, repeatable } from '../../server/http/list-query.js';
import { ACTIONS, ENTITIES, LEVELS } from '../permissions/levels.js';
import { CAPABILITIES } from '../permissions/capabilities.js';
import { PASSWORD_MIN_LENGTH } from '../../shared/passwords.js';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const id = z.number().int().positive().max(2 ** 31 - 1);
const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const name = z.string().trim().min(1).max(200);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
const password = z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).max(1024);
const locale = z.enum(['ru', 'en']);
const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow');
const roleIds = z.array(id).max(50);

export const createUserBody = z.strictObject({
  email,
  name,
  password,
  phone: optionalText(50),
  position: optionalText(200),
  departmentId: id.nullable().optional(),
  roleIds: roleIds.optional(),
  locale: locale.optional(),
  timeZone: timeZone.optional(),
});

export const updateUserBody = z.strictObject({
  email: email.optional(),
  name: name.optional(),
  password: password.optional(),
  phone: optionalText(50),
  position: optionalText(200),
  departmentId: id.nullable().optional(),
  roleIds: roleIds.optional(),
  locale: locale.optional(),
  timeZone: timeZone.optional(),
  active: z.boolean().optional(),
  version: z.number().int().positive().optional(),
});

/** What a user who is not an administrator may change on their own profile. */
export const SELF_EDITABLE = ['name', 'phone', 'position', 'locale', 'timeZone'] as const;

export const listUsersQuery = z.strictObject({
  ids: idsFilter,
  active: boolParam.optional().meta({ description: 'true (the default) or false; with ids and no active, both active and deactivated users' }),
  q: z.string().trim().max(200).optional(),
  departmentId: repeatable(idParam),
  limit: lookupLimitSchema,
  cursor: z.string().max(500).optional(),
  sort: z.string().max(50).optional(),
  withTotal: withTotalSchema,
});

/** GET /users/assignable: who may be made responsible for a record of `entity` by this user. */
export const assignableQuery = z.strictObject({
  entity: z.enum(ENTITIES),
  action: z.enum(['create', 'update']).default('update').meta({ description: 'create: a new record; update (the default): a hand-over of an existing one' }),
  pipelineId: idParam.optional().meta({ description: 'deals: the pipeline of the deal (a role may grant per pipeline)' }),
});
export const assignableOut = z.object({
  all: z.boolean().meta({ description: 'true: any active user of the workspace' }),
  userIds: z.array(z.number()).meta({ description: 'when not all: the users allowed (empty: nobody)' }),
});
export type AssignableQuery = z.output<typeof assignableQuery>;

export const createDepartmentBody = z.strictObject({
  name,
  parentId: id.nullable().optional(),
  headId: id.nullable().optional(),
});

export const updateDepartmentBody = z.strictObject({
  name: name.optional(),
  parentId: id.nullable().optional(),
  headId: id.nullable().optional(),
  version: z.number().int().positive().optional(),
});

export const permissionSchema = z.strictObject({
  entity: z.enum(ENTITIES),
  action: z.enum(ACTIONS),
  level: z.enum(LEVELS),
  pipelineId: id.nullable().optional(),
});

/** rights beside the matrix (permissions/capabilities.ts), e.g. automation.manage */
const capabilitiesSchema = z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length * 2);

export const createRoleBody = z.strictObject({
  name,
  isAdmin: z.boolean().optional(),
  permissions: z.array(permissionSchema).max(500).default([]),
  capabilities: capabilitiesSchema.default([]),
});

export const updateRoleBody = z.strictObject({
  name: name.optional(),
  isAdmin: z.boolean().optional(),
  permissions: z.array(permissionSchema).max(500).optional(),
  capabilities: capabilitiesSchema.optional(),
  version: z.number().int().positive().optional(),
});

export type CreateUserInput = z.infer<typeof createUserBody>;
export type UpdateUserInput = z.infer<typeof updateUserBody>;
export type ListUsersQuery = z.infer<typeof listUsersQuery>;
export type CreateDepartmentInput = z.infer<typeof createDepartmentBody>;
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentBody>;
export type PermissionInput = z.infer<typeof permissionSchema>;
export type CreateRoleInput = z.infer<typeof createRoleBody>;
export type UpdateRoleInput = z.infer<typeof updateRoleBody>;
