import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound } from '../../server/errors.js';
import type { Page } from '../../server/http/list-query.js';
import { levelFor, type Actor } from '../permissions/actor.js';
import { timelineData, toActivity } from './activities.mapper.js';
import * as repo from './activities.repo.js';
import type { Activity, ActivityListQuery, CreateActivityInput, OwnerActivityListQuery, OwnerType, UpdateActivityInput } from './activities.schema.js';
import { listActivities } from './list-activities.js';
import { summaryForUsers } from './my-day.js';
import { refreshDeals, requireReadableOwner, sameOwner, type Owner } from './owner-link.js';
import { closeActivity, createActivity, deleteActivity, updateActivity } from './write-activity.js';

// Activities (дела): calls, meetings, e-mails and tasks, planned on a record and completed with a result.

export interface ParkedActivity {
  id: number;
  status: string;
}

export class ActivitiesService {
  constructor(private readonly ctx: AppContext) {}

  // --- use cases behind the REST API (create is also a contract method) ---

  create(actor: Actor, input: CreateActivityInput, exec?: Executor): Promise<Activity> {
    return createActivity(this.ctx, actor, input, exec);
  }

  async get(actor: Actor, id: number): Promise<Activity> {
    const row = await repo.findActivity(this.ctx.db.kysely, actor, id);
    if (!row) throw notFound('Activity');
    return toActivity(row, nowIso(this.ctx.clock));
  }

  list(actor: Actor, query: ActivityListQuery): Promise<Page<Activity>> {
    return listActivities(this.ctx, actor, query);
  }

  /** GET /{entity}/{id}/activities: 404 unless the actor may read the record itself. */
  async listForOwner(actor: Actor, entityType: OwnerType, entityId: number, query: OwnerActivityListQuery): Promise<Page<Activity>> {
    const owner = { type: entityType, id: entityId };
    await requireReadableOwner(this.ctx, this.ctx.db.kysely, actor, owner);
    return listActivities(this.ctx, actor, { ...query, owner });
  }

  update(actor: Actor, id: number, input: UpdateActivityInput, expectedVersion: number, exec?: Executor): Promise<Activity> {
    return updateActivity(this.ctx, actor, id, input, expectedVersion, exec);
  }

  complete(actor: Actor, id: number, result: string | null | undefined, expectedVersion?: number, exec?: Executor): Promise<Activity> {
    return closeActivity(this.ctx, actor, id, { status: 'done', result }, expectedVersion, exec);
  }

  cancel(actor: Actor, id: number, expectedVersion?: number, exec?: Executor): Promise<Activity> {
    return closeActivity(this.ctx, actor, id, { status: 'cancelled' }, expectedVersion, exec);
  }

  remove(actor: Actor, id: number, expectedVersion?: number, exec?: Executor): Promise<void> {
    return deleteActivity(this.ctx, actor, id, expectedVersion, exec);
  }

  // --- contract methods for other modules ---

  /** Merges: the activities of `fromId` move to `toId`; deals get their next step recomputed. */
  async relinkOwner(exec: Executor, workspaceId: number, entityType: OwnerType, fromId: number, toId: number): Promise<void> {
    if (fromId === toId) return;
    await inTransaction(exec, async (trx) => {
      const from = { type: entityType, id: fromId };
      const to = { type: entityType, id: toId };
      const moved = await repo.moveOwner(trx, workspaceId, from, to, nowIso(this.ctx.clock));
      if (moved.length > 0) await refreshDeals(this.ctx, trx, workspaceId, [from, to]);
    });
  }

