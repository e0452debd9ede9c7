import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { forbidden } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import type { DealCreateInput } from './deals.schema.js';
import { stageEntry, toDeal, type Deal } from './deals.mapper.js';
import * as repo from './deals.repo.js';
import { topPosition } from './positions.js';
import { enterStage } from './stage-history.js';
import {
  checkCompany,
  checkContacts,
  checkLossReason,
  checkObservers,
  checkSource,
  dealSearchText,
  isClosedSemantic,
  orderedContactIds,
  resolveNewDealStage,
  uniqueTags,
} from './deal-input.js';

/** A new deal lands on top of its stage column, with its first stage-history row and a `created` event. */
export async function createDeal(ctx: AppContext, actor: Actor, input: DealCreateInput, exec?: Executor): Promise<Deal> {
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const stage = await resolveNewDealStage(ctx, trx, ws, input.pipelineId, input.stageId);
    const responsibleId = input.responsibleId ?? actor.userId;
    if (input.responsibleId !== undefined) await ctx.services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
    if (!mayActOn(actor, 'deal', 'create', responsibleId, stage.pipelineId)) {
      throw forbidden('You may not create deals for this responsible user in this pipeline');
    }
    const contactIds = orderedContactIds(input.contactIds, input.primaryContactId) ?? [];
    const observerIds = [...new Set(input.observerIds ?? [])];
    await checkContacts(ctx, trx, actor, contactIds, 'contactIds');
    await checkCompany(ctx, trx, actor, input.companyId);
    await checkObservers(ctx, trx, ws, observerIds);
    await checkSource(ctx, trx, ws, input.sourceId);
    const lossReasonId = await checkLossReason(ctx, trx, ws, stage, input.lossReasonId);
    const custom = await ctx.services.customFields.validate(trx, actor, 'deal', input.custom ?? {});
    const tags = uniqueTags(input.tags ?? []);

    const now = nowIso(ctx.clock);
    const closed = isClosedSemantic(stage.semantic);
    const row = await repo.insertDeal(trx, {
      workspace_id: ws,
      title: input.title,
      pipeline_id: stage.pipelineId,
      stage_id: stage.id,
      stage_semantic: stage.semantic,
      position: await topPosition(trx, ws, stage.id),
      amount: input.amount ?? 0,
      currency: input.currency ?? (await ctx.services.workspaces.getSettings(trx, ws)).currency,
      responsible_id: responsibleId,
      created_by_id: actor.userId,
      company_id: input.companyId ?? null,
      contact_id: contactIds[0] ?? null,
      source_id: input.sourceId ?? null,
      loss_reason_id: lossReasonId,
      lead_id: input.leadId ?? null,
      close_date: input.closeDate ?? null,
      probability: input.probability ?? null,
      tags: JSON.stringify(tags),
      comment: input.comment ?? null,
      closed: closed ? 1 : 0,
      closed_at: closed ? now : null,
      stage_changed_at: now,
      custom: JSON.stringify(custom),
      search_text: dealSearchText(input.title),
      created_at: now,
      updated_at: now,
    });
    const id = row.id;
    // a new deal has no links to remove, and its links are the ones written here
    await repo.insertContacts(trx, ws, id, contactIds);
    await repo.insertObservers(trx, ws, id, observerIds);
    await repo.insertTags(trx, ws, id, tags);
    await enterStage(trx, ws, [stageEntry(row)], now, actor.userId, { isNew: true });
    const deal = toDeal(row, { contactIds, observerIds: [...observerIds].sort((a, b) => a - b) }, now);
    await ctx.services.timeline.record(trx, ws, actor, {
      entityType: 'deal',
      entityId: id,
      kind: 'created',
      data: { title: deal.title, pipelineId: deal.pipelineId, stageId: deal.stageId, amount: deal.amount, currency: deal.currency, responsibleId },
    });
    return deal;
  });
}
