import { sql, type SelectQueryBuilder } from 'kysely';
import type { DialectName } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import type { Executor } from '../../server/context.js';
import type { Actor } from '../permissions/actor.js';
import type { PermissionGrant } from '../permissions/levels.js';
import { resolveRoleGrants } from '../permissions/resolve-role-grants.js';
import { CAPABILITIES, parseCapabilities, type Capability } from '../permissions/capabilities.js';

/**
 * The credential a request presents (a session or an API token), as the auth module selects it
 * from its own table: whose it is, and the columns auth checks after the load. Fixed columns so
 * that one statement can carry both the credential and the actor's rows.
 */
export interface CredentialRow {
  credential_id: number;
  user_id: number;
  workspace_id: number;
  /** sessions: the CSRF token; API tokens: null */
  csrf_token: string | null;
  /** sessions: when it ends; API tokens: null (they end only when revoked, which the query filters) */
  expires_at: string | null;
  /** sessions: last_seen_at; API tokens: last_used_at */
  touched_at: string | null;
}

/** Builds the Actor of a user: their roles' grants resolved, and the users their department levels open. */
export async function loadActor(db: Executor, dialect: DialectName, workspaceId: number, userId: number): Promise<Actor | null> {
  // one statement: the user with a row per role, its grants aggregated (a role without grants
  // still gives a row, for is_admin); every request starts here, so it is one round trip
  const rows = await db
    .selectFrom('users')
    .leftJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').onRef('user_roles.workspace_id', '=', 'users.workspace_id'))
    .leftJoin('roles', 'roles.id', 'user_roles.role_id')
    .leftJoin('role_permissions', 'role_permissions.role_id', 'roles.id')
    .select([...ACTOR_COLUMNS, grantsOf(dialect)])
    .where('users.id', '=', userId)
    .where('users.workspace_id', '=', workspaceId)
    .groupBy(ACTOR_GROUP)
    .execute();
  return actorOf(db, workspaceId, userId, rows);
}

/**
 * The credential and the Actor of its user in one statement (every authenticated request starts
 * here): `credential` is the auth module's select of its row; the user must be of the
 * credential's workspace and active, else null, as loadActor answers.
 */
export async function loadActorOf(
  db: Executor,
  dialect: DialectName,
  credential: SelectQueryBuilder<Database, keyof Database, CredentialRow>,
): Promise<{ credential: CredentialRow; actor: Actor } | null> {
  // `limit 1` (the credential is one row by its unique hash) also keeps SQLite from flattening the
  // subquery into the join, where a statistic taken on a nearly empty table made it scan the
  // credentials instead of using the hash's index: 75 µs instead of 6 per request
  const rows = await db
    .selectFrom(credential.limit(1).as('c'))
    .innerJoin('users', (j) => j.onRef('users.id', '=', 'c.user_id').onRef('users.workspace_id', '=', 'c.workspace_id'))
    .leftJoin('user_roles', (j) => j.onRef('user_roles.user_id', '=', 'users.id').onRef('user_roles.workspace_id', '=', 'users.workspace_id'))
    .leftJoin('roles', 'roles.id', 'user_roles.role_id')
    .leftJoin('role_permissions', 'role_permissions.role_id', 'roles.id')
    .select(['c.credential_id', 'c.user_id', 'c.workspace_id', 'c.csrf_token', 'c.expires_at', 'c.touched_at', ...ACTOR_COLUMNS, grantsOf(dialect)])
    .groupBy(['c.credential_id', 'c.user_id', 'c.workspace_id', 'c.csrf_token', 'c.expires_at', 'c.touched_at', ...ACTOR_GROUP])
    .execute();
  const first = rows[0];
  if (!first) return null;
  const actor = await actorOf(db, first.workspace_id, first.user_id, rows);
  if (!actor) return null;
  const { credential_id, user_id, workspace_id, csrf_token, expires_at, touched_at } = first;
  return { credential: { credential_id, user_id, workspace_id, csrf_token, expires_at, touched_at }, actor };
}

const ACTOR_COLUMNS = ['users.department_id', 'users.active', 'roles.id as role_id', 'roles.is_admin', 'roles.capabilities'] as const;
const ACTOR_GROUP = ['users.id', 'users.department_id', 'users.active', 'roles.id', 'roles.is_admin', 'roles.capabilities'] as const;

/** A role's grants as one JSON array of [entity, action, level, pipeline_id] (one row per role, not per grant). */
const grantsOf = (dialect: DialectName) => {
  const [e, a, l, p] = ['entity', 'action', 'level', 'pipeline_id'].map((c) => sql.ref(`role_permissions.${c}`));
  const agg = dialect === 'postgres' ? sql<GrantTuple[] | string>`json_agg(json_build_array(${e}, ${a}, ${l}, ${p}))` : sql<GrantTuple[] | string>`json_group_array(json_array(${e}, ${a}, ${l}, ${p}))`;
  return agg.as('grants');
};

type GrantTuple = [string | null, string | null, string | null, number | null];
type ActorRow = { department_id: number | null; active: number; role_id: number | null; is_admin: number | null; capabilities: string | null; grants: GrantTuple[] | string };

async function actorOf(db: Executor, workspaceId: number, userId: number, rows: ActorRow[]): Promise<Actor | null> {
  const user = rows[0];
  if (!user || !user.active) return null;

  const grantsByRole = new Map<number, PermissionGrant[]>();
  let isAdmin = false;
  const capabilities = new Set<Capability>();
  for (const r of rows) {
    if (r.role_id === null) continue;
    if (r.is_admin === 1) isAdmin = true;
    for (const c of parseCapabilities(r.capabilities)) capabilities.add(c);
    const list = grantsByRole.get(r.role_id) ?? [];
    // PostgreSQL's json arrives parsed, SQLite's as text; a role without grants has one [null…]
    const tuples = (typeof r.grants === 'string' ? JSON.parse(r.grants) : r.grants) as GrantTuple[];
    for (const [entity, action, level, pipelineId] of tuples) {
      if (entity !== null) list.push({ entity, action, level, pipelineId } as PermissionGrant);
    }
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
    capabilities: isAdmin ? new Set(CAPABILITIES) : capabilities,
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
