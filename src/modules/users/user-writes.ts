import { inTransaction, type AppContext, type Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, fieldInvalid, forbidden, notFound, ruleViolation, validationFailed, versionConflict } from '../../server/errors.js';
import { hashPassword } from '../../shared/passwords.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { userToApi } from './users.mapper.js';
import {
  countActiveAdmins,
  emailTaken,
  findDepartment,
  findUser,
  missingRoleIds,
  replaceUserRoles,
  roleIdsOf,
  USER_COLUMNS,
} from './users.repo.js';
import { auditChanges } from '../audit/audit.service.js';
import { SELF_EDITABLE, type CreateUserInput, type UpdateUserInput } from './users.schema.js';

/** What the audit log follows of a user: who they are, their roles, department and whether they may log in. */
const USER_AUDITED = ['email', 'name', 'roleIds', 'departmentId', 'active'] as const;

/** Refuses a change that would leave the workspace without an active administrator. */
export async function ensureAdminRemains(exec: Executor, workspaceId: number): Promise<void> {
  if ((await countActiveAdmins(exec, workspaceId)) === 0) {
    throw ruleViolation('last_admin', 'The workspace must keep at least one active administrator');
  }
}

async function checkReferences(exec: Executor, workspaceId: number, input: { departmentId?: number | null; roleIds?: number[] }) {
  if (input.departmentId != null && !(await findDepartment(exec, workspaceId, input.departmentId))) {
    throw fieldInvalid('departmentId', 'is not a department of this workspace');
  }
  if (input.roleIds?.length) {
    const missing = await missingRoleIds(exec, workspaceId, input.roleIds);
    if (missing.length) {
      throw validationFailed(missing.map((id) => ({ path: `roleIds[${input.roleIds!.indexOf(id)}]`, message: 'is not a role of this workspace' })));
    }
  }
}

export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput, exec?: Executor) {
  requireAdmin(actor);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    // E-mail is the log-in, so it is unique across all workspaces.
    if (await emailTaken(trx, input.email)) throw conflict(`A user with e-mail ${input.email} already exists`, [{ path: 'email', message: 'already taken' }]);
    await checkReferences(trx, actor.workspaceId, input);
    const now = nowIso(ctx.clock);
    // A new user speaks the workspace's language unless told otherwise.
    const locale = input.locale ?? (await ctx.services.workspaces.getSettings(trx, actor.workspaceId)).locale;
    const row = await trx
      .insertInto('users')
      .values({
        workspace_id: actor.workspaceId,
        email: input.email,
        name: input.name,
        phone: input.phone ?? null,
        position: input.position ?? null,
        active: 1,
        locale,
        time_zone: input.timeZone ?? 'Europe/Moscow',
        password_hash: passwordHash,
        department_id: input.departmentId ?? null,
        created_at: now,
        updated_at: now,
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    const roleIds = [...new Set(input.roleIds ?? [])];
    await replaceUserRoles(trx, actor.workspaceId, row.id, roleIds);
    const created = userToApi(row, roleIds.sort((a, b) => a - b));
    await ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'user', entityId: row.id, action: 'created', changes: auditChanges(null, created, USER_AUDITED) });
    return created;
  });
}

/**
 * Administrators change anything (roles, active, password reset); everyone else only their own
 * name, phone, position, locale and time zone. A password reset or deactivation ends the user's
 * sessions (so reactivation does not revive them); API tokens of an inactive user stop working
 * because loadActor returns null for inactive users.
 */
export async function updateUser(ctx: AppContext, actor: Actor, id: number, input: UpdateUserInput, version: number, exec?: Executor) {
  const { version: _ignored, ...changes } = input;
  if (!actor.isAdmin) {
    if (id !== actor.userId) throw forbidden('Only administrators may change other users');
    const disallowed = Object.keys(changes).filter((k) => !(SELF_EDITABLE as readonly string[]).includes(k));
    if (disallowed.length) throw forbidden(`Only administrators may change ${disallowed.join(', ')}`);
  }
  const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const current = await findUser(trx, actor.workspaceId, id);
    if (!current) throw notFound('User');
    if (changes.email !== undefined && changes.email !== current.email && (await emailTaken(trx, changes.email, id))) {
      throw conflict(`A user with e-mail ${changes.email} already exists`, [{ path: 'email', message: 'already taken' }]);
    }
    await checkReferences(trx, actor.workspaceId, changes);
    const beforeRoles = (await roleIdsOf(trx, actor.workspaceId, [id])).get(id);

    const updated = await trx
      .updateTable('users')
      .set((eb) => ({
        ...(changes.email !== undefined && { email: changes.email }),
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.phone !== undefined && { phone: changes.phone }),
        ...(changes.position !== undefined && { position: changes.position }),
        ...(changes.locale !== undefined && { locale: changes.locale }),
        ...(changes.timeZone !== undefined && { time_zone: changes.timeZone }),
        ...(changes.departmentId !== undefined && { department_id: changes.departmentId }),
        ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
        updated_at: nowIso(ctx.clock),
        version: eb('version', '+', 1),
      }))
      .where('workspace_id', '=', actor.workspaceId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    if (!updated) {
      const roles = actor.isAdmin ? (await roleIdsOf(trx, actor.workspaceId, [id])).get(id) : undefined;
      throw versionConflict(userToApi(current, roles));
    }
    if (changes.roleIds !== undefined) await replaceUserRoles(trx, actor.workspaceId, id, changes.roleIds);
    if (changes.roleIds !== undefined || changes.active === false) await ensureAdminRemains(trx, actor.workspaceId);
    if (passwordHash !== undefined || changes.active === false) await ctx.services.auth.endSessions(trx, actor.workspaceId, id);

    if (actor.isAdmin) {
      const before = userToApi(current, beforeRoles);
      const after = userToApi(updated, (await roleIdsOf(trx, actor.workspaceId, [id])).get(id));
      const changed = auditChanges(before, after, USER_AUDITED);
      if (passwordHash !== undefined && id !== actor.userId) changed.password = { old: null, new: 'reset' };
      if (Object.keys(changed).length) await ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'user', entityId: id, action: 'updated', changes: changed });
    }
    const showRoles = actor.isAdmin || id === actor.userId;
    const roles = showRoles ? (await roleIdsOf(trx, actor.workspaceId, [id])).get(id) : undefined;
    return userToApi(updated, roles);
  });
}
