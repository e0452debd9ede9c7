import type { StageSemantic } from '../pipelines/defaults.js';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { AppError, fieldInvalid, forbidden, notFound, versionConflict } from '../../server/errors.js';
import type { Page } from '../../server/http/list-query.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import type { TimelineEntry } from '../timeline/timeline.service.js';
import type { DealCreateInput, DealListQuery, DealMoveInput, DealPatchInput, DealFilters, ProductRowInput } from './deals.schema.js';
import type { Deal } from './deals.mapper.js';
import * as repo from './deals.repo.js';
import { dealScope } from './deal-filters.js';
import { createDeal } from './create-deal.js';
import { currentDeal, updateDeal } from './update-deal.js';
import { moveDeal } from './move-deal.js';
import { getDealProducts, replaceDealProducts } from './deal-products.js';
import { forReader, hydrate, listDeals } from './list-deals.js';
import { readBoard, readBoardColumn } from './board.js';
import { moveAllFromStage } from './move-all-from-stage.js';
import { listStageHistory } from './stage-history.js';
import { companyDealIds, contactDealLinks, putDealBack, restoreCompanyDeals, restoreContactDealLinks, takeDealOut, type ContactDealLinks, type DealSnapshot } from './deal-bin.js';

export class DealsService {
  constructor(private readonly ctx: AppContext) {}

  private get db() {
    return this.ctx.db.kysely;
  }

  // --- use cases behind the REST API (and other modules) ---

  create(actor: Actor, input: DealCreateInput, exec?: Executor): Promise<Deal> {
    return createDeal(this.ctx, actor, input, exec); // a new deal has no next activity yet
  }

  /** 404 outside the actor's read scope. */
  async get(actor: Actor, id: number, exec: Executor = this.db): Promise<Deal> {
    const row = await repo.findDeal(exec, actor.workspaceId, id, dealScope(actor, 'read'));
    if (!row) throw notFound('Deal');
    return (await hydrate(this.ctx, exec, actor, [row]))[0]!;
  }

  list(actor: Actor, query: DealListQuery): Promise<Page<Deal>> {
    return listDeals(this.ctx, actor, query);
  }

  update(actor: Actor, id: number, input: DealPatchInput, expectedVersion: number, exec?: Executor): Promise<Deal> {
    return this.asSeenBy(actor, updateDeal(this.ctx, actor, id, input, expectedVersion, exec), exec);
  }

  move(actor: Actor, id: number, input: DealMoveInput, exec?: Executor): Promise<Deal> {
    return this.asSeenBy(actor, moveDeal(this.ctx, actor, id, input, exec), exec);
  }

  /** A changed deal as the actor may see it (forReader); so is the current deal in a 409 answer. */
  private async asSeenBy(actor: Actor, change: Promise<Deal>, exec: Executor = this.db): Promise<Deal> {
    return (await forReader(this.ctx, exec, actor, [await this.conflictAsSeenBy(actor, change, exec)]))[0]!;
  }

  private async conflictAsSeenBy<T>(actor: Actor, work: Promise<T>, exec: Executor = this.db): Promise<T> {
    try {
      return await work;
    } catch (e) {
      const current = e instanceof AppError && e.code === 'version_conflict' ? (e.extra.current as Deal | null | undefined) : undefined;
      if (current) throw versionConflict((await forReader(this.ctx, exec, actor, [current]))[0]);
      throw e;
    }
  }

  board(actor: Actor, pipelineId: number, filters: DealFilters, limit: number) {
    return readBoard(this.ctx, actor, pipelineId, filters, limit);
  }

  boardColumn(actor: Actor, pipelineId: number, stageId: number, filters: DealFilters, limit: number, cursor?: string) {
    return readBoardColumn(this.ctx, actor, pipelineId, stageId, filters, limit, cursor);
  }

  getProducts(actor: Actor, id: number) {
    return getDealProducts(this.ctx, actor, id);
  }

  replaceProducts(actor: Actor, id: number, rows: ProductRowInput[], version?: number) {
    return this.conflictAsSeenBy(actor, replaceDealProducts(this.ctx, actor, id, rows, version));
  }

  /**
   * To the recycle bin: the row leaves the live tables with its links and product rows (kept in
   * the bin's snapshot), its activities are detached until a restore; stage history and the
   * timeline (ending in `deleted`) stay.
   */
  async delete(actor: Actor, id: number, expectedVersion?: number): Promise<void> {
    const ws = actor.workspaceId;
    const deleting = this.db.transaction().execute(async (trx) => {
      const row = await repo.findDeal(trx, ws, id, dealScope(actor, 'read'), this.ctx.db.dialect === 'postgres');
      if (!row) throw notFound('Deal');
      if (!mayActOn(actor, 'deal', 'delete', row.responsible_id, row.pipeline_id)) throw forbidden('You may not delete this deal');
      if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionConflict(await currentDeal(this.ctx, trx, ws, id));
      const snapshot = await takeDealOut(this.ctx, trx, row);
      await this.ctx.services.recycleBin.put(trx, ws, actor.userId, {
        entityType: 'deal',
        entityId: id,
        title: row.title,
        responsibleId: row.responsible_id,
        pipelineId: row.pipeline_id,
        snapshot,
      });
      await this.ctx.services.timeline.record(trx, ws, actor, {
        entityType: 'deal',
        entityId: id,
        kind: 'deleted',
        data: { title: row.title, pipelineId: row.pipeline_id, stageId: row.stage_id, amount: Number(row.amount), currency: row.currency },
      });
    });
    await this.conflictAsSeenBy(actor, deleting);
  }

