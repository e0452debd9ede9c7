import type { Logger } from 'pino';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { decodeCursor, encodeCursor, type Page } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import { EMAIL_DEFAULTS, NOTIFICATION_KINDS, type NotificationEntity, type NotificationKind } from './kinds.js';
import { NotificationBus } from './notification-bus.js';
import { NotificationMail } from './notification-mail.js';
import type { JobRegistry } from '../../jobs/index.js';
import * as repo from './notifications.repo.js';

// In-app notifications (docs/notifications.md). Robots and the overdue control call notify() in
// their own transactions; users list, count and mark them read; a notification about a record
// is shown only while the user may read that record.

export interface NotifyInput {
  kind: NotificationKind;
  title: string;
  body?: string | null;
  entity?: { type: NotificationEntity; id: number } | null;
  /** the same key for the same user notifies once (a retried job) */
  dedupeKey?: string | null;
  /** also e-mail it to those whose preference for this kind says so (notification-mail.ts) */
  email?: boolean;
}

export interface Notification {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string | null;
  entity: { type: NotificationEntity; id: number } | null;
  createdAt: string;
  readAt: string | null;
}

export type EmailPreferences = Record<NotificationKind, boolean>;

const TITLE_MAX = 500;
const BODY_MAX = 4000;
/** the unread count looks at this many records at most (the bell shows "99+" long before) */
const COUNT_RECORDS_MAX = 1000;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const toApi = (r: repo.NotificationRow): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  title: r.title,
  body: r.body,
  entity: r.entity_type !== null && r.entity_id !== null ? { type: r.entity_type as NotificationEntity, id: r.entity_id } : null,
  createdAt: r.created_at,
  readAt: r.read_at,
});

export class NotificationsService {
  readonly bus: NotificationBus;
  readonly mail: NotificationMail;

  constructor(private readonly ctx: AppContext) {
    this.bus = new NotificationBus(ctx.db, ctx.log as Logger);
    this.mail = new NotificationMail(ctx, async (ws, userId, entity) => {
      const actor = await ctx.services.users.loadActor(ws, userId);
      return !!actor && (await this.readableKeys(actor, [entity])).has(`${entity.type}:${entity.id}`);
    });
  }

  /** Called once when the services are made: the e-mail copy's job kind. */
  registerJobKinds(registry: JobRegistry): void {
    registry.register(this.mail.kind);
  }

  /**
   * Notifies the users (active users of the workspace only; others are skipped) in the caller's
   * transaction. With a dedupe key, a user who already has a notification with that key gets
   * nothing new. Returns the ids of the notifications created.
   */
  async notify(exec: Executor, workspaceId: number, userIds: number[], input: NotifyInput): Promise<{ ids: number[] }> {
    if (!NOTIFICATION_KINDS.includes(input.kind)) throw new Error(`notify: unknown kind ${String(input.kind)}`);
    const title = input.title.trim();
    if (!title) throw new Error('notify: the title is empty');
    return inTransaction(exec, async (trx) => {
      const users = await this.ctx.services.users.activeUserIds(trx, workspaceId, userIds);
      const createdAt = nowIso(this.ctx.clock);
      const rows = await repo.insertNotifications(
        trx,
        users.map((userId) => ({
          workspace_id: workspaceId,
          user_id: userId,
          kind: input.kind,
          title: clip(title, TITLE_MAX),
          body: input.body ? clip(input.body, BODY_MAX) : null,
          entity_type: input.entity?.type ?? null,
          entity_id: input.entity?.id ?? null,
          dedupe_key: input.dedupeKey ?? null,
          created_at: createdAt,
        })),
      );
      if (input.email) await this.mail.queue(trx, workspaceId, rows, (userId) => this.wantsEmail(trx, workspaceId, userId, input.kind));
      await this.bus.signal(trx, workspaceId, rows.map((r) => r.user_id));
      return { ids: rows.map((r) => r.id).sort((a, b) => a - b) };
    });
  }

  /** Whom to signal about a user's work: the department head, up the tree when the user is the head. */
  headsFor(exec: Executor, workspaceId: number, userId: number): Promise<number[]> {
    return this.ctx.services.users.departmentHeadsFor(exec, workspaceId, userId);
  }

  /** Whether this kind of notification should also reach the user by e-mail. */
  async wantsEmail(exec: Executor, workspaceId: number, userId: number, kind: NotificationKind): Promise<boolean> {
    const row = await repo.emailPreference(exec, workspaceId, userId, kind);
    return row ? row.email === 1 : EMAIL_DEFAULTS[kind];
  }

