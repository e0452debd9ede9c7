import { sql, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound } from '../../server/errors.js';
import { decodeCursor, toPage, type Page } from '../../server/http/list-query.js';
import { mayActOn, requireAdmin, type Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';

// The recycle bin. A deleted deal, lead, contact or company leaves its live tables (so no list,
// board, total, search, duplicate check or reference can see it), and its owning module hands
// the rows that went with it to put() as a snapshot. restore() gives the snapshot back to the
// owner, which re-inserts the rows under the same ids, with the links to records that still
// exist; the bin decides who may restore (the entity's delete permission, or an administrator)
// and when items are purged (the workspace's recycleBinDays; purgeExpired runs on server start,
// hourly, and from `voronka purge-recycle-bin`). Timeline and stage history never leave.

export const BIN_ENTITIES = ['deal', 'lead', 'contact', 'company'] as const;
export type BinEntity = (typeof BIN_ENTITIES)[number];

export interface BinEntry {
  entityType: BinEntity;
  entityId: number;
  title: string;
  responsibleId: number;
  pipelineId?: number | null;
  snapshot: unknown;
}

export interface BinItem {
  id: number;
  entityType: BinEntity;
  entityId: number;
  title: string;
  responsibleId: number;
  pipelineId: number | null;
  deletedAt: string;
  deletedById: number | null;
  /** when it will be purged, by the workspace's current setting */
  purgeAt: string;
}

/** What an owning module does to bring its record back (in the restore's transaction). */
export interface BinOwner {
  restoreFromBin(trx: Transaction<Database>, actor: Actor, entityId: number, snapshot: unknown): Promise<void>;
}

const DAY_MS = 86_400_000;

export class RecycleBinService {
  constructor(private readonly ctx: AppContext) {}

  private owner(type: BinEntity): BinOwner {
    const s = this.ctx.services;
    return { deal: s.deals, lead: s.leads, contact: s.contacts, company: s.companies }[type];
  }

  /** Called by the owning module in its delete transaction, after its rows are gone. */
  async put(exec: Executor, workspaceId: number, deletedById: number | null, entry: BinEntry): Promise<void> {
    await exec
      .insertInto('recycle_bin')
      .values({
        workspace_id: workspaceId,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        title: entry.title.slice(0, 500),
        responsible_id: entry.responsibleId,
        pipeline_id: entry.pipelineId ?? null,
        deleted_at: nowIso(this.ctx.clock),
        deleted_by_id: deletedById,
        snapshot: JSON.stringify(entry.snapshot),
      })
      .execute();
  }

  /** The items the actor may restore: every one for an administrator, else within the entity's delete scope. */
  private scope(actor: Actor) {
    if (actor.isAdmin) return sql<SqlBool>`1 = 1`;
    const parts = BIN_ENTITIES.map(
      (e) => sql<SqlBool>`(recycle_bin.entity_type = ${e} and ${scopeFilter(actor, e, 'delete', { responsible: 'recycle_bin.responsible_id', pipeline: 'recycle_bin.pipeline_id' })})`,
    );
    return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
  }

  /** Newest deletions first. */
  async list(actor: Actor, query: { limit: number; cursor?: string; entityType?: BinEntity[] }): Promise<Page<BinItem>> {
    const ws = actor.workspaceId;
    const db = this.ctx.db.kysely;
    const after = decodeCursor(query.cursor, { type: 'none' });
    let q = db
      .selectFrom('recycle_bin')
      .select(['id', 'entity_type', 'entity_id', 'title', 'responsible_id', 'pipeline_id', 'deleted_at', 'deleted_by_id'])
      .where('workspace_id', '=', ws)
      .where(this.scope(actor));
    if (query.entityType) q = q.where('entity_type', 'in', query.entityType);
    if (after) q = q.where('id', '<', after.id);
    const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
    const days = (await this.ctx.services.workspaces.getSettings(db, ws)).recycleBinDays;
    return toPage(rows, query.limit, () => null, (r) => ({
      id: r.id,
      entityType: r.entity_type,
      entityId: r.entity_id,
      title: r.title,
      responsibleId: r.responsible_id,
      pipelineId: r.pipeline_id,
      deletedAt: r.deleted_at,
      deletedById: r.deleted_by_id,
      purgeAt: new Date(Date.parse(r.deleted_at) + days * DAY_MS).toISOString(),
    }));
  }

  /** Locks and returns the item; 404 when missing or outside the actor's scope (one answer for both). */
  private async take(trx: Transaction<Database>, actor: Actor, type: BinEntity, entityId: number) {
    let q = trx
      .selectFrom('recycle_bin')
      .selectAll()
      .where('workspace_id', '=', actor.workspaceId)
      .where('entity_type', '=', type)
      .where('entity_id', '=', entityId)
      .where(this.scope(actor));
    if (this.ctx.db.dialect === 'postgres') q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) throw notFound('Recycle bin item');
    return row;
  }

  /** Puts the record back with its links, activities and history; it leaves the bin. */
  async restore(actor: Actor, type: BinEntity, entityId: number): Promise<void> {
    await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const item = await this.take(trx, actor, type, entityId);
      // the scope above already holds; checked again on the record's own terms (pipeline grants)
      if (!actor.isAdmin && !mayActOn(actor, type, 'delete', item.responsible_id, item.pipeline_id)) throw notFound('Recycle bin item');
      await trx.deleteFrom('recycle_bin').where('id', '=', item.id).execute();
      await this.owner(type).restoreFromBin(trx, actor, entityId, JSON.parse(item.snapshot));
      await this.ctx.services.timeline.record(trx, actor.workspaceId, actor, {
        entityType: type,
        entityId,
        kind: 'restored',
        data: { deletedAt: item.deleted_at, deletedById: item.deleted_by_id },
      });
    });
  }

  /** An administrator empties one item for good. */
  async purge(actor: Actor, type: BinEntity, entityId: number): Promise<void> {
    requireAdmin(actor);
    await this.ctx.db.kysely.transaction().execute(async (trx) => {
      const item = await this.take(trx, actor, type, entityId);
      await trx.deleteFrom('recycle_bin').where('id', '=', item.id).execute();
      await this.ctx.services.timeline.record(trx, actor.workspaceId, actor, { entityType: type, entityId, kind: 'purged', data: { title: item.title } });
    });
  }

  /** Items older than their workspace's retention go, in every workspace. Returns how many. */
  async purgeExpired(exec: Executor = this.ctx.db.kysely): Promise<number> {
    const now = this.ctx.clock.now().getTime();
    let purged = 0;
    for (const { workspaceId, days } of await this.ctx.services.workspaces.recycleBinRetention(exec)) {
      const cutoff = new Date(now - days * DAY_MS).toISOString();
      purged += await inTransaction(exec, async (trx) => {
        const gone = await trx
          .deleteFrom('recycle_bin')
          .where('workspace_id', '=', workspaceId)
          .where('deleted_at', '<', cutoff)
          .returning(['entity_type', 'entity_id', 'title'])
          .execute();
        await this.ctx.services.timeline.record(
          trx,
          workspaceId,
          null,
          gone.map((g) => ({ entityType: g.entity_type, entityId: g.entity_id, kind: 'purged', data: { title: g.title } })),
        );
        return gone.length;
      });
    }
    return purged;
  }
}