  /** Recycle bin → live tables (called by the recycle-bin module in its transaction). */
  restoreFromBin(trx: Transaction<Database>, actor: Actor, _id: number, snapshot: unknown): Promise<void> {
    return putDealBack(this.ctx, trx, actor, snapshot as DealSnapshot);
  }

  /** A contact going to the bin: its deal links, to give back on restore. */
  contactLinks(exec: Executor, workspaceId: number, contactId: number): Promise<ContactDealLinks> {
    return contactDealLinks(exec, workspaceId, contactId);
  }

  restoreContactLinks(exec: Executor, workspaceId: number, contactId: number, saved: ContactDealLinks): Promise<void> {
    return restoreContactDealLinks(exec, workspaceId, contactId, saved);
  }

  /** A company going to the bin: the deals it is the client of. */
  companyDeals(exec: Executor, workspaceId: number, companyId: number): Promise<number[]> {
    return companyDealIds(exec, workspaceId, companyId);
  }

  restoreCompanyDeals(exec: Executor, workspaceId: number, companyId: number, dealIds: number[]): Promise<void> {
    return restoreCompanyDeals(exec, workspaceId, companyId, dealIds);
  }

  async stageHistory(actor: Actor, id: number) {
    await this.get(actor, id);
    const rows = await listStageHistory(this.db, actor.workspaceId, id);
    // archived stages (removed from their pipeline) still answer by id
    const names = await this.ctx.services.pipelines.stageNames(this.db, actor.workspaceId, [...new Set(rows.map((r) => r.stage_id))]);
    return rows.map((r) => ({
      id: r.id,
      pipelineId: r.pipeline_id,
      stageId: r.stage_id,
      stageName: names.get(r.stage_id) ?? null,
      stageSemantic: r.stage_semantic as StageSemantic,
      responsibleId: r.responsible_id,
      amount: Number(r.amount),
      currency: r.currency,
      enteredAt: r.entered_at,
      enteredById: r.entered_by_id,
      exitedAt: r.exited_at,
      exitedById: r.exited_by_id,
    }));
  }

  async timeline(actor: Actor, id: number, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
    await this.get(actor, id);
    return this.ctx.services.timeline.list(actor, 'deal', id, limit, cursor);
  }

  /** A comment needs read access to the deal: observers may comment too. */
  async comment(actor: Actor, id: number, text: string): Promise<TimelineEntry> {
    await this.get(actor, id);
    await this.ctx.services.timeline.record(this.db, actor.workspaceId, actor, { entityType: 'deal', entityId: id, kind: 'comment', data: { text } });
    const latest = await this.db
      .selectFrom('timeline_entries')
      .selectAll()
      .where('workspace_id', '=', actor.workspaceId)
      .where('entity_type', '=', 'deal')
      .where('entity_id', '=', id)
      .where('author_id', '=', actor.userId)
      .where('kind', '=', 'comment')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return {
      id: latest.id,
      entityType: 'deal',
      entityId: latest.entity_id,
      kind: latest.kind,
      authorId: latest.author_id,
      robot: latest.robot_id === null ? null : { id: Number(latest.robot_id), name: latest.robot_name ?? '', ...(latest.robot_kind ? { kind: latest.robot_kind } : {}) },
      createdAt: latest.created_at,
      data: JSON.parse(latest.data) as Record<string, unknown>,
    };
  }

  // --- contract methods for other modules ---

  /** Of the given ids, those the actor may read now (notifications about records show only these). */
  async readableIds(exec: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const rows = await exec.selectFrom('deals').select('id').where('workspace_id', '=', actor.workspaceId).where('id', 'in', unique).where(dealScope(actor, 'read')).execute();
    return new Set(rows.map((r) => r.id));
  }

  async ensureReadable(exec: Executor, actor: Actor, id: number, path: string): Promise<{ id: number; title: string }> {
    const row = await exec
      .selectFrom('deals')
      .select(['id', 'title'])
      .where('workspace_id', '=', actor.workspaceId)
      .where('id', '=', id)
      .where(dealScope(actor, 'read'))
      .executeTakeFirst();
    if (!row) throw fieldInvalid(path, 'no such deal');
    return row;
  }

  moveAllFromStage(exec: Executor, actor: Actor, fromStageId: number, toStageId: number): Promise<number> {
    return moveAllFromStage(this.ctx, exec, actor, fromStageId, toStageId);
  }

