import { emptyLevelTable } from '../permissions/levels.js';
import type { Actor } from '../permissions/actor.js';
import { CAPABILITIES } from '../permissions/capabilities.js';

/**
 * The actor a robot runs as: the workspace's system user (users.kind = 'system', migration 022),
 * with every right in the workspace (robots act for the workspace, on records of any responsible),
 * and the robot named so that the timeline says «робот «…»» rather than a person's name.
 */
export function robotActor(workspaceId: number, systemUserId: number, robot: { id: number; name: string }): Actor {
  return {
    workspaceId,
    userId: systemUserId,
    isAdmin: true,
    capabilities: new Set(CAPABILITIES),
    departmentId: null,
    levels: emptyLevelTable('all'),
    dealPipelines: new Map(),
    departmentUserIds: [],
    departmentTreeUserIds: [],
    robot,
  };
}
