import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { fieldInvalid, notFound } from '../../server/errors.js';
import { scopeUsers, type Actor } from '../permissions/actor.js';
import { loadActor, loadActorOf, subtreeIds, type CredentialRow } from './load-actor.js';
import { listUsers } from './list-users.js';
import { createUser, updateUser } from './user-writes.js';
import { Departments } from './departments.js';
import { Roles } from './roles.js';
import { userToApi } from './users.mapper.js';
import { findUser, listDepartments, roleIdsOf } from './users.repo.js';
import type { AssignableQuery, CreateUserInput, ListUsersQuery, UpdateUserInput } from './users.schema.js';

export class UsersService {
  readonly departments: Departments;
  readonly roles: Roles;

  constructor(private readonly ctx: AppContext) {
    this.departments = new Departments(ctx);
    this.roles = new Roles(ctx);
  }

  loadActor(workspaceId: number, userId: number): Promise<Actor | null> {
    return loadActor(this.ctx.db.kysely, this.ctx.db.dialect, workspaceId, userId);
  }

  /** A request's credential (auth's select of its row) and the Actor of its user, in one statement; null as loadActor. */
  loadActorOf(credential: SelectQueryBuilder<Database, keyof Database, CredentialRow>): Promise<{ credential: CredentialRow; actor: Actor } | null> {
    return loadActorOf(this.ctx.db.kysely, this.ctx.db.dialect, credential);
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

  /** The workspace's system user (migration 022): whom robots act as; never listed, assignable or able to log in. */
  async systemUserId(exec: Executor, workspaceId: number): Promise<number> {
    const row = await exec.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('kind', '=', 'system').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Of the given ids, the active users of the workspace (whom a notification may go to). */
  async activeUserIds(exec: Executor, workspaceId: number, ids: number[]): Promise<number[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const rows = await exec.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', unique).where('active', '=', 1).execute();
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  /**
   * The active people of a department (with its sub-departments when asked), by id; null when the
   * workspace has no such department. For robots that distribute records over a department.
   */
  async departmentMemberIds(exec: Executor, workspaceId: number, departmentId: number, withSubdepartments: boolean): Promise<number[] | null> {
    const departments = await listDepartments(exec, workspaceId);
    if (!departments.some((d) => d.id === departmentId)) return null;
    const ids = withSubdepartments ? subtreeIds(departments, departmentId) : [departmentId];
    const rows = await exec
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('department_id', 'in', ids)
      .where('active', '=', 1)
      .where('kind', '=', 'person')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Whom to tell about a user's work: the head of the user's department; when the user is that
   * head (or the head is unset or deactivated), the head of the parent department, and so on up
   * the tree. Empty when nobody above the user heads a department.
   */
  async departmentHeadsFor(exec: Executor, workspaceId: number, userId: number): Promise<number[]> {
    const user = await exec.selectFrom('users').select('department_id').where('workspace_id', '=', workspaceId).where('id', '=', userId).executeTakeFirst();
    if (!user || user.department_id === null) return [];
    const byId = new Map((await listDepartments(exec, workspaceId)).map((d) => [d.id, d]));
    const seen = new Set<number>();
    const candidates: number[] = [];
    for (let d = byId.get(user.department_id); d && !seen.has(d.id); d = d.parent_id === null ? undefined : byId.get(d.parent_id)) {
      seen.add(d.id);
      if (d.head_id !== null && d.head_id !== userId) candidates.push(d.head_id);
    }
    if (candidates.length === 0) return [];
    const active = new Set(await this.activeUserIds(exec, workspaceId, candidates));
    const head = candidates.find((id) => active.has(id));
    return head === undefined ? [] : [head];
  }

  /** Names, e-mails and languages of users of the workspace (any state), in the caller's transaction: for messages about them. */
  async contactsOf(exec: Executor, workspaceId: number, ids: number[]): Promise<Map<number, { name: string; email: string; locale: string; active: boolean }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await exec.selectFrom('users').select(['id', 'name', 'email', 'locale', 'active']).where('workspace_id', '=', workspaceId).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email, locale: r.locale, active: r.active === 1 }]));
  }

  /** Public shape of a user, as every module shows it (no roles, never the password hash). */
  async getProfile(workspaceId: number, userId: number, exec: Executor = this.ctx.db.kysely) {
    const u = await findUser(exec, workspaceId, userId);
    return u ? userToApi(u) : null;
  }

  list(actor: Actor, query: ListUsersQuery) {
    return listUsers(this.ctx.db.kysely, actor, query);
  }

  /**
   * Whom the actor may make responsible for a record of `entity`: the users its level for the
   * action opens (own: oneself; department: the department's users; all: everyone) — the same rule
   * the services check on create and on a hand-over (mayActOn), so the web offers only these.
   */
  assignable(actor: Actor, query: AssignableQuery): { all: boolean; userIds: number[] } {
    const users = scopeUsers(actor, query.entity, query.action, query.pipelineId);
    return users === null ? { all: true, userIds: [] } : { all: false, userIds: [...new Set(users)].sort((a, b) => a - b) };
  }

  /** Any user of the workspace may read a profile; role ids are shown to admins and to the user. */
  async get(actor: Actor, id: number) {
    const db = this.ctx.db.kysely;
    const u = await findUser(db, actor.workspaceId, id);
    if (!u) throw notFound('User');
    const showRoles = actor.isAdmin || id === actor.userId;
    return userToApi(u, showRoles ? (await roleIdsOf(db, actor.workspaceId, [id])).get(id) : undefined);
  }

  create(actor: Actor, input: CreateUserInput, exec?: Executor) {
    return createUser(this.ctx, actor, input, exec);
  }

  update(actor: Actor, id: number, input: UpdateUserInput, version: number, exec?: Executor) {
    return updateUser(this.ctx, actor, id, input, version, exec);
  }
}
