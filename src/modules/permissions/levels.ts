// Record-level permission vocabulary. A role grants, per entity and action, a level; a user
// with several roles gets the widest level of any of them.

export const ENTITIES = ['lead', 'deal', 'contact', 'company', 'activity'] as const;
export const ACTIONS = ['read', 'create', 'update', 'delete', 'export'] as const;
export const LEVELS = ['none', 'own', 'department', 'department_tree', 'all'] as const;

export type Entity = (typeof ENTITIES)[number];
export type Action = (typeof ACTIONS)[number];
export type Level = (typeof LEVELS)[number];

export const levelRank = (l: Level): number => LEVELS.indexOf(l);
export const widest = (a: Level, b: Level): Level => (levelRank(a) >= levelRank(b) ? a : b);

export type LevelTable = Record<Entity, Record<Action, Level>>;

export function emptyLevelTable(level: Level = 'none'): LevelTable {
  const t = {} as LevelTable;
  for (const e of ENTITIES) {
    t[e] = {} as Record<Action, Level>;
    for (const a of ACTIONS) t[e][a] = level;
  }
  return t;
}

export interface PermissionGrant {
  entity: Entity;
  action: Action;
  level: Level;
  /** deals only: the grant applies to this pipeline instead of all */
  pipelineId: number | null;
}

/** Built-in roles created with every workspace; administrators may edit them or add more. */
export function builtInRoleGrants(code: 'admin' | 'head_of_sales' | 'manager'): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  const set = (entity: Entity, action: Action, level: Level) => grants.push({ entity, action, level, pipelineId: null });
  for (const e of ENTITIES) {
    for (const a of ACTIONS) {
      if (code === 'admin') set(e, a, 'all');
      else if (code === 'head_of_sales') set(e, a, a === 'delete' ? 'department_tree' : 'department_tree');
      else {
        // A manager works their own records but can find the department's clients to link them.
        const shared = (e === 'contact' || e === 'company') && a === 'read';
        set(e, a, a === 'delete' ? (e === 'activity' ? 'own' : 'none') : shared ? 'department' : 'own');
      }
    }
  }
  return grants;
}
