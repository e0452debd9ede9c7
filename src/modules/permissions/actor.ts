import { forbidden } from '../../server/errors.js';
import type { Action, Entity, Level, LevelTable } from './levels.js';
import type { Capability } from './capabilities.js';

/**
 * Who is acting: resolved once per request (session or API token) and passed to every
 * service call. Services never trust ids from the request for this.
 */
export interface Actor {
  workspaceId: number;
  userId: number;
  isAdmin: boolean;
  /** rights beside the matrix granted by the user's roles (capabilities.ts); administrators have all */
  capabilities: ReadonlySet<Capability>;
  departmentId: number | null;
  levels: LevelTable;
  /** deals: level per pipeline where a role narrows or widens it */
  dealPipelines: Map<number, Record<Action, Level>>;
  /** user ids of the actor's own department, and of its whole subtree */
  departmentUserIds: number[];
  departmentTreeUserIds: number[];
  /**
   * Set when a robot acts (src/modules/automation/robot-actor.ts): `userId` is then the workspace's
   * system user, and what the robot writes is attributed to it in the timeline. A trigger moving a
   * deal (src/modules/automation/triggers) acts the same way with `kind: 'trigger'`.
   */
  robot?: { id: number; name: string; kind?: 'trigger' };
}

/** The users whose records a level opens; `null` means every record. */
export function usersForLevel(actor: Actor, level: Level): number[] | null {
  switch (level) {
    case 'all':
      return null;
    case 'department_tree':
      return actor.departmentTreeUserIds;
    case 'department':
      return actor.departmentUserIds;
    case 'own':
      return [actor.userId];
    default:
      return [];
  }
}

export function levelFor(actor: Actor, entity: Entity, action: Action, pipelineId?: number | null): Level {
  if (entity === 'deal' && pipelineId != null) {
    const narrowed = actor.dealPipelines.get(pipelineId);
    if (narrowed) return narrowed[action];
  }
  return actor.levels[entity][action];
}

/**
 * The responsibles whose records `action` opens (in that pipeline, for deals with per-pipeline
 * grants); `null` means every record. Deal reads add the observed deals on top (record-scope.ts).
 */
export function scopeUsers(actor: Actor, entity: Entity, action: Action, pipelineId?: number | null): number[] | null {
  return usersForLevel(actor, levelFor(actor, entity, action, pipelineId));
}

/** The JS twin of the SQL scope, for checks on a single loaded record or a new one. */
export function mayActOn(actor: Actor, entity: Entity, action: Action, responsibleId: number, pipelineId?: number | null): boolean {
  const users = scopeUsers(actor, entity, action, pipelineId);
  return users === null || users.includes(responsibleId);
}

export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden('Only administrators may change settings');
}
