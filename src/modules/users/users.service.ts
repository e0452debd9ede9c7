import type { AppContext, Executor } from '../../server/context.js';
import { fieldInvalid } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { loadActor } from './load-actor.js';

export class UsersService {
  constructor(private readonly ctx: AppContext) {}

  loadActor(workspaceId: number, userId: number): Promise<Actor | null> {
    return loadActor(this.ctx.db.kysely, workspaceId, userId);
  }

  /** Checks that userId is an active user of the workspace (e.g. a responsible); else a 400 on `path`. */
  async ensureUser(exec: Executor, workspaceId: number, userId: number, path: string): Promise<void> {
    const row = await exec
      .selectFrom('users')
      .select(['id', 'active'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!row) throw fieldInvalid(path, 'is not a user of this workspace');
    if (!row.active) throw fieldInvalid(path, 'is a deactivated user');
  }

  /** Public shape of a user, as every module shows it. */
  async getProfile(workspaceId: number, userId: number) {
    const u = await this.ctx.db.kysely
      .selectFrom('users')
      .select(['id', 'email', 'name', 'phone', 'position', 'active', 'locale', 'time_zone', 'department_id', 'created_at', 'updated_at', 'version'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!u) return null;
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
      createdAt: u.created_at,
      updatedAt: u.updated_at,
      version: u.version,
    };
  }
}
