import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { forbidden, notFound, ruleViolation, versionConflict } from '../../server/errors.js';
import { mayActOn, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import type { TimelineKind } from '../timeline/kinds.js';
import { parseInput } from '../../server/http/parse-input.js';
import { timelineData, toActivity, type ActivityRow } from './activities.mapper.js';
import * as repo from './activities.repo.js';
import { DIRECTED_TYPES, createActivityBody, updateActivityBody, type Activity, type CreateActivityInput, type UpdateActivityInput } from './activities.schema.js';
import { checkActivityShape, ownerFromInput } from './activity-input.js';
import { ensureOwnerReadable, ownerOf, refreshDeals, sameOwner, type Owner } from './owner-link.js';

// Create, edit, complete, cancel and delete. Each runs in one transaction with the owner's
// timeline entry and, for a deal, the refresh of its next step.

const TRACKED = ['type', 'subject', 'description', 'startAt', 'deadlineAt', 'responsibleId', 'entityType', 'entityId', 'direction', 'result'];

async function recordOnOwner(ctx: AppContext, trx: Executor, actor: Actor, owner: Owner | null, kind: TimelineKind, data: Record<string, unknown>) {
  if (!owner) return; // an activity without a record has no timeline to appear on
  await ctx.services.timeline.record(trx, actor.workspaceId, actor, { entityType: owner.type, entityId: owner.id, kind, data });
}

export async function createActivity(ctx: AppContext, actor: Actor, rawInput: CreateActivityInput, exec?: Executor): Promise<Activity> {
  // other modules call this directly: their input gets the same checks as the API's
  const input = parseInput(createActivityBody, rawInput);
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const responsibleId = input.responsibleId ?? actor.userId;
    await ctx.services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
    if (!mayActOn(actor, 'activity', 'create', responsibleId)) throw forbidden('You may not create activities for this responsible user');
    const shape = { type: input.type, startAt: input.startAt ?? null, deadlineAt: input.deadlineAt ?? null, direction: input.direction ?? null };
    checkActivityShape(shape);
    const owner = ownerFromInput(input.entityType, input.entityId);
    if (owner) await ensureOwnerReadable(ctx, trx, actor, owner, 'entityId');

    const now = nowIso(ctx.clock);
    const row = await repo.insertActivity(trx, {
      workspace_id: ws,
      type: input.type,
      subject: input.subject,
      description: input.description || null,
      start_at: shape.startAt,
      deadline_at: shape.deadlineAt,
      responsible_id: responsibleId,
      created_by_id: actor.userId,
      entity_type: owner?.type ?? null,
      entity_id: owner?.id ?? null,
      status: 'planned',
      direction: shape.direction,
      created_at: now,
      updated_at: now,
    });
    await recordOnOwner(ctx, trx, actor, owner, 'activity_created', timelineData(row));
    await refreshDeals(ctx, trx, ws, [owner]);
    return toActivity(row, nowIso(ctx.clock));
  });
}

/** Loads the activity for a change: 404 outside the read scope, 403 outside `action`'s, 409 on a stale version. */
async function loadForChange(ctx: AppContext, trx: Executor, actor: Actor, id: number, action: 'update' | 'delete', expectedVersion?: number): Promise<ActivityRow> {
  const row = await repo.findActivity(trx, actor, id);
  if (!row) throw notFound('Activity');
  if (!mayActOn(actor, 'activity', action, row.responsible_id)) throw forbidden(`You may not ${action} this activity`);
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw versionConflict(toActivity(row, nowIso(ctx.clock)));
  return row;
}

async function currentOrThrow(ctx: AppContext, trx: Executor, actor: Actor, id: number): Promise<never> {
  const row = await repo.findActivity(trx, actor, id);
  if (!row) throw notFound('Activity');
  throw versionConflict(toActivity(row, nowIso(ctx.clock)));
}

