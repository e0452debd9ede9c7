import type { Selectable } from 'kysely';
import type { Executor } from '../../server/context.js';
import type { ReferenceItemsTable } from '../../db/schema.js';

// Kysely queries of the reference-lists module (table `reference_items`).

export type ReferenceItemRow = Selectable<ReferenceItemsTable>;

export const findItem = (exec: Executor, workspaceId: number, kind: string, id: number): Promise<ReferenceItemRow | undefined> =>
  exec
    .selectFrom('reference_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('id', '=', id)
    .executeTakeFirst();

export function listItems(exec: Executor, workspaceId: number, kind: string, includeInactive: boolean): Promise<ReferenceItemRow[]> {
  let q = exec.selectFrom('reference_items').selectAll().where('workspace_id', '=', workspaceId).where('kind', '=', kind);
  if (!includeInactive) q = q.where('active', '=', 1);
  return q.orderBy('sort').orderBy('id').execute();
}

/** The first active lead status with this semantic, in list order. */
export const firstActiveBySemantic = (exec: Executor, workspaceId: number, kind: string, semantic: string): Promise<ReferenceItemRow | undefined> =>
  exec
    .selectFrom('reference_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('semantic', '=', semantic)
    .where('active', '=', 1)
    .orderBy('sort')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
