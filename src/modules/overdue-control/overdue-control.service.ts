import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { versionConflict } from '../../server/errors.js';
import { asLocale } from '../../shared/locale.js';
import { safeTimeZone } from '../../shared/time-zone.js';
import { PermanentJobError, type JobRegistry } from '../../jobs/index.js';
import { messageIdFor } from '../messaging/mail/mail-provider.js';
import { requireAdmin, type Actor } from '../permissions/actor.js';
import { diffFields } from '../timeline/timeline.service.js';
import * as repo from './overdue-control.repo.js';
import type { OverdueControlPatch } from './overdue-control.schema.js';
import { DAY_MS, DEFAULT_RULES, localDate, MINUTE_MS, nextDigestAt, nextMinute, type OverdueRules } from './rules.js';
import { digestHtml, digestText, localDateTime, texts, type DigestGroup, type Texts } from './texts.js';
import { digestKind, digestMailKind, scanKind } from './overdue-control.jobs.js';

// Overdue control (контроль сроков, docs/overdue-control.md): per-workspace rules, a periodic scan
// job that notifies responsibles and heads of overdue activities and idle deals exactly once, and a
// daily digest for every manager with items and for their heads, in-app and by e-mail.

export interface OverdueControlView extends OverdueRules {
  timeZone: string;
  nextDigestAt: string | null;
  version: number;
  updatedAt: string | null;
}

/** the scan's levels: where each keeps its keyset position */
type Level = 'activity_responsible' | 'activity_head' | 'activity_changed' | 'deal_idle';

/** rows read per batch, batches per scan run: a backlog is worked off over the following minutes */
const BATCH = 200;
const MAX_BATCHES = 5;
/** a scan with no position yet starts this far behind (a new rule does not bring up years of old items) */
const FIRST_LOOKBACK_MS = DAY_MS;
/** the digest reads at most this many items of each kind */
const DIGEST_CAP = 5000;

const RULE_FIELDS = Object.keys(DEFAULT_RULES) as Array<keyof OverdueRules>;

const rulesOf = (row: repo.SettingsRow | undefined): OverdueRules =>
  row
    ? {
        activityEnabled: row.activity_enabled === 1,
        activityNotifyAfterMinutes: row.activity_notify_after_minutes,
        activityEscalateAfterMinutes: row.activity_escalate_after_minutes,
        dealIdleEnabled: row.deal_idle_enabled === 1,
        dealIdleDays: row.deal_idle_days,
        dealIdleEscalate: row.deal_idle_escalate === 1,
        digestEnabled: row.digest_enabled === 1,
        digestTime: row.digest_time,
        digestNoActivity: row.digest_no_activity === 1,
      }
    : { ...DEFAULT_RULES };

const toValues = (r: OverdueRules, now: string): repo.SettingsValues => ({
  activity_enabled: r.activityEnabled ? 1 : 0,
  activity_notify_after_minutes: r.activityNotifyAfterMinutes,
  activity_escalate_after_minutes: r.activityEscalateAfterMinutes,
  deal_idle_enabled: r.dealIdleEnabled ? 1 : 0,
  deal_idle_days: r.dealIdleDays,
  deal_idle_escalate: r.dealIdleEscalate ? 1 : 0,
  digest_enabled: r.digestEnabled ? 1 : 0,
  digest_time: r.digestTime,
  digest_no_activity: r.digestNoActivity ? 1 : 0,
  updated_at: now,
});

const iso = (ms: number) => new Date(ms).toISOString();
export const scanKey = (ws: number, at: Date) => `overdue:scan:${ws}:${at.toISOString()}`;
export const digestKeyPrefix = (ws: number) => `overdue:digest:${ws}:`;

export class OverdueControlService {
  constructor(private readonly ctx: AppContext) {}

  /** Called once when the services are made: the scan, the digest and the digest e-mail jobs. */
  registerJobKinds(registry: JobRegistry): void {
    registry.register(scanKind(this), digestKind(this), digestMailKind(this));
  }

