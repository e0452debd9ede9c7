import { type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Database, DealContactsTable, DealObserversTable, DealProductsTable, DealsTable, DealTagsTable } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import type { Actor } from '../permissions/actor.js';
import type { ParkedActivity } from '../activities/activities.service.js';
import { stageEntry, type DealRow } from './deals.mapper.js';
import { topPosition } from './positions.js';
import { isClosedSemantic } from './deal-input.js';
import { enterStage, stageMovedEvent } from './stage-history.js';

// A deal going to the recycle bin and coming back (the bin itself is src/modules/recycle-bin/).
// The snapshot holds the deal row and the rows of the deals module that go with it (contacts,
// observers, tags, product rows) and the activities it had; stage history and timeline stay.

export interface DealSnapshot {
  deal: DealRow;
  contacts: Array<Selectable<DealContactsTable>>;
  observers: Array<Selectable<DealObserversTable>>;
  tags: Array<Selectable<DealTagsTable>>;
  products: Array<Selectable<DealProductsTable>>;
  activities: ParkedActivity[];
}

/** Takes the deal out of the live tables (the board totals follow by trigger); returns its snapshot. */
export async function takeDealOut(ctx: AppContext, trx: Executor, row: DealRow): Promise<DealSnapshot> {
  const ws = row.workspace_id;
  const snapshot: DealSnapshot = {
    deal: row,
    contacts: await trx.selectFrom('deal_contacts').selectAll().where('workspace_id', '=', ws).where('deal_id', '=', row.id).execute(),
    observers: await trx.selectFrom('deal_observers').selectAll().where('workspace_id', '=', ws).where('deal_id', '=', row.id).execute(),
    tags: await trx.selectFrom('deal_tags').selectAll().where('workspace_id', '=', ws).where('deal_id', '=', row.id).execute(),
    products: await trx.selectFrom('deal_products').selectAll().where('workspace_id', '=', ws).where('deal_id', '=', row.id).execute(),
    activities: await ctx.services.activities.park(trx, ws, 'deal', row.id),
  };
  await trx.deleteFrom('deals').where('workspace_id', '=', ws).where('id', '=', row.id).execute();
  return snapshot;
}

/**
 * Puts the deal back under its id, on top of its column. Links to contacts or a company purged
 * meanwhile are dropped; a stage archived meanwhile (or a pipeline gone) sends the deal to the
 * first stage of its pipeline (or of the default one), which is a stage move with its history row.
 */
export async function putDealBack(ctx: AppContext, trx: Transaction<Database>, actor: Actor, snapshot: DealSnapshot): Promise<void> {
  const { deal } = snapshot;
  const ws = actor.workspaceId;
  const p = ctx.services.pipelines;
  const now = nowIso(ctx.clock);
  let stage = await p.getStage(trx, ws, deal.stage_id);
  const stageGone = !stage;
  if (!stage) {
    const pipeline = (await p.getPipeline(trx, ws, deal.pipeline_id)) ?? (await p.defaultPipeline(trx, ws));
    stage = (await p.firstStage(trx, ws, pipeline.id)) ?? pipeline.stages[0]!;
  }
  const contactIds = new Set(await ctx.services.contacts.existingIds(trx, ws, snapshot.contacts.map((c) => c.contact_id)));
  const companyOk = deal.company_id !== null && (await ctx.services.companies.existingIds(trx, ws, [deal.company_id])).length === 1;
  const closed = isClosedSemantic(stage.semantic);
  const values: Insertable<DealsTable> = {
    ...deal,
    amount: Number(deal.amount),
    pipeline_id: stage.pipelineId,
    stage_id: stage.id,
    stage_semantic: stage.semantic,
    position: await topPosition(trx, ws, stage.id),
    contact_id: deal.contact_id !== null && contactIds.has(deal.contact_id) ? deal.contact_id : null,
    company_id: companyOk ? deal.company_id : null,
    ...(stageGone
      ? { stage_changed_at: now, closed: closed ? 1 : 0, closed_at: closed ? now : null, loss_reason_id: stage.semantic === 'failure' ? deal.loss_reason_id : null }
      : {}),
    // the next activity is recomputed once the activities are back
    next_activity_id: null,
    next_activity_deadline: null,
    updated_at: now,
    version: deal.version + 1,
  };
  await trx.insertInto('deals').values(values).execute();
  const links = snapshot.contacts.filter((c) => contactIds.has(c.contact_id));
  if (links.length) await trx.insertInto('deal_contacts').values(links).execute();
  if (snapshot.observers.length) await trx.insertInto('deal_observers').values(snapshot.observers).execute();
  if (snapshot.tags.length) await trx.insertInto('deal_tags').values(snapshot.tags).execute();
  if (snapshot.products.length) {
    await trx.insertInto('deal_products').values(snapshot.products.map((r) => ({ ...r, price: Number(r.price), total: Number(r.total), vat_amount: Number(r.vat_amount) }))).execute();
  }
  if (stageGone) {
    const row = { ...deal, pipeline_id: stage.pipelineId, stage_id: stage.id, stage_semantic: stage.semantic };
    await enterStage(trx, ws, [stageEntry(row)], now, actor.userId);
    await ctx.services.timeline.record(
      trx,
      ws,
      actor,
      stageMovedEvent(
        deal.id,
        { pipelineId: deal.pipeline_id, stageId: deal.stage_id, semantic: deal.stage_semantic },
        { pipelineId: stage.pipelineId, stageId: stage.id, semantic: stage.semantic },
        { reason: 'restored_stage_archived' },
      ),
    );
  }
  await ctx.services.activities.unpark(trx, ws, 'deal', deal.id, snapshot.activities);
  await ctx.services.deals.refreshNextActivity(trx, ws, deal.id);
}

