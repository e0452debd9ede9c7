import { ACTIONS, emptyLevelTable, widest, type Action, type Level, type LevelTable, type PermissionGrant } from './levels.js';

/**
 * Resolves the grants of several roles into one table, role by role, so that per-pipeline deal
 * grants only narrow the role that declares them:
 * - inside a role, a grant for (deal, action, pipeline P) replaces that role's general deal level
 *   for that action in P; actions it does not list keep the role's general level;
 * - across roles, the widest level wins — also per pipeline, where a role without a grant for P
 *   contributes its general deal level.
 * (Flattening all roles' grants first would let role B's "read in pipeline 2 only" take away the
 * pipeline-2 rights that role A grants everywhere.)
 */
export function resolveRoleGrants(roles: PermissionGrant[][]): { levels: LevelTable; dealPipelines: Map<number, Record<Action, Level>> } {
  const perRole = roles.map((grants) => {
    const general = emptyLevelTable();
    const pipelines = new Map<number, Partial<Record<Action, Level>>>();
    for (const g of grants) {
      if (g.entity === 'deal' && g.pipelineId !== null) {
        const row = pipelines.get(g.pipelineId) ?? {};
        row[g.action] = widest(row[g.action] ?? 'none', g.level);
        pipelines.set(g.pipelineId, row);
      } else {
        general[g.entity][g.action] = widest(general[g.entity][g.action], g.level);
      }
    }
    return { general, pipelines };
  });

  const levels = emptyLevelTable();
  for (const r of perRole) {
    for (const entity of Object.keys(levels) as Array<keyof LevelTable>) {
      for (const action of ACTIONS) levels[entity][action] = widest(levels[entity][action], r.general[entity][action]);
    }
  }

  const dealPipelines = new Map<number, Record<Action, Level>>();
  const pipelineIds = [...new Set(perRole.flatMap((r) => [...r.pipelines.keys()]))].sort((a, b) => a - b);
  for (const pipelineId of pipelineIds) {
    const row = Object.fromEntries(ACTIONS.map((a) => [a, 'none'])) as Record<Action, Level>;
    for (const r of perRole) {
      const own = r.pipelines.get(pipelineId);
      for (const action of ACTIONS) row[action] = widest(row[action], own?.[action] ?? r.general.deal[action]);
    }
    dealPipelines.set(pipelineId, row);
  }
  return { levels, dealPipelines };
}
