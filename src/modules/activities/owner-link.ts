import type { AppContext, Executor } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import type { OwnerType } from './activities.schema.js';

// An activity hangs on a record (deal, lead, contact or company): the actor must be able to see
// that record, its timeline tells about the activity, and a deal keeps its next step up to date.

export interface Owner {
  type: OwnerType;
  id: number;
}

export const ownerOf = (r: { entity_type: OwnerType | null; entity_id: number | null }): Owner | null =>
  r.entity_type !== null && r.entity_id !== null ? { type: r.entity_type, id: r.entity_id } : null;

export const sameOwner = (a: Owner | null, b: Owner | null) => a?.type === b?.type && a?.id === b?.id;

/** A 400 on `path` unless the actor may read the owner record (the owning module decides). */
export async function ensureOwnerReadable(ctx: AppContext, exec: Executor, actor: Actor, owner: Owner, path: string): Promise<void> {
  const s = ctx.services;
  switch (owner.type) {
    case 'deal':
      await s.deals.ensureReadable(exec, actor, owner.id, path);
      return;
    case 'lead':
      await s.leads.ensureReadable(exec, actor, owner.id, path);
      return;
    case 'contact':
      await s.contacts.ensureReadable(exec, actor, owner.id, path);
      return;
    case 'company':
      await s.companies.ensureReadable(exec, actor, owner.id, path);
      return;
  }
}

const OWNER_NAMES: Record<OwnerType, string> = { deal: 'Deal', lead: 'Lead', contact: 'Contact', company: 'Company' };

/** For GET /{entity}/{id}/activities: an unreadable owner is a 404, as reading it directly would be. */
export async function requireReadableOwner(ctx: AppContext, exec: Executor, actor: Actor, owner: Owner): Promise<void> {
  try {
    await ensureOwnerReadable(ctx, exec, actor, owner, 'id');
  } catch (err) {
    if (err instanceof AppError && err.status === 400) throw notFound(OWNER_NAMES[owner.type]);
    throw err;
  }
}

/** Recomputes the next step of every deal among the owners touched by a change (same transaction). */
export async function refreshDeals(ctx: AppContext, trx: Executor, workspaceId: number, owners: Array<Owner | null>): Promise<void> {
  const dealIds = new Set(owners.filter((o): o is Owner => o?.type === 'deal').map((o) => o.id));
  for (const id of dealIds) await ctx.services.deals.refreshNextActivity(trx, workspaceId, id);
}
