import { inTransaction, type AppContext, type Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound, ruleViolation, validationFailed, versionConflict, type FieldError } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { storeCapabilities } from '../permissions/capabilities.js';
import { roleToApi } from './users.mapper.js';
import { findRole, permissionsOf } from './users.repo.js';
import type { CreateRoleInput, PermissionInput, UpdateRoleInput } from './users.schema.js';
import { ensureAdminRemains } from './user-writes.js';
import { auditChanges } from '../audit/audit.service.js';

const AUDITED = ['name', 'isAdmin', 'capabilities', 'permissions'] as const;

// Roles grant levels per entity and action (vocabulary in permissions/levels.ts) and capabilities
// beside them (permissions/capabilities.ts). Reading and
// writing roles is for administrators only. Built-in roles (code set) can be edited, not deleted.

export class Roles {
  constructor(private readonly ctx: AppContext) {}

  async list(actor: Actor) {
    requireAdmin(actor);
    const db = this.ctx.db.kysely;
    const rows = await db.selectFrom('roles').selectAll().where('workspace_id', '=', actor.workspaceId).orderBy('id').execute();
    const perms = await permissionsOf(db, actor.workspaceId, rows.map((r) => r.id));
    return rows.map((r) => roleToApi(r, perms.filter((p) => p.role_id === r.id)));
  }

  async get(actor: Actor, id: number, exec?: Executor) {
    requireAdmin(actor);
    const db = exec ?? this.ctx.db.kysely;
    const row = await findRole(db, actor.workspaceId, id);
    if (!row) throw notFound('Role');
    return roleToApi(row, await permissionsOf(db, actor.workspaceId, [id]));
  }

