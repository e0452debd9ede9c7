import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext, Executor } from '../../server/context.js';
import type { Actor } from '../permissions/actor.js';
import { diffFields, type TimelineEvent } from '../timeline/timeline.service.js';

type Owner = 'contact' | 'company';

/** The timeline events of an edit: `responsible_changed` on its own, every other field in one `updated`. */
export async function recordTimeline(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  entityType: Owner,
  before: Record<string, unknown> & { id: number; responsibleId: number },
  after: Record<string, unknown> & { responsibleId: number },
  tracked: string[],
): Promise<void> {
  const events: TimelineEvent[] = [];
  if (before.responsibleId !== after.responsibleId) {
    events.push({ entityType, entityId: before.id, kind: 'responsible_changed', data: { old: before.responsibleId, new: after.responsibleId } });
  }
  const changes = diffFields(before, after, tracked);
  if (Object.keys(changes).length) events.push({ entityType, entityId: before.id, kind: 'updated', data: { changes } });
  await ctx.services.timeline.record(trx, actor.workspaceId, actor, events);
}

/** Adds a comment after `check` (permission) passes, and returns the new entry. */
export async function recordComment(ctx: AppContext, actor: Actor, entityType: Owner, id: number, text: string, check: (trx: Transaction<Database>) => Promise<void>) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await check(trx);
    await ctx.services.timeline.record(trx, actor.workspaceId, actor, { entityType, entityId: id, kind: 'comment', data: { text } });
  });
  const page = await ctx.services.timeline.list(actor, entityType, id, 20);
  return page.items.find((e) => e.kind === 'comment' && e.authorId === actor.userId && e.data.text === text) ?? page.items[0]!;
}
