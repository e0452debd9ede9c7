import { inTransaction, type Executor } from '../../server/context.js';
import type { Updateable } from 'kysely';
import type { DealsTable } from '../../db/schema.js';
import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { forbidden, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { diffFields, type TimelineEvent } from '../timeline/timeline.service.js';
import type { DealPatchInput } from './deals.schema.js';
import { toDeal, type Deal } from './deals.mapper.js';
import * as repo from './deals.repo.js';
import { dealScope } from './deal-filters.js';
import { checkCompany, checkContacts, checkObservers, checkSource, dealSearchText, orderedContactIds, uniqueTags } from './deal-input.js';

/** Fields whose changes go into the `updated` event (the responsible has its own event). */
const DIFFED = ['title', 'amount', 'currency', 'observerIds', 'contactIds', 'companyId', 'sourceId', 'closeDate', 'probability', 'tags', 'comment', 'custom'];

/**
 * Loads a deal for a write: 404 outside the read scope, 403 outside the update scope. The row is
 * locked until commit, so that a concurrent writer's checks (version, product rows) all see one
 * state: the loser waits, then finds the new version and gets its 409.
 */
export async function loadForUpdate(ctx: AppContext, trx: Parameters<typeof repo.findDeal>[0], actor: Actor, id: number) {
  const row = await repo.findDeal(trx, actor.workspaceId, id, dealScope(actor, 'read'), ctx.db.dialect === 'postgres');
  if (!row) throw notFound('Deal');
  if (!mayActOn(actor, 'deal', 'update', row.responsible_id, row.pipeline_id)) throw forbidden('You may not change this deal');
  return row;
}

/** The record as it is now, for the 409 answer. */
export async function currentDeal(ctx: AppContext, trx: Parameters<typeof repo.findDeal>[0], workspaceId: number, id: number): Promise<Deal | null> {
  const row = await repo.findDeal(trx, workspaceId, id);
  if (!row) return null;
  return toDeal(row, (await repo.loadLinks(trx, workspaceId, [id])).get(id), nowIso(ctx.clock));
}

export async function updateDeal(ctx: AppContext, actor: Actor, id: number, input: DealPatchInput, expectedVersion: number, exec?: Executor): Promise<Deal> {
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await loadForUpdate(ctx, trx, actor, id);
    if (row.version !== expectedVersion) throw versionConflict(await currentDeal(ctx, trx, ws, id));
    const now = nowIso(ctx.clock);
    const before = toDeal(row, (await repo.loadLinks(trx, ws, [id])).get(id), now);

    if (input.amount !== undefined && input.amount !== before.amount && (await repo.countProductRows(trx, ws, id)) > 0) {
      throw ruleViolation('amount_follows_products', 'The amount of a deal with product rows follows its rows; change the rows instead', [
        { path: 'amount', message: 'follows the product rows' },
      ]);
    }
    if (input.responsibleId !== undefined && input.responsibleId !== row.responsible_id) {
      await ctx.services.users.ensureUser(trx, ws, input.responsibleId, 'responsibleId');
      if (!mayActOn(actor, 'deal', 'update', input.responsibleId, row.pipeline_id)) {
        throw forbidden('You may not hand the deal to this user');
      }
    }
    const contactIds = orderedContactIds(input.contactIds, input.primaryContactId, before.contactIds);
    const contactsChanged = contactIds !== undefined && JSON.stringify(contactIds) !== JSON.stringify(before.contactIds);
    // Only new links are validated: a link made by someone else earlier stays even if the actor cannot read it.
    if (contactsChanged) {
      const added = contactIds.filter((c) => !before.contactIds.includes(c));
      await checkContacts(ctx, trx, actor, added, 'contactIds');
    }
    if (input.companyId !== undefined && input.companyId !== before.companyId) await checkCompany(ctx, trx, actor, input.companyId);
    if (input.observerIds) await checkObservers(ctx, trx, ws, input.observerIds.filter((o) => !before.observerIds.includes(o)));
    if (input.sourceId !== undefined && input.sourceId !== before.sourceId) await checkSource(ctx, trx, ws, input.sourceId);
    const custom = input.custom !== undefined ? await ctx.services.customFields.validate(trx, actor, 'deal', input.custom, before.custom) : undefined;
    const tags = input.tags !== undefined ? uniqueTags(input.tags) : undefined;

    const set: Updateable<DealsTable> = { updated_at: now };
    if (input.title !== undefined) set.title = input.title;
    if (input.amount !== undefined) set.amount = input.amount;
    if (input.currency !== undefined) set.currency = input.currency;
    if (input.responsibleId !== undefined) set.responsible_id = input.responsibleId;
    if (contactIds !== undefined) set.contact_id = contactIds[0] ?? null;
    if (input.companyId !== undefined) set.company_id = input.companyId;
    if (input.sourceId !== undefined) set.source_id = input.sourceId;
    if (input.closeDate !== undefined) set.close_date = input.closeDate;
    if (input.probability !== undefined) set.probability = input.probability;
    if (tags !== undefined) set.tags = JSON.stringify(tags);
    if (input.comment !== undefined) set.comment = input.comment;
    if (custom !== undefined) set.custom = JSON.stringify(custom);
    if (input.title !== undefined) set.search_text = dealSearchText(input.title);

    // The version-guarded write comes first: a concurrent writer blocks here and then finds 0 rows.
    if (!(await repo.updateDealVersioned(trx, ws, id, expectedVersion, set))) throw versionConflict(await currentDeal(ctx, trx, ws, id));
    if (contactsChanged) await repo.replaceContacts(trx, ws, id, contactIds);
    if (input.observerIds !== undefined) await repo.replaceObservers(trx, ws, id, [...new Set(input.observerIds)]);
    if (tags !== undefined) await repo.replaceTags(trx, ws, id, tags);

    const after = (await currentDeal(ctx, trx, ws, id))!;
    const events: TimelineEvent[] = [];
    const changes = diffFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, DIFFED);
    if (Object.keys(changes).length > 0) events.push({ entityType: 'deal', entityId: id, kind: 'updated', data: { changes } });
    if (after.responsibleId !== before.responsibleId) {
      events.push({ entityType: 'deal', entityId: id, kind: 'responsible_changed', data: { old: before.responsibleId, new: after.responsibleId } });
    }
    await ctx.services.timeline.record(trx, ws, actor, events);
    return after;
  });
}