  /**
   * Lead conversion: the planned and done activities of `from` move to `to` (cancelled ones stay
   * as `from`'s history). Both timelines tell about each move, as a manual re-binding would, and a
   * deal on either side gets its next step recomputed. Returns the moved activities' ids.
   */
  async handOver(exec: Executor, workspaceId: number, authorId: number, from: Owner, to: Owner): Promise<number[]> {
    if (sameOwner(from, to)) return [];
    return inTransaction(exec, async (trx) => {
      const moved = await repo.moveOwner(trx, workspaceId, from, to, nowIso(this.ctx.clock), ['planned', 'done']);
      if (moved.length === 0) return [];
      const changes = {
        ...(from.type !== to.type ? { entityType: { old: from.type, new: to.type } } : {}),
        entityId: { old: from.id, new: to.id },
      };
      await this.ctx.services.timeline.record(
        trx,
        workspaceId,
        authorId,
        moved.flatMap((row) => [to, from].map((o) => ({ entityType: o.type, entityId: o.id, kind: 'activity_updated', data: { ...timelineData(row), changes } }))),
      );
      await refreshDeals(this.ctx, trx, workspaceId, [from, to]);
      return moved.map((r) => r.id);
    });
  }

  /**
   * The owner goes to the recycle bin: its activities are detached as on a delete (planned ones
   * cancelled), and what was done is returned for the bin's snapshot, so that unpark can undo it.
   */
  async park(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<ParkedActivity[]> {
    const rows = await exec
      .selectFrom('activities')
      .select(['id', 'status'])
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .execute();
    await this.detachOwner(exec, workspaceId, entityType, entityId);
    return rows.map((r) => ({ id: r.id, status: r.status }));
  }

  /**
   * The owner is restored: the activities parked with it that are still unlinked come back to it,
   * and those the park cancelled (and nobody changed since) are planned again.
   */
  async unpark(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number, parked: ParkedActivity[]): Promise<void> {
    if (parked.length === 0) return;
    const ids = parked.map((p) => p.id);
    const planned = parked.filter((p) => p.status === 'planned').map((p) => p.id);
    const now = nowIso(this.ctx.clock);
    await exec
      .updateTable('activities')
      .set((eb) => ({
        entity_type: entityType,
        entity_id: entityId,
        status: planned.length
          ? eb.case().when(eb.and([eb('id', 'in', planned), eb('status', '=', 'cancelled')])).then('planned' as const).else(eb.ref('status')).end()
          : eb.ref('status'),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .where('entity_id', 'is', null)
      .execute();
  }

  /** Called when the owner record is deleted, in its transaction. */
  detachOwner(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<void> {
    return repo.detachOwner(exec, workspaceId, entityType, entityId, nowIso(this.ctx.clock));
  }

  /**
   * Of the given activity ids, those the actor may read (timelines, next steps and other views
   * that name activities show only these). A deleted activity is readable only with the read
   * level "all".
   */
  async readableIds(exec: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    if (levelFor(actor, 'activity', 'read') === 'all') return new Set(unique);
    const rows = await exec
      .selectFrom('activities')
      .select('id')
      .where('workspace_id', '=', actor.workspaceId)
      .where('id', 'in', unique)
      .where(repo.activityScope(actor, 'read'))
      .execute();
    return new Set(rows.map((r) => r.id));
  }

  /** The record's next step: the earliest planned deadline, undated planned ones after dated ones; null if none. */
  nextPlannedFor(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<{ id: number; deadlineAt: string | null } | null> {
    return repo.nextPlanned(exec, workspaceId, entityType, entityId);
  }

  /** "My day" counters per user (planned, overdue, done since the start of the user's day). */
  summaryForUsers(exec: Executor, workspaceId: number, userIds: number[], now: Date = this.ctx.clock.now()): Promise<repo.UserActivityCounts[]> {
    return summaryForUsers(this.ctx, exec, workspaceId, userIds, now);
  }

  /**
   * The overdue control's read: planned activities with a deadline at most `atMost`, after the
   * keyset position (deadline, id), oldest first, at most `limit` (no actor: the caller scopes).
   */
  overdueForControl(
    exec: Executor,
    workspaceId: number,
    q: { atMost: string; after: { at: string; id: number } | null; limit: number; responsibleIds?: number[] },
  ): Promise<repo.ControlActivityRow[]> {
    return repo.overdueForControl(exec, workspaceId, q);
  }

  /** The overdue control's read of recent changes: activities changed after the keyset position (updated_at, id), any status, oldest first. */
  changedForControl(exec: Executor, workspaceId: number, q: { after: { at: string; id: number }; limit: number }): Promise<repo.ChangedActivityRow[]> {
    return repo.changedForControl(exec, workspaceId, q);
  }
}