// --- links of other records' deals (a contact or company in the bin) ---

export interface ContactDealLinks {
  links: Array<{ dealId: number; isPrimary: number; sort: number }>;
  /** deals whose primary contact it was */
  primaryOf: number[];
}

export async function contactDealLinks(exec: Executor, ws: number, contactId: number): Promise<ContactDealLinks> {
  const links = await exec.selectFrom('deal_contacts').select(['deal_id', 'is_primary', 'sort']).where('workspace_id', '=', ws).where('contact_id', '=', contactId).execute();
  const primary = await exec.selectFrom('deals').select('id').where('workspace_id', '=', ws).where('contact_id', '=', contactId).execute();
  return { links: links.map((l) => ({ dealId: l.deal_id, isPrimary: l.is_primary, sort: l.sort })), primaryOf: primary.map((p) => p.id) };
}

/** The links come back for the deals that still exist (and, for the primary contact, have none meanwhile). */
export async function restoreContactDealLinks(exec: Executor, ws: number, contactId: number, saved: ContactDealLinks): Promise<void> {
  const dealIds = [...new Set([...saved.links.map((l) => l.dealId), ...saved.primaryOf])];
  if (dealIds.length === 0) return;
  const live = new Set((await exec.selectFrom('deals').select('id').where('workspace_id', '=', ws).where('id', 'in', dealIds).execute()).map((r) => r.id));
  const links = saved.links.filter((l) => live.has(l.dealId));
  if (links.length) {
    await exec
      .insertInto('deal_contacts')
      .values(links.map((l) => ({ workspace_id: ws, deal_id: l.dealId, contact_id: contactId, is_primary: l.isPrimary, sort: l.sort })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const primaryOf = saved.primaryOf.filter((id) => live.has(id));
  if (primaryOf.length) {
    await exec.updateTable('deals').set({ contact_id: contactId }).where('workspace_id', '=', ws).where('id', 'in', primaryOf).where('contact_id', 'is', null).execute();
  }
}

export async function companyDealIds(exec: Executor, ws: number, companyId: number): Promise<number[]> {
  return (await exec.selectFrom('deals').select('id').where('workspace_id', '=', ws).where('company_id', '=', companyId).execute()).map((r) => r.id);
}

export async function restoreCompanyDeals(exec: Executor, ws: number, companyId: number, dealIds: number[]): Promise<void> {
  if (dealIds.length === 0) return;
  await exec.updateTable('deals').set({ company_id: companyId }).where('workspace_id', '=', ws).where('id', 'in', dealIds).where('company_id', 'is', null).execute();
}
