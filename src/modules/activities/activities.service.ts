import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { notFound } from '../../server/errors.js';
import type { Page } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import { toActivity } from './activities.mapper.js';
import * as repo from './activities.repo.js';
import type { Activity, ActivityListQuery, CreateActivityInput, OwnerActivityListQuery, OwnerType, UpdateActivityInput } from './activities.schema.js';
import { listActivities } from './list-activities.js';
import { summaryForUsers } from './my-day.js';
import { refreshDeals, requireReadableOwner } from './owner-link.js';
import { closeActivity, createActivity, deleteActivity, updateActivity } from './write-activity.js';

// Activities (дела): calls, meetings, e-mails and tasks, planned on a record and completed with a result.

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
      const moved = await repo.relinkOwner(trx, workspaceId, entityType, fromId, toId, nowIso(this.ctx.clock));
      if (moved > 0) await refreshDeals(this.ctx, trx, workspaceId, [{ type: entityType, id: fromId }, { type: entityType, id: toId }]);
    });
  }

  /** Called when the owner record is deleted, in its transaction. */
  detachOwner(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<void> {
    return repo.detachOwner(exec, workspaceId, entityType, entityId, nowIso(this.ctx.clock));
  }

  /** The record's next step: the earliest planned deadline, undated planned ones after dated ones; null if none. */
  nextPlannedFor(exec: Executor, workspaceId: number, entityType: OwnerType, entityId: number): Promise<{ id: number; deadlineAt: string | null } | null> {
    return repo.nextPlanned(exec, workspaceId, entityType, entityId);
  }

  /** "My day" counters per user (planned, overdue, done since the start of the user's day). */
  summaryForUsers(exec: Executor, workspaceId: number, userIds: number[], now: Date = this.ctx.clock.now()): Promise<repo.UserActivityCounts[]> {
    return summaryForUsers(this.ctx, exec, workspaceId, userIds, now);
  }
}