  /** Of the (type, id) pairs, the keys `type:id` the actor may read now. */
  private async readableKeys(actor: Actor, refs: Array<{ type: string; id: number }>): Promise<Set<string>> {
    const s = this.ctx.services;
    const db = this.ctx.db.kysely;
    const byType = new Map<string, number[]>();
    for (const r of refs) byType.set(r.type, [...(byType.get(r.type) ?? []), r.id]);
    const out = new Set<string>();
    for (const [type, ids] of byType) {
      const check: ((exec: Executor, actor: Actor, ids: number[]) => Promise<Set<number>>) | undefined = {
        deal: s.deals.readableIds.bind(s.deals),
        lead: s.leads.readableIds.bind(s.leads),
        contact: s.contacts.readableIds.bind(s.contacts),
        company: s.companies.readableIds.bind(s.companies),
        activity: s.activities.readableIds.bind(s.activities),
      }[type];
      // an unknown type links to nothing the user could open: not shown
      if (!check) continue;
      for (const id of await check(db, actor, ids)) out.add(`${type}:${id}`);
    }
    return out;
  }

  /** The actor's notifications, newest first; those about records the actor may no longer read are skipped (pages stay full). */
  async list(actor: Actor, query: { unreadOnly?: boolean; cursor?: string; limit: number }): Promise<Page<Notification>> {
    const after = decodeCursor(query.cursor, { type: 'none' });
    const visible: repo.NotificationRow[] = [];
    let beforeId = after?.id ?? null;
    let more = true;
    while (more && visible.length <= query.limit) {
      const batch = query.limit + 1 - visible.length;
      const rows = await repo.listPage(this.ctx.db.kysely, actor.workspaceId, actor.userId, { unreadOnly: query.unreadOnly ?? false, beforeId, limit: batch });
      more = rows.length === batch;
      if (rows.length === 0) break;
      beforeId = rows[rows.length - 1]!.id;
      const linked = rows.filter((r) => r.entity_type !== null).map((r) => ({ type: r.entity_type!, id: r.entity_id! }));
      const readable = linked.length ? await this.readableKeys(actor, linked) : new Set<string>();
      for (const r of rows) if (r.entity_type === null || readable.has(`${r.entity_type}:${r.entity_id}`)) visible.push(r);
    }
    const hasMore = visible.length > query.limit;
    const page = hasMore ? visible.slice(0, query.limit) : visible;
    const last = page[page.length - 1];
    return { items: page.map(toApi), nextCursor: hasMore && last ? encodeCursor({ v: null, id: last.id }) : null };
  }

  /** Unread notifications the actor would see in the list (about records it may still read). */
  async unreadCount(actor: Actor): Promise<number> {
    const db = this.ctx.db.kysely;
    const unlinked = await repo.countUnreadUnlinked(db, actor.workspaceId, actor.userId);
    const groups = await repo.unreadLinkedGroups(db, actor.workspaceId, actor.userId, COUNT_RECORDS_MAX);
    if (groups.length === 0) return unlinked;
    const readable = await this.readableKeys(actor, groups.map((g) => ({ type: g.entityType, id: g.entityId })));
    return unlinked + groups.reduce((n, g) => n + (readable.has(`${g.entityType}:${g.entityId}`) ? g.count : 0), 0);
  }

  /** Marks the actor's own notifications read (others' ids are ignored); returns how many changed and the new count. */
  async markRead(actor: Actor, ids: number[] | 'all', exec?: Executor): Promise<{ updated: number; unreadCount: number }> {
    const updated = await inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const n = await repo.markRead(trx, actor.workspaceId, actor.userId, ids === 'all' ? 'all' : [...new Set(ids)], nowIso(this.ctx.clock));
      if (n > 0) await this.bus.signal(trx, actor.workspaceId, [actor.userId]);
      return n;
    });
    return { updated, unreadCount: await this.unreadCount(actor) };
  }

  async getPreferences(actor: Actor): Promise<{ email: EmailPreferences }> {
    const stored = new Map((await repo.preferencesOf(this.ctx.db.kysely, actor.workspaceId, actor.userId)).map((r) => [r.kind, r.email === 1]));
    const email = {} as EmailPreferences;
    for (const kind of NOTIFICATION_KINDS) email[kind] = stored.get(kind) ?? EMAIL_DEFAULTS[kind];
    return { email };
  }

  /** Sets the kinds given; the others keep their setting. */
  async putPreferences(actor: Actor, input: { email: Partial<EmailPreferences> }, exec?: Executor): Promise<{ email: EmailPreferences }> {
    await inTransaction(exec ?? this.ctx.db.kysely, (trx) =>
      repo.upsertPreferences(
        trx,
        actor.workspaceId,
        actor.userId,
        NOTIFICATION_KINDS.filter((k) => input.email[k] !== undefined).map((kind) => ({ kind, email: input.email[kind]! })),
        nowIso(this.ctx.clock),
      ),
    );
    return this.getPreferences(actor);
  }
}
