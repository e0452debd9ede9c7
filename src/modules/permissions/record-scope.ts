import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Action, Entity } from './levels.js';
import { levelFor, usersForLevel, type Actor } from './actor.js';

// The permission filter as SQL, so that lists, counts, sums, search and exports can never
// show more than a single read would. Callers put it next to `workspace_id = ?`.

const inUsers = (column: string, users: number[] | null): RawBuilder<SqlBool> => {
  if (users === null) return sql<SqlBool>`1 = 1`;
  if (users.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(users)})`;
};

export interface ScopeColumns {
  /** e.g. 'deals.responsible_id' */
  responsible: string;
  /** deals only: 'deals.pipeline_id' for per-pipeline grants */
  pipeline?: string;
  /** deals only: 'deals.id', to let observers read the deals they watch */
  observedId?: string;
}

export function scopeFilter(actor: Actor, entity: Entity, action: Action, cols: ScopeColumns): RawBuilder<SqlBool> {
  const base = inUsers(cols.responsible, usersForLevel(actor, levelFor(actor, entity, action)));
  let filter = base;
  if (entity === 'deal' && cols.pipeline && actor.dealPipelines.size > 0) {
    const narrowedIds = [...actor.dealPipelines.keys()];
    const parts = [sql<SqlBool>`(${sql.ref(cols.pipeline)} not in (${sql.join(narrowedIds)}) and ${base})`];
    for (const pipelineId of narrowedIds) {
      const users = usersForLevel(actor, levelFor(actor, 'deal', action, pipelineId));
      parts.push(sql<SqlBool>`(${sql.ref(cols.pipeline)} = ${pipelineId} and ${inUsers(cols.responsible, users)})`);
    }
    filter = sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
  }
  if (entity === 'deal' && action === 'read' && cols.observedId) {
    filter = sql<SqlBool>`(${filter} or ${sql.ref(cols.observedId)} in (select deal_id from deal_observers where workspace_id = ${actor.workspaceId} and user_id = ${actor.userId}))`;
  }
  return filter;
}
