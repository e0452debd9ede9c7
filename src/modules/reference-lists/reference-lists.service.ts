import type { AppContext, Executor } from '../../server/context.js';
import { fieldInvalid, notFound } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { REFERENCE_KINDS, type ReferenceKind } from './defaults.js';
import { findItem, firstActiveBySemantic, listItems } from './reference-lists.repo.js';
import { toItem, toRef } from './reference-lists.mapper.js';
import type { ReferenceItem, ReferenceItemRef } from './reference-lists.types.js';
import type { ItemCreateInput, ItemPatchInput } from './reference-lists.schema.js';
import { createItem, deactivateItem, patchItem } from './item-edits.js';

/** The list named in a URL; an unknown one is a 404 like any unknown resource. */
export function parseKind(raw: string): ReferenceKind {
  if (!(REFERENCE_KINDS as readonly string[]).includes(raw)) throw notFound('Reference list');
  return raw as ReferenceKind;
}

// Editable per-workspace lists (sources, loss reasons, contact/company types, industries,
// lead statuses). Items are never deleted, only deactivated, so old records keep their label.

export class ReferenceListsService {
  constructor(private readonly ctx: AppContext) {}

  // --- contract used by other modules ---

  /**
   * Checks that `id` is an active item of the list, for a value a user is setting now;
   * otherwise a 400 on `path`. Pass `{ allowInactive: true }` to accept a deactivated item
   * (e.g. when a record keeps the value it already had).
   */
  async ensureItem(
    exec: Executor,
    workspaceId: number,
    kind: ReferenceKind,
    id: number,
    path: string,
    opts: { allowInactive?: boolean } = {},
  ): Promise<ReferenceItemRef> {
    const row = await findItem(exec, workspaceId, kind, id);
    if (!row) throw fieldInvalid(path, `is not an item of the ${kind} list`);
    if (!row.active && !opts.allowInactive) throw fieldInvalid(path, `is a deactivated item of the ${kind} list`);
    return toRef(row);
  }

  /** The status new leads get: the first active in-progress status. */
  defaultLeadStatus(exec: Executor, workspaceId: number): Promise<ReferenceItemRef> {
    return this.leadStatusBySemantic(exec, workspaceId, 'in_progress');
  }

  /** The first active lead status of a semantic; one of each is always kept active. */
  async leadStatusBySemantic(exec: Executor, workspaceId: number, semantic: 'in_progress' | 'converted' | 'junk'): Promise<ReferenceItemRef> {
    const row = await firstActiveBySemantic(exec, workspaceId, 'lead-statuses', semantic);
    if (!row) throw new Error(`workspace ${workspaceId} has no active ${semantic} lead status`);
    return toRef(row);
  }

  // --- API use cases (everyone reads, administrators write) ---

  async list(actor: Actor, kind: ReferenceKind, includeInactive: boolean): Promise<ReferenceItem[]> {
    return (await listItems(this.ctx.db.kysely, actor.workspaceId, kind, includeInactive)).map(toItem);
  }

  create(actor: Actor, kind: ReferenceKind, input: ItemCreateInput): Promise<ReferenceItem> {
    return createItem(this.ctx, actor, kind, input);
  }

  update(actor: Actor, kind: ReferenceKind, id: number, input: ItemPatchInput, expectedVersion: number): Promise<ReferenceItem> {
    return patchItem(this.ctx, actor, kind, id, input, expectedVersion);
  }

  deactivate(actor: Actor, kind: ReferenceKind, id: number): Promise<void> {
    return deactivateItem(this.ctx, actor, kind, id);
  }
}