  private async zone(exec: Executor, ws: number) {
    const s = await this.ctx.services.workspaces.getSettings(exec, ws);
    return { timeZone: safeTimeZone(s.timeZone), locale: asLocale(s.locale) };
  }

  async rules(exec: Executor, ws: number): Promise<OverdueRules> {
    return rulesOf(await repo.findSettings(exec, ws));
  }

  private async view(exec: Executor, ws: number): Promise<OverdueControlView> {
    const row = await repo.findSettings(exec, ws);
    const rules = rulesOf(row);
    const { timeZone } = await this.zone(exec, ws);
    return {
      ...rules,
      timeZone,
      nextDigestAt: rules.digestEnabled ? nextDigestAt(this.ctx.clock.now().getTime(), rules.digestTime, timeZone).toISOString() : null,
      version: row?.version ?? 0,
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** Administrators only: the rules are settings of the workspace. */
  async get(actor: Actor): Promise<OverdueControlView> {
    requireAdmin(actor);
    return this.view(this.ctx.db.kysely, actor.workspaceId);
  }

  async update(actor: Actor, patch: OverdueControlPatch, expectedVersion: number, exec?: Executor): Promise<OverdueControlView> {
    requireAdmin(actor);
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const ws = actor.workspaceId;
      const before = await this.view(trx, ws);
      const after: OverdueRules = { ...before, ...patch } as OverdueRules;
      if (before.version !== expectedVersion) throw versionConflict(before);
      const changes = diffFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>, [...RULE_FIELDS]);
      if (Object.keys(changes).length === 0) return before;
      const now = nowIso(this.ctx.clock);
      const values = toValues(after, now);
      const done = expectedVersion === 0 ? await repo.insertSettings(trx, ws, values) : await repo.updateSettings(trx, ws, expectedVersion, values);
      if (!done) throw versionConflict(await this.view(trx, ws));
      await this.ctx.services.audit.record(trx, ws, actor.userId, { entityType: 'overdue_control', entityId: ws, action: 'updated', changes });
      // the digest's time or switch changed: its pending job is replaced
      if ('digestTime' in changes || 'digestEnabled' in changes) {
        await this.ctx.services.jobs.cancel(trx, { uniqueKeyPrefix: digestKeyPrefix(ws) });
        if (after.digestEnabled) await this.scheduleDigest(trx, ws, after.digestTime);
      }
      return this.view(trx, ws);
    });
  }

  // --- the jobs ---

  private async scheduleDigest(exec: Executor, ws: number, digestTime: string): Promise<void> {
    const { timeZone } = await this.zone(exec, ws);
    const at = nextDigestAt(this.ctx.clock.now().getTime(), digestTime, timeZone);
    await this.ctx.services.jobs.enqueue(exec, digestKind(this), { workspaceId: ws }, { runAt: at, uniqueKey: `${digestKeyPrefix(ws)}${at.toISOString()}`, workspaceId: ws });
  }

  /** The next scan, at the next minute boundary: two chains (two processes starting at once) meet in one unique key. */
  async scheduleScan(exec: Executor, ws: number): Promise<void> {
    const at = nextMinute(this.ctx.clock.now().getTime());
    await this.ctx.services.jobs.enqueue(exec, scanKind(this), { workspaceId: ws }, { runAt: at, uniqueKey: scanKey(ws, at), workspaceId: ws, maxAttempts: 50 });
  }

  /** Makes sure the workspace's scan and digest jobs exist (a new workspace, every server start); safe to repeat. */
  async ensureJobs(exec: Executor, ws: number): Promise<void> {
    await this.scheduleScan(exec, ws);
    const rules = await this.rules(exec, ws);
    if (rules.digestEnabled) await this.scheduleDigest(exec, ws, rules.digestTime);
  }

  /** At server start: the jobs of every workspace (those made before this module existed, or whose chain failed). */
  async ensureAllWorkspaces(): Promise<number> {
    const ids = await this.ctx.services.workspaces.allIds(this.ctx.db.kysely);
    for (const ws of ids) await inTransaction(this.ctx.db.kysely, (trx) => this.ensureJobs(trx, ws));
    return ids.length;
  }

  /**
   * One scan of a workspace, in the job's transaction: every notice is claimed in overdue_notices
   * (subject × level × deadline) before anyone is notified, so a re-run, a crash or a second
   * process never notifies twice. Each level reads on from its keyset position.
   */
  async scan(exec: Executor, ws: number): Promise<{ notified: number }> {
    const rules = await this.rules(exec, ws);
    const nowMs = this.ctx.clock.now().getTime();
    const { timeZone, locale } = await this.zone(exec, ws);
    const t = texts[locale];
    let notified = 0;
    const notifyAt = nowMs - rules.activityNotifyAfterMinutes * MINUTE_MS;
    if (rules.activityEnabled) {
      notified += await this.scanActivities(exec, ws, 'activity_responsible', notifyAt, t, timeZone);
    } else await this.skipTo(exec, ws, 'activity_responsible', notifyAt);
    const escalateAt = rules.activityEscalateAfterMinutes === null ? null : notifyAt - rules.activityEscalateAfterMinutes * MINUTE_MS;
    if (rules.activityEnabled && escalateAt !== null) {
      notified += await this.scanActivities(exec, ws, 'activity_head', escalateAt, t, timeZone);
    } else await this.skipTo(exec, ws, 'activity_head', escalateAt ?? notifyAt);
    if (rules.activityEnabled) notified += await this.scanChangedActivities(exec, ws, notifyAt, escalateAt, t, timeZone);
    else await this.skipTo(exec, ws, 'activity_changed', nowMs);
    const idleAt = nowMs - rules.dealIdleDays * DAY_MS;
    if (rules.dealIdleEnabled) notified += await this.scanIdleDeals(exec, ws, idleAt, rules, t, timeZone);
    else await this.skipTo(exec, ws, 'deal_idle', idleAt);
    return { notified };
  }

  /** A switched-off level moves its position along, so that switching it on later does not bring up what passed meanwhile. */
  private async skipTo(exec: Executor, ws: number, level: Level, atMs: number): Promise<void> {
    const pos = await repo.scanPosition(exec, ws, level);
    if (pos && pos.at >= iso(atMs)) return;
    await repo.saveScanPosition(exec, ws, level, { at: iso(atMs), id: 0 }, nowIso(this.ctx.clock));
  }

  private async names(exec: Executor, ws: number, ids: number[]): Promise<Map<number, string>> {
    const contacts = await this.ctx.services.users.contactsOf(exec, ws, ids);
    return new Map([...contacts].map(([id, c]) => [id, c.name]));
  }

  private async scanActivities(exec: Executor, ws: number, level: 'activity_responsible' | 'activity_head', thresholdMs: number, t: Texts, timeZone: string): Promise<number> {
    const s = this.ctx.services;
    const atMost = iso(thresholdMs);
    let pos = (await repo.scanPosition(exec, ws, level)) ?? { at: iso(thresholdMs - FIRST_LOOKBACK_MS), id: 0 };
    const now = nowIso(this.ctx.clock);
    let notified = 0;
    for (let b = 0; b < MAX_BATCHES; b++) {
      const rows = await s.activities.overdueForControl(exec, ws, { atMost, after: pos, limit: BATCH });
      const names = level === 'activity_head' ? await this.names(exec, ws, rows.map((r) => r.responsibleId)) : new Map<number, string>();
      for (const a of rows) notified += await this.noticeActivity(exec, ws, a, level === 'activity_responsible' ? 'responsible' : 'head', names, t, timeZone, now);
      const last = rows[rows.length - 1];
      if (last) pos = { at: last.deadlineAt, id: last.id };
      if (rows.length < BATCH) break;
    }
    await repo.saveScanPosition(exec, ws, level, pos, now);
    return notified;
  }

  /** Claims the notice of one activity at one level and, when the claim is new, notifies; returns how many were notified. */
  private async noticeActivity(
    exec: Executor,
    ws: number,
    a: { id: number; subject: string; deadlineAt: string; responsibleId: number },
    level: 'responsible' | 'head',
    names: Map<number, string>,
    t: Texts,
    timeZone: string,
    now: string,
  ): Promise<number> {
    const s = this.ctx.services;
    const claimed = await repo.claimNotice(exec, { workspace_id: ws, subject_type: 'activity', subject_id: a.id, level, deadline_at: a.deadlineAt, notified_at: now });
    if (!claimed) return 0;
    const to = level === 'responsible' ? [a.responsibleId] : await s.notifications.headsFor(exec, ws, a.responsibleId);
    if (to.length === 0) return 0;
    const manager = names.get(a.responsibleId) ?? (await this.names(exec, ws, [a.responsibleId])).get(a.responsibleId) ?? '';
    const { ids } = await s.notifications.notify(exec, ws, to, {
      kind: 'activity_overdue',
      title: level === 'responsible' ? t.activityOverdue(a.subject) : t.activityOverdueHead(a.subject, manager),
      body: t.deadline(localDateTime(a.deadlineAt, timeZone)),
      entity: { type: 'activity', id: a.id },
      dedupeKey: `overdue:activity:${a.id}:${level}:${a.deadlineAt}`,
    });
    return ids.length;
  }

  /**
   * Activities created or rescheduled with a deadline the deadline scans have already passed (a call
   * logged two hours late, a deadline moved into the past): read by their last change, (updated_at, id).
   */
  private async scanChangedActivities(exec: Executor, ws: number, notifyAtMs: number, escalateAtMs: number | null, t: Texts, timeZone: string): Promise<number> {
    const s = this.ctx.services;
    const now = nowIso(this.ctx.clock);
    let pos = (await repo.scanPosition(exec, ws, 'activity_changed')) ?? { at: iso(this.ctx.clock.now().getTime() - FIRST_LOOKBACK_MS), id: 0 };
    let notified = 0;
    for (let b = 0; b < MAX_BATCHES; b++) {
      const rows = await s.activities.changedForControl(exec, ws, { after: pos, limit: BATCH });
      for (const a of rows) {
        if (a.status !== 'planned' || a.deadlineAt === null) continue;
        const deadline = Date.parse(a.deadlineAt);
        const due = { ...a, deadlineAt: a.deadlineAt };
        if (deadline <= notifyAtMs) notified += await this.noticeActivity(exec, ws, due, 'responsible', new Map(), t, timeZone, now);
        if (escalateAtMs !== null && deadline <= escalateAtMs) notified += await this.noticeActivity(exec, ws, due, 'head', new Map(), t, timeZone, now);
      }
      const last = rows[rows.length - 1];
      if (last) pos = { at: last.updatedAt, id: last.id };
      if (rows.length < BATCH) break;
    }
    await repo.saveScanPosition(exec, ws, 'activity_changed', pos, now);
    return notified;
  }

  private async scanIdleDeals(exec: Executor, ws: number, thresholdMs: number, rules: OverdueRules, t: Texts, timeZone: string): Promise<number> {
    const s = this.ctx.services;
    const changedAtMost = iso(thresholdMs);
    let pos = (await repo.scanPosition(exec, ws, 'deal_idle')) ?? { at: iso(thresholdMs - FIRST_LOOKBACK_MS), id: 0 };
    const now = nowIso(this.ctx.clock);
    let notified = 0;
    for (let b = 0; b < MAX_BATCHES; b++) {
      const rows = await s.deals.idleForControl(exec, ws, { changedAtMost, after: pos, limit: BATCH });
      const names = rules.dealIdleEscalate ? await this.names(exec, ws, rows.map((r) => r.responsibleId)) : new Map<number, string>();
      for (const d of rows) {
        const claimed = await repo.claimNotice(exec, { workspace_id: ws, subject_type: 'deal', subject_id: d.id, level: 'idle', deadline_at: d.stageChangedAt, notified_at: now });
        if (!claimed) continue;
        const body = t.inStageSince(localDateTime(d.stageChangedAt, timeZone));
        const dedupeKey = `overdue:deal:${d.id}:idle:${d.stageChangedAt}`;
        const entity = { type: 'deal' as const, id: d.id };
        notified += (await s.notifications.notify(exec, ws, [d.responsibleId], { kind: 'deal_idle', title: t.dealIdle(d.title, rules.dealIdleDays), body, entity, dedupeKey })).ids.length;
        if (rules.dealIdleEscalate) {
          const heads = await s.notifications.headsFor(exec, ws, d.responsibleId);
          const title = t.dealIdleHead(d.title, names.get(d.responsibleId) ?? '', rules.dealIdleDays);
          if (heads.length) notified += (await s.notifications.notify(exec, ws, heads, { kind: 'deal_idle', title, body, entity, dedupeKey })).ids.length;
        }
      }
      const last = rows[rows.length - 1];
      if (last) pos = { at: last.stageChangedAt, id: last.id };
      if (rows.length < BATCH) break;
    }
    await repo.saveScanPosition(exec, ws, 'deal_idle', pos, now);
    return notified;
  }

  /**
   * The daily digest of the day `runAt` falls on (workspace time), in the job's transaction: every
   * manager with overdue activities, idle deals or deals without a planned activity gets their own
   * list, and each head (notifications.headsFor of the manager) the lists of their managers, by
   * manager. In-app once per user and day (dedupe key); an e-mail job for those who want it.
   */
  async digest(exec: Executor, ws: number, runAt: Date): Promise<{ recipients: number; emails: number }> {
    const s = this.ctx.services;
    const rules = await this.rules(exec, ws);
    if (!rules.digestEnabled) return { recipients: 0, emails: 0 };
    const { timeZone, locale } = await this.zone(exec, ws);
    const t = texts[locale];
    const nowMs = this.ctx.clock.now().getTime();
    const date = localDate(runAt.getTime(), timeZone);
    const groups = new Map<number, DigestGroup>();
    const group = (id: number) => {
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { managerId: id, managerName: '', overdue: [], idle: [], noActivity: [] }));
      return g;
    };

    if (rules.activityEnabled) {
      let after: repo.Position | null = null;
      for (let n = 0; n < DIGEST_CAP; ) {
        const rows = await s.activities.overdueForControl(exec, ws, { atMost: iso(nowMs - 1), after, limit: 500 });
        for (const a of rows) group(a.responsibleId).overdue.push({ subject: a.subject, deadlineAt: a.deadlineAt });
        n += rows.length;
        const last = rows[rows.length - 1];
        if (!last || rows.length < 500) break;
        after = { at: last.deadlineAt, id: last.id };
      }
    }
    if (rules.dealIdleEnabled) {
      let after: repo.Position | null = null;
      for (let n = 0; n < DIGEST_CAP; ) {
        const rows = await s.deals.idleForControl(exec, ws, { changedAtMost: iso(nowMs - rules.dealIdleDays * DAY_MS), after, limit: 500 });
        for (const d of rows) group(d.responsibleId).idle.push({ title: d.title, since: d.stageChangedAt });
        n += rows.length;
        const last = rows[rows.length - 1];
        if (!last || rows.length < 500) break;
        after = { at: last.stageChangedAt, id: last.id };
      }
    }
    if (rules.digestNoActivity) {
      let afterId = 0;
      for (let n = 0; n < DIGEST_CAP; ) {
        const rows = await s.deals.withoutPlannedActivity(exec, ws, { afterId, limit: 500 });
        for (const d of rows) group(d.responsibleId).noActivity.push({ title: d.title });
        n += rows.length;
        const last = rows[rows.length - 1];
        if (!last || rows.length < 500) break;
        afterId = last.id;
      }
    }

    // who gets which managers' lists: the manager their own, each head those whose work they are told of
    const recipients = new Map<number, Set<number>>();
    const add = (to: number, managerId: number) => recipients.set(to, (recipients.get(to) ?? new Set()).add(managerId));
    for (const managerId of groups.keys()) {
      add(managerId, managerId);
      for (const head of await s.notifications.headsFor(exec, ws, managerId)) add(head, managerId);
    }
    const people = await s.users.contactsOf(exec, ws, [...recipients.keys(), ...groups.keys()]);
    for (const g of groups.values()) g.managerName = people.get(g.managerId)?.name ?? `#${g.managerId}`;

    const title = t.digestTitle(`${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`);
    let count = 0;
    let emails = 0;
    for (const [userId, managers] of recipients) {
      const person = people.get(userId);
      if (!person?.active) continue;
      const mine = [...managers]
        .map((id) => groups.get(id)!)
        .sort((a, b) => (a.managerId === userId ? -1 : b.managerId === userId ? 1 : a.managerName.localeCompare(b.managerName) || a.managerId - b.managerId));
      const body = digestText(t, mine, userId, timeZone);
      const { ids } = await s.notifications.notify(exec, ws, [userId], { kind: 'digest', title, body, dedupeKey: `overdue:digest:${date}` });
      count += ids.length;
      if (ids.length && (await s.notifications.wantsEmail(exec, ws, userId, 'digest'))) {
        const { inserted } = await s.jobs.enqueue(
          exec,
          digestMailKind(this),
          { workspaceId: ws, userId, date, subject: title, text: body },
          { uniqueKey: `overdue:digest-mail:${ws}:${userId}:${date}`, workspaceId: ws, maxAttempts: 8 },
        );
        if (inserted) emails++;
      }
    }
    return { recipients: count, emails };
  }

  /** After a digest: the next one, at the next digest time (the rules may have changed meanwhile). */
  async scheduleNextDigest(exec: Executor, ws: number): Promise<void> {
    const rules = await this.rules(exec, ws);
    if (rules.digestEnabled) await this.scheduleDigest(exec, ws, rules.digestTime);
  }

  /**
   * One digest e-mail through the workspace's mail provider. The attempt is recorded (committed)
   * before sending and the outcome after; an attempt found without an outcome (a crash while
   * sending) is marked uncertain and not sent again: at most once, as SMTP offers no look-up.
   */
  async sendDigestMail(args: { workspaceId: number; userId: number; date: string; subject: string; text: string }): Promise<{ state: string }> {
    const db = this.ctx.db.kysely;
    const s = this.ctx.services;
    const ws = args.workspaceId;
    const person = (await s.users.contactsOf(db, ws, [args.userId])).get(args.userId);
    if (!person) throw new PermanentJobError('the user is no longer in the workspace');
    const from = (await s.messaging.mailFrom(db, ws)) ?? 'Voronka <noreply@voronka.invalid>';
    const messageId = messageIdFor(`vr-digest-${ws}-${args.userId}-${args.date}`, from);
    const now = () => nowIso(this.ctx.clock);
    const existing = await repo.findDigestMail(db, ws, args.userId, args.date);
    if (existing?.state === 'sent' || existing?.state === 'uncertain') return { state: existing.state };
    if (existing?.state === 'sending') {
      await repo.setDigestMailState(db, ws, args.userId, args.date, 'uncertain', 'the process stopped while sending; not sent again', now());
      return { state: 'uncertain' };
    }
    if (existing) await repo.setDigestMailState(db, ws, args.userId, args.date, 'sending', existing.error, now());
    else await repo.insertDigestMail(db, { workspace_id: ws, user_id: args.userId, digest_date: args.date, state: 'sending', message_id: messageId, error: null, updated_at: now() });
    const provider = await s.messaging.mailProvider(db, ws);
    const result = await provider.send({ from, to: person.email, subject: args.subject, text: args.text, html: digestHtml(args.subject, args.text), messageId });
    if (result.outcome === 'sent') {
      await repo.setDigestMailState(db, ws, args.userId, args.date, 'sent', null, now());
      return { state: 'sent' };
    }
    const reason = result.error ? `${result.error.code}: ${result.error.message}` : result.outcome;
    if (result.outcome === 'uncertain') {
      await repo.setDigestMailState(db, ws, args.userId, args.date, 'uncertain', reason, now());
      return { state: 'uncertain' };
    }
    await repo.setDigestMailState(db, ws, args.userId, args.date, 'failed', reason, now());
    if (result.error?.retryable) throw new Error(reason);
    throw new PermanentJobError(reason);
  }
}