  async create(actor: Actor, input: CreateRoleInput, exec?: Executor) {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      await this.checkPermissions(trx, actor.workspaceId, input.permissions);
      const now = nowIso(this.ctx.clock);
      const row = await trx
        .insertInto('roles')
        .values({ workspace_id: actor.workspaceId, name: input.name, code: null, is_admin: input.isAdmin ? 1 : 0, capabilities: storeCapabilities(input.capabilities), created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.writePermissions(trx, actor.workspaceId, row.id, input.permissions);
      const created = await this.get(actor, row.id, trx);
      await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'role', entityId: row.id, action: 'created', changes: auditChanges(null, created, AUDITED) });
      return created;
    });
  }

  /** `permissions`, when given, replaces the role's whole list. */
  async update(actor: Actor, id: number, input: UpdateRoleInput, version: number, exec?: Executor) {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const current = await findRole(trx, actor.workspaceId, id);
      if (!current) throw notFound('Role');
      if (input.permissions) await this.checkPermissions(trx, actor.workspaceId, input.permissions);
      const beforePerms = await permissionsOf(trx, actor.workspaceId, [id]);
      const res = await trx
        .updateTable('roles')
        .set((eb) => ({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.isAdmin !== undefined && { is_admin: input.isAdmin ? 1 : 0 }),
          ...(input.capabilities !== undefined && { capabilities: storeCapabilities(input.capabilities) }),
          updated_at: nowIso(this.ctx.clock),
          version: eb('version', '+', 1),
        }))
        .where('workspace_id', '=', actor.workspaceId)
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw versionConflict(roleToApi(current, await permissionsOf(trx, actor.workspaceId, [id])));
      if (input.permissions) {
        await trx.deleteFrom('role_permissions').where('workspace_id', '=', actor.workspaceId).where('role_id', '=', id).execute();
        await this.writePermissions(trx, actor.workspaceId, id, input.permissions);
      }
      if (input.isAdmin === false) await ensureAdminRemains(trx, actor.workspaceId);
      const before = roleToApi(current, beforePerms);
      const after = await this.get(actor, id, trx);
      const changes = auditChanges(before, after, AUDITED);
      if (Object.keys(changes).length) await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, { entityType: 'role', entityId: id, action: 'updated', changes });
      return after;
    });
  }

  async delete(actor: Actor, id: number, exec?: Executor): Promise<void> {
    requireAdmin(actor);
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const current = await findRole(trx, actor.workspaceId, id);
      if (!current) throw notFound('Role');
      if (current.code !== null) throw ruleViolation('builtin_role_not_deletable', 'Built-in roles can be edited but not deleted');
      // user_roles and role_permissions rows go with it (ON DELETE CASCADE), but say so explicitly
      // so that the behaviour does not depend on SQLite's foreign_keys pragma.
      const before = roleToApi(current, await permissionsOf(trx, actor.workspaceId, [id]));
      const holders = await trx.selectFrom('user_roles').select('user_id').where('workspace_id', '=', actor.workspaceId).where('role_id', '=', id).execute();
      await this.ctx.services.audit.record(trx, actor.workspaceId, actor.userId, [
        { entityType: 'role', entityId: id, action: 'deleted', changes: auditChanges(before, null, AUDITED) },
        ...holders.map((h) => ({ entityType: 'user' as const, entityId: h.user_id, action: 'roles_changed', changes: { roleIds: { old: [id], new: [] } } })),
      ]);
      await trx.deleteFrom('user_roles').where('workspace_id', '=', actor.workspaceId).where('role_id', '=', id).execute();
      await trx.deleteFrom('role_permissions').where('workspace_id', '=', actor.workspaceId).where('role_id', '=', id).execute();
      await trx.deleteFrom('roles').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
      if (current.is_admin === 1) await ensureAdminRemains(trx, actor.workspaceId);
    });
  }

  /**
   * Contract for the pipelines module, in the transaction that deletes a pipeline: grants narrowed
   * to it go (a later pipeline must not inherit them by id) and the roles that had them move on a version.
   */
  async forgetPipeline(exec: Executor, workspaceId: number, pipelineId: number): Promise<void> {
    const narrowed = exec
      .selectFrom('role_permissions')
      .select('role_id')
      .where('workspace_id', '=', workspaceId)
      .where('pipeline_id', '=', pipelineId);
    await exec
      .updateTable('roles')
      .set((eb) => ({ updated_at: nowIso(this.ctx.clock), version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', narrowed)
      .execute();
    await exec.deleteFrom('role_permissions').where('workspace_id', '=', workspaceId).where('pipeline_id', '=', pipelineId).execute();
  }

  private async checkPermissions(exec: Executor, workspaceId: number, permissions: PermissionInput[]): Promise<void> {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    for (const [i, p] of permissions.entries()) {
      const pipelineId = p.pipelineId ?? null;
      const key = `${p.entity}/${p.action}/${pipelineId}`;
      if (seen.has(key)) errors.push({ path: `permissions[${i}]`, message: `repeats ${p.entity} ${p.action}${pipelineId ? ` in pipeline ${pipelineId}` : ''}` });
      seen.add(key);
      if (pipelineId !== null) {
        if (p.entity !== 'deal') errors.push({ path: `permissions[${i}].pipelineId`, message: 'only deal permissions can be narrowed to a pipeline' });
        else if (!(await this.ctx.services.pipelines.getPipeline(exec, workspaceId, pipelineId))) {
          errors.push({ path: `permissions[${i}].pipelineId`, message: 'is not a pipeline of this workspace' });
        }
      }
    }
    if (errors.length) throw validationFailed(errors);
  }

  private async writePermissions(exec: Executor, workspaceId: number, roleId: number, permissions: PermissionInput[]): Promise<void> {
    if (permissions.length === 0) return;
    await exec
      .insertInto('role_permissions')
      .values(
        permissions.map((p) => ({ workspace_id: workspaceId, role_id: roleId, entity: p.entity, action: p.action, level: p.level, pipeline_id: p.pipelineId ?? null })),
      )
      .execute();
  }
}
