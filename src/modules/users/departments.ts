import { inTransaction, type AppContext, type Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, fieldInvalid, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { departmentToApi } from './users.mapper.js';
import { findDepartment, listDepartments } from './users.repo.js';
import type { CreateDepartmentInput, UpdateDepartmentInput } from './users.schema.js';
import { subtreeIds } from './load-actor.js';

// Departments form a tree (parentId) with an optional head. Everyone may read the tree;
// administrators change it.

export class Departments {
  constructor(private readonly ctx: AppContext) {}

  async list(actor: Actor) {
    return (await listDepartments(this.ctx.db.kysely, actor.workspaceId)).map(departmentToApi);
  }

  async get(actor: Actor, id: number) {
    const row = await findDepartment(this.ctx.db.kysely, actor.workspaceId, id);
    if (!row) throw notFound('Department');
    return departmentToApi(row);
  }

  async create(actor: Actor, input: CreateDepartmentInput, exec?: Executor) {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      await this.checkRefs(trx, actor.workspaceId, input);
      const now = nowIso(this.ctx.clock);
      const row = await trx
        .insertInto('departments')
        .values({ workspace_id: actor.workspaceId, name: input.name, parent_id: input.parentId ?? null, head_id: input.headId ?? null, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return departmentToApi(row);
    });
  }

  async update(actor: Actor, id: number, input: UpdateDepartmentInput, version: number, exec?: Executor) {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const current = await findDepartment(trx, actor.workspaceId, id);
      if (!current) throw notFound('Department');
      await this.checkRefs(trx, actor.workspaceId, input);
      if (input.parentId != null) {
        const all = await listDepartments(trx, actor.workspaceId);
        if (subtreeIds(all, id).includes(input.parentId)) {
          throw ruleViolation('department_cycle', 'A department cannot be moved under itself or one of its sub-departments', [
            { path: 'parentId', message: 'would make a cycle' },
          ]);
        }
      }
      const row = await trx
        .updateTable('departments')
        .set((eb) => ({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.parentId !== undefined && { parent_id: input.parentId }),
          ...(input.headId !== undefined && { head_id: input.headId }),
          updated_at: nowIso(this.ctx.clock),
          version: eb('version', '+', 1),
        }))
        .where('workspace_id', '=', actor.workspaceId)
        .where('id', '=', id)
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw versionConflict(departmentToApi(current));
      return departmentToApi(row);
    });
  }

  /** Refused while users or sub-departments are attached: move them first. */
  async delete(actor: Actor, id: number, exec?: Executor): Promise<void> {
    requireAdmin(actor);
    await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      if (!(await findDepartment(trx, actor.workspaceId, id))) throw notFound('Department');
      const user = await trx.selectFrom('users').select('id').where('workspace_id', '=', actor.workspaceId).where('department_id', '=', id).executeTakeFirst();
      if (user) throw conflict('The department still has users; move them to another department first');
      const child = await trx.selectFrom('departments').select('id').where('workspace_id', '=', actor.workspaceId).where('parent_id', '=', id).executeTakeFirst();
      if (child) throw conflict('The department still has sub-departments; move or delete them first');
      await trx.deleteFrom('departments').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
    });
  }

  private async checkRefs(exec: Executor, workspaceId: number, input: { parentId?: number | null; headId?: number | null }) {
    if (input.parentId != null && !(await findDepartment(exec, workspaceId, input.parentId))) {
      throw fieldInvalid('parentId', 'is not a department of this workspace');
    }
    if (input.headId != null) await this.ctx.services.users.ensureUser(exec, workspaceId, input.headId, 'headId');
  }
}