  /**
   * Called by the activities module after any change to a deal's activities: keeps the earliest
   * planned activity on the deal (for overdue / no-next-step filters). A derived value, so it
   * neither bumps the version nor touches updated_at.
   */
  async refreshNextActivity(exec: Executor, workspaceId: number, dealId: number): Promise<void> {
    // Two activity writes on one deal in parallel transactions would each miss the other's row
    // and the later commit could store a stale next activity; locking the deal row orders them.
    // (SQLite serialises writers already.)
    if (this.ctx.db.dialect === 'postgres') {
      await exec.selectFrom('deals').select('id').where('workspace_id', '=', workspaceId).where('id', '=', dealId).forUpdate().execute();
    }
    const next = await this.ctx.services.activities.nextPlannedFor(exec, workspaceId, 'deal', dealId);
    await exec
      .updateTable('deals')
      .set({ next_activity_id: next?.id ?? null, next_activity_deadline: next?.deadlineAt ?? null })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', dealId)
      .execute();
  }

  /** Contact merge: links to `fromId` move to `toId` (a deal linked to both keeps one link, primary if either was). */
  async relinkContact(exec: Executor, workspaceId: number, fromId: number, toId: number): Promise<void> {
    if (fromId === toId) return;
    await inTransaction(exec, async (trx) => {
      const now = nowIso(this.ctx.clock);
      const both = trx
        .selectFrom('deal_contacts as t')
        .select('t.deal_id')
        .where('t.workspace_id', '=', workspaceId)
        .where('t.contact_id', '=', toId);
      // where the deal already has the survivor, it inherits the primary flag and the duplicate link goes
      await trx
        .updateTable('deal_contacts')
        .set({ is_primary: 1 })
        .where('workspace_id', '=', workspaceId)
        .where('contact_id', '=', toId)
        .where('deal_id', 'in', trx.selectFrom('deal_contacts as f').select('f.deal_id').where('f.workspace_id', '=', workspaceId).where('f.contact_id', '=', fromId).where('f.is_primary', '=', 1))
        .execute();
      await trx.deleteFrom('deal_contacts').where('workspace_id', '=', workspaceId).where('contact_id', '=', fromId).where('deal_id', 'in', both).execute();
      await trx.updateTable('deal_contacts').set({ contact_id: toId }).where('workspace_id', '=', workspaceId).where('contact_id', '=', fromId).execute();
      await trx
        .updateTable('deals')
        .set({ contact_id: toId, updated_at: now, version: sql<number>`version + 1` })
        .where('workspace_id', '=', workspaceId)
        .where('contact_id', '=', fromId)
        .execute();
    });
  }

  async relinkCompany(exec: Executor, workspaceId: number, fromId: number, toId: number): Promise<void> {
    if (fromId === toId) return;
    await exec
      .updateTable('deals')
      .set({ company_id: toId, updated_at: nowIso(this.ctx.clock), version: sql<number>`version + 1` })
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', fromId)
      .execute();
  }

  /** Deals in a stage, whoever can see them (the pipelines module asks before deleting a stage). */
  /** The ids of the deals in a stage (a robot applied to the deals already there). */
  async idsInStage(exec: Executor, workspaceId: number, stageId: number): Promise<number[]> {
    const rows = await exec.selectFrom('deals').select('id').where('workspace_id', '=', workspaceId).where('stage_id', '=', stageId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** The open deals of a pipeline after `afterId`, by id, `limit` at a time (the idle triggers' sweep). */
  async openInPipeline(exec: Executor, workspaceId: number, pipelineId: number, afterId: number, limit: number): Promise<Array<{ id: number; stageId: number; createdAt: string }>> {
    const rows = await exec
      .selectFrom('deals')
      .select(['id', 'stage_id', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('pipeline_id', '=', pipelineId)
      .where('closed', '=', 0)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, stageId: r.stage_id, createdAt: r.created_at }));
  }

  /** How many deals in progress each of the users is responsible for (a robot's least-loaded distribution). */
  async openDealsPerResponsible(exec: Executor, workspaceId: number, userIds: number[]): Promise<Map<number, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await exec
      .selectFrom('deals')
      .select(['responsible_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('responsible_id', 'in', userIds)
      .where('closed', '=', 0)
      .groupBy('responsible_id')
      .execute();
    return new Map(rows.map((r) => [Number(r.responsible_id), Number(r.n)]));
  }

  async countInStage(exec: Executor, workspaceId: number, stageId: number): Promise<number> {
    const row = await exec
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('stage_id', '=', stageId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The overdue control's read: deals in progress whose stage has not changed since `changedAtMost`, keyset (stage_changed_at, id), oldest first. */
  idleForControl(exec: Executor, workspaceId: number, q: { changedAtMost: string; after: { at: string; id: number } | null; limit: number }): Promise<repo.ControlDealRow[]> {
    return repo.idleForControl(exec, workspaceId, q);
  }

  /** The overdue control's read (the digest): deals in progress without a planned activity, by id. */
  withoutPlannedActivity(exec: Executor, workspaceId: number, q: { afterId: number; limit: number }): Promise<repo.ControlDealRow[]> {
    return repo.withoutPlannedActivity(exec, workspaceId, q);
  }
}
