import type { AppContext, Executor } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { decodeCursor, toPage, type Page } from '../../server/http/list-query.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';

// The audit log of settings changes that matter (pipelines and stages, roles and their grants,
// custom fields, users' roles and activation): who, when, what, old → new. Written by the
// changing module in its own transaction through record(); read by administrators.

export const AUDIT_ENTITIES = ['pipeline', 'stage', 'role', 'custom_field', 'user', 'workspace', 'working_calendar', 'overdue_control'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface AuditEvent {
  entityType: AuditEntity;
  entityId: number;
  /** created | updated | deleted | archived | … */
  action: string;
  changes?: Record<string, { old: unknown; new: unknown }>;
}

export interface AuditRecord {
  id: number;
  actorId: number | null;
  entityType: AuditEntity;
  entityId: number;
  action: string;
  changes: Record<string, { old: unknown; new: unknown }>;
  createdAt: string;
}

export class AuditService {
  constructor(private readonly ctx: AppContext) {}

  async record(exec: Executor, workspaceId: number, actorId: number | null, events: AuditEvent | AuditEvent[]): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    const at = nowIso(this.ctx.clock);
    await exec
      .insertInto('audit_log')
      .values(
        list.map((e) => ({
          workspace_id: workspaceId,
          actor_id: actorId,
          entity_type: e.entityType,
          entity_id: e.entityId,
          action: e.action,
          changes: JSON.stringify(e.changes ?? {}),
          created_at: at,
        })),
      )
      .execute();
  }

  /** Newest first; administrators only. */
  async list(actor: Actor, query: { limit: number; cursor?: string; entityType?: AuditEntity; entityId?: number; actorId?: number }): Promise<Page<AuditRecord>> {
    requireAdmin(actor);
    const after = decodeCursor(query.cursor, { type: 'none' });
    let q = this.ctx.db.kysely.selectFrom('audit_log').selectAll().where('workspace_id', '=', actor.workspaceId);
    if (query.entityType) q = q.where('entity_type', '=', query.entityType);
    if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
    if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
    if (after) q = q.where('id', '<', after.id);
    const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
    return toPage(rows, query.limit, () => null, (r) => ({
      id: r.id,
      actorId: r.actor_id,
      entityType: r.entity_type as AuditEntity,
      entityId: r.entity_id,
      action: r.action,
      changes: JSON.parse(r.changes) as AuditRecord['changes'],
      createdAt: r.created_at,
    }));
  }
}

/** old → new of the fields that differ (values compared as JSON). */
export function auditChanges(before: object | null, after: object | null, fields: readonly string[]): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  const b = before as Record<string, unknown> | null;
  const a = after as Record<string, unknown> | null;
  for (const f of fields) {
    const o = b ? (b[f] ?? null) : null;
    const n = a ? (a[f] ?? null) : null;
    if (JSON.stringify(o) !== JSON.stringify(n)) out[f] = { old: o, new: n };
  }
  return out;
}
