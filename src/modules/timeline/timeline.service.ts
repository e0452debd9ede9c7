import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { decodeCursor, toPage, type Page } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import type { TimelineKind } from './kinds.js';
import { eventDataProblem } from './events.js';

const isActivityEntry = (e: { kind: string; data: Record<string, unknown> }) => e.kind.startsWith('activity_') && e.data.activityId != null;

// The timeline is the history of a record: authored comments and events written by every
// change path in the same transaction as the change. Its rows, in id order, are also the
// domain-event outbox the automation engine will consume.

export type TimelineEntity = 'deal' | 'lead' | 'contact' | 'company';

export interface TimelineEvent {
  entityType: TimelineEntity;
  entityId: number;
  kind: TimelineKind;
  data?: Record<string, unknown>;
}

export interface TimelineEntry {
  id: number;
  entityType: TimelineEntity;
  entityId: number;
  kind: string;
  authorId: number | null;
  /** the robot that wrote it (authorId is then the workspace's system user) */
  robot: { id: number; name: string; kind?: 'trigger' } | null;
  createdAt: string;
  data: Record<string, unknown>;
}

export class TimelineService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Writes the entries in the caller's transaction. `by` is the acting user (an Actor: a robot's
   * entries are attributed to the robot), a user id, or null for the system itself.
   */
  async record(exec: Executor, workspaceId: number, by: Actor | number | null, events: TimelineEvent | TimelineEvent[]): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    if (this.ctx.strict) {
      for (const e of list) {
        const problem = eventDataProblem(e.kind, e.data);
        if (problem) throw new Error(`timeline entry of ${e.entityType} ${e.entityId} does not match its kind's schema: ${problem}`);
      }
    }
    const createdAt = nowIso(this.ctx.clock);
    const authorId = by === null || typeof by === 'number' ? by : by.userId;
    const robot = by !== null && typeof by === 'object' ? (by.robot ?? null) : null;
    await exec
      .insertInto('timeline_entries')
      .values(
        list.map((e) => ({
          workspace_id: workspaceId,
          entity_type: e.entityType,
          entity_id: e.entityId,
          kind: e.kind,
          author_id: authorId,
          robot_id: robot?.id ?? null,
          robot_name: robot?.name ?? null,
          robot_kind: robot?.kind ?? null,
          created_at: createdAt,
          data: JSON.stringify(e.data ?? {}),
        })),
      )
      .execute();
  }

  /**
   * Newest first. The caller has already checked that the actor may read the record; entries
   * about activities (activity_created, activity_done, …) are shown only if the actor may read
   * that activity, so a deal's observer does not learn the subjects and results of calls they
   * may not open. Pages stay full: hidden entries are skipped, not counted.
   */
  async list(actor: Actor, entityType: TimelineEntity, entityId: number, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
    const after = decodeCursor(cursor, { type: 'none' });
    const visible: TimelineEntry[] = [];
    let lastId = after?.id ?? null;
    let more = true;
    while (more && visible.length <= limit) {
      let q = this.ctx.db.kysely
        .selectFrom('timeline_entries')
        .selectAll()
        .where('workspace_id', '=', actor.workspaceId)
        .where('entity_type', '=', entityType)
        .where('entity_id', '=', entityId);
      if (lastId !== null) q = q.where('id', '<', lastId);
      const batch = limit + 1 - visible.length;
      const rows = await q.orderBy('id', 'desc').limit(batch).execute();
      more = rows.length === batch;
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1]!.id;
      const entries = rows.map((r) => ({
        id: r.id,
        entityType: r.entity_type as TimelineEntity,
        entityId: r.entity_id,
        kind: r.kind,
        authorId: r.author_id,
        robot: r.robot_id === null ? null : { id: Number(r.robot_id), name: r.robot_name ?? '', ...(r.robot_kind ? { kind: r.robot_kind } : {}) },
        createdAt: r.created_at,
        data: JSON.parse(r.data) as Record<string, unknown>,
      }));
      const activityIds = entries.filter(isActivityEntry).map((e) => Number(e.data.activityId));
      const readable = activityIds.length ? await this.ctx.services.activities.readableIds(this.ctx.db.kysely, actor, activityIds) : new Set<number>();
      for (const e of entries) if (!isActivityEntry(e) || readable.has(Number(e.data.activityId))) visible.push(e);
    }
    return toPage(visible, limit, () => null, (e) => e);
  }

  /** For each record, when its latest entry of any kind was written (how long nothing has happened on it). */
  async lastEntryAt(exec: Executor, workspaceId: number, entityType: TimelineEntity, ids: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await exec
        .selectFrom('timeline_entries')
        .select(['entity_id', (eb) => eb.fn.max('created_at').as('at')])
        .where('workspace_id', '=', workspaceId)
        .where('entity_type', '=', entityType)
        .where('entity_id', 'in', ids.slice(i, i + 500))
        .groupBy('entity_id')
        .execute();
      for (const r of rows) out.set(Number(r.entity_id), String(r.at));
    }
    return out;
  }

  /** For each record, the id of its latest entry of one of `kinds` (e.g. when it entered its current stage). */
  async lastEntryIds(exec: Executor, workspaceId: number, entityType: TimelineEntity, ids: number[], kinds: TimelineKind[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await exec
        .selectFrom('timeline_entries')
        .select(['entity_id', (eb) => eb.fn.max('id').as('id')])
        .where('workspace_id', '=', workspaceId)
        .where('entity_type', '=', entityType)
        .where('entity_id', 'in', ids.slice(i, i + 500))
        .where('kind', 'in', kinds)
        .groupBy('entity_id')
        .execute();
      for (const r of rows) out.set(Number(r.entity_id), Number(r.id));
    }
    return out;
  }

  /** Moves a merged record's history onto the record that survives. */
  async reassign(exec: Executor, workspaceId: number, entityType: TimelineEntity, fromId: number, toId: number): Promise<void> {
    await exec
      .updateTable('timeline_entries')
      .set({ entity_id: toId })
      .where('workspace_id', '=', workspaceId)
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', fromId)
      .execute();
  }
}

/** Field-change events: one entry per changed field with old → new. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]): Record<string, { old: unknown; new: unknown }> {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const f of fields) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) changes[f] = { old: before[f] ?? null, new: after[f] ?? null };
  }
  return changes;
}
