import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { conflict, fieldInvalid, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { LEAD_STATUS_SEMANTICS, type ReferenceKind } from './defaults.js';
import { findItem, listItems, type ReferenceItemRow } from './reference-lists.repo.js';
import { toItem } from './reference-lists.mapper.js';
import type { ItemCreateInput, ItemPatchInput } from './reference-lists.schema.js';
import type { ReferenceItem } from './reference-lists.types.js';

// Administrator's edits of one reference list. Items are deactivated, never deleted, so that
// records that use them keep their label.

type Trx = Transaction<Database>;

export const MAX_ITEMS = 500;

/**
 * A no-op update of every item of the list: on PostgreSQL it row-locks the list, so the
 * checks below (duplicate names, one active lead status of each semantic) cannot be raced
 * by a concurrent edit of the same list. SQLite serialises writers anyway.
 */
async function lockList(trx: Trx, workspaceId: number, kind: ReferenceKind): Promise<ReferenceItemRow[]> {
  await trx.updateTable('reference_items').set((eb) => ({ active: eb.ref('active') })).where('workspace_id', '=', workspaceId).where('kind', '=', kind).execute();
  return listItems(trx, workspaceId, kind, true);
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase('ru') === b.trim().toLocaleLowerCase('ru');

function refuseDuplicate(items: ReferenceItemRow[], name: string, exceptId?: number): void {
  if (items.some((i) => i.active && i.id !== exceptId && sameName(i.name, name))) {
    throw conflict(`The list already has an item named "${name}"`, [{ path: 'name', message: 'is already in the list' }]);
  }
}

/** Lead statuses: leads need an in-progress, a converted and a junk status to be put in. */
function refuseLosingLastSemantic(kind: ReferenceKind, items: ReferenceItemRow[], leaving: ReferenceItemRow, path: string): void {
  if (kind !== 'lead-statuses' || !leaving.active || !leaving.semantic) return;
  const others = items.filter((i) => i.active && i.id !== leaving.id && i.semantic === leaving.semantic);
  if (others.length === 0) {
    throw ruleViolation(
      'last_lead_status_of_kind',
      `"${leaving.name}" is the last active lead status of kind ${leaving.semantic}; add another one first`,
      [{ path, message: `at least one active ${leaving.semantic} lead status must remain` }],
      { name: leaving.name, semantic: leaving.semantic ?? '' },
    );
  }
}

function checkSemantic(kind: ReferenceKind, semantic: string | undefined, required: boolean): void {
  if (kind !== 'lead-statuses') {
    if (semantic !== undefined) throw fieldInvalid('semantic', 'only lead statuses have a semantic');
  } else if (required && semantic === undefined) {
    throw fieldInvalid('semantic', `is required for lead statuses: one of ${LEAD_STATUS_SEMANTICS.join(', ')}`);
  }
}

export async function createItem(ctx: AppContext, actor: Actor, kind: ReferenceKind, input: ItemCreateInput): Promise<ReferenceItem> {
  requireAdmin(actor);
  checkSemantic(kind, input.semantic, true);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  return inTransaction(ctx.db.kysely, async (trx) => {
    const items = await lockList(trx, ws, kind);
    if (items.length >= MAX_ITEMS) throw ruleViolation('too_many_list_items', `A list holds at most ${MAX_ITEMS} items, counting deactivated ones`, [], { max: MAX_ITEMS });
    refuseDuplicate(items, input.name);
    const sort = input.sort ?? items.reduce((max, i) => Math.max(max, i.sort), 0) + 10;
    const row = await trx
      .insertInto('reference_items')
      .values({ workspace_id: ws, kind, name: input.name, sort, semantic: input.semantic ?? null, active: 1, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return toItem((await findItem(trx, ws, kind, row.id))!);
  });
}

export async function patchItem(
  ctx: AppContext,
  actor: Actor,
  kind: ReferenceKind,
  id: number,
  input: ItemPatchInput,
  expectedVersion: number,
): Promise<ReferenceItem> {
  requireAdmin(actor);
  checkSemantic(kind, input.semantic, false);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  return inTransaction(ctx.db.kysely, async (trx) => {
    const items = await lockList(trx, ws, kind);
    const current = items.find((i) => i.id === id);
    if (!current) throw notFound('Reference item');
    if (current.version !== expectedVersion) throw versionConflict(toItem(current));
    if (input.semantic !== undefined && input.semantic !== current.semantic) {
      // Leads keep a copy of their status's semantic; a changed semantic would leave them inconsistent.
      throw ruleViolation('lead_status_semantic_fixed', 'A lead status keeps its semantic; add a new status and deactivate this one instead', [
        { path: 'semantic', message: 'cannot be changed' },
      ]);
    }
    const active = input.active ?? current.active === 1;
    if (active) refuseDuplicate(items, input.name ?? current.name, id);
    if (!active) refuseLosingLastSemantic(kind, items, current, 'active');
    const res = await trx
      .updateTable('reference_items')
      .set((eb) => ({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.sort !== undefined ? { sort: input.sort } : {}),
        active: active ? 1 : 0,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('workspace_id', '=', ws)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw versionConflict(toItem(current));
    return toItem((await findItem(trx, ws, kind, id))!);
  });
}

/** DELETE: deactivates the item (idempotent). */
export async function deactivateItem(ctx: AppContext, actor: Actor, kind: ReferenceKind, id: number): Promise<void> {
  requireAdmin(actor);
  const ws = actor.workspaceId;
  const now = nowIso(ctx.clock);
  await inTransaction(ctx.db.kysely, async (trx) => {
    const items = await lockList(trx, ws, kind);
    const current = items.find((i) => i.id === id);
    if (!current) throw notFound('Reference item');
    if (!current.active) return;
    refuseLosingLastSemantic(kind, items, current, 'id');
    await trx
      .updateTable('reference_items')
      .set((eb) => ({ active: 0, version: eb('version', '+', 1), updated_at: now }))
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .execute();
  });
}