export async function updateActivity(ctx: AppContext, actor: Actor, id: number, rawInput: UpdateActivityInput, expectedVersion: number, exec?: Executor): Promise<Activity> {
  const input = parseInput(updateActivityBody, rawInput);
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await loadForChange(ctx, trx, actor, id, 'update', expectedVersion);
    const responsibleId = input.responsibleId ?? row.responsible_id;
    if (responsibleId !== row.responsible_id) {
      await ctx.services.users.ensureUser(trx, ws, responsibleId, 'responsibleId');
      if (!mayActOn(actor, 'activity', 'update', responsibleId)) throw forbidden('You may not hand this activity to that user');
    }
    const type = input.type ?? row.type;
    const pick = <T>(v: T | undefined, current: T) => (v === undefined ? current : v);
    let direction = input.direction !== undefined ? input.direction : row.direction;
    // a call turned into a task drops its stored direction (one sent with the request is refused below)
    if (input.direction === undefined && !DIRECTED_TYPES.has(type)) direction = null;
    const shape = { type, startAt: pick(input.startAt, row.start_at), deadlineAt: pick(input.deadlineAt, row.deadline_at), direction };
    checkActivityShape(shape);

    const before = ownerOf(row);
    const ownerGiven = input.entityType !== undefined || input.entityId !== undefined;
    const after = ownerGiven ? ownerFromInput(pick(input.entityType, row.entity_type), pick(input.entityId, row.entity_id)) : before;
    if (after && !sameOwner(before, after)) await ensureOwnerReadable(ctx, trx, actor, after, 'entityId');

    const updated = await repo.updateActivity(trx, ws, id, expectedVersion, {
      type,
      subject: input.subject ?? row.subject,
      description: input.description === undefined ? row.description : input.description || null,
      start_at: shape.startAt,
      deadline_at: shape.deadlineAt,
      responsible_id: responsibleId,
      entity_type: after?.type ?? null,
      entity_id: after?.id ?? null,
      direction,
      result: input.result === undefined ? row.result : input.result || null,
      updated_at: nowIso(ctx.clock),
    });
    if (!updated) return currentOrThrow(ctx, trx, actor, id);

    const now = nowIso(ctx.clock);
    const changes = diffFields(toActivity(row, now), toActivity(updated, now), TRACKED);
    if (Object.keys(changes).length > 0) {
      const data = { ...timelineData(updated), changes };
      await recordOnOwner(ctx, trx, actor, after, 'activity_updated', data);
      // moved to another record: the old one's history says where it went
      if (!sameOwner(before, after)) await recordOnOwner(ctx, trx, actor, before, 'activity_updated', data);
    }
    await refreshDeals(ctx, trx, ws, [before, after]);
    return toActivity(updated, now);
  });
}

/** complete / cancel: only a planned activity changes status. */
export async function closeActivity(
  ctx: AppContext,
  actor: Actor,
  id: number,
  outcome: { status: 'done'; result?: string | null } | { status: 'cancelled' },
  expectedVersion?: number,
  exec?: Executor,
): Promise<Activity> {
  const ws = actor.workspaceId;
  return inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await loadForChange(ctx, trx, actor, id, 'update', expectedVersion);
    if (row.status !== 'planned') throw ruleViolation('activity_not_planned', `The activity is already ${row.status}; only planned activities can be completed or cancelled`, [], { status: row.status });
    const now = nowIso(ctx.clock);
    const done = outcome.status === 'done';
    const updated = await repo.updateActivity(trx, ws, id, row.version, {
      status: outcome.status,
      ...(done ? { result: outcome.result || row.result, completed_at: now, completed_by_id: actor.userId } : {}),
      updated_at: now,
    });
    if (!updated) return currentOrThrow(ctx, trx, actor, id);
    const owner = ownerOf(updated);
    await recordOnOwner(ctx, trx, actor, owner, done ? 'activity_done' : 'activity_cancelled', timelineData(updated));
    await refreshDeals(ctx, trx, ws, [owner]);
    return toActivity(updated, now);
  });
}

export async function deleteActivity(ctx: AppContext, actor: Actor, id: number, expectedVersion?: number, exec?: Executor): Promise<void> {
  const ws = actor.workspaceId;
  await inTransaction(exec ?? ctx.db.kysely, async (trx) => {
    const row = await loadForChange(ctx, trx, actor, id, 'delete', expectedVersion);
    if (!(await repo.deleteActivity(trx, ws, id, row.version))) await currentOrThrow(ctx, trx, actor, id);
    const owner = ownerOf(row);
    await recordOnOwner(ctx, trx, actor, owner, 'activity_deleted', timelineData(row));
    await refreshDeals(ctx, trx, ws, [owner]);
  });
}
