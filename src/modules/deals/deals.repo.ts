import { sql, type Insertable, type RawBuilder, type SqlBool, type Updateable } from 'kysely';
import type { DealsTable } from '../../db/schema.js';
import type { Executor } from '../../server/context.js';
import type { DealLinks, DealRow } from './deals.mapper.js';

// Kysely queries of the deals tables only. Permission and workspace conditions come from
// the caller (deal-filters.ts), so every read path shares them.

/** `lockForUpdate` (PostgreSQL only; SQLite has one writer at a time anyway) holds the row until commit. */
export async function findDeal(exec: Executor, workspaceId: number, id: number, scope?: RawBuilder<SqlBool>, lockForUpdate = false): Promise<DealRow | undefined> {
  let q = exec.selectFrom('deals').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id);
  if (scope) q = q.where(scope);
  if (lockForUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The new row as stored (defaults and id filled in), so that a create need not read it back. */
export async function insertDeal(exec: Executor, values: Insertable<DealsTable>): Promise<DealRow> {
  return exec.insertInto('deals').values(values).returningAll().executeTakeFirstOrThrow();
}

/** The optimistic-concurrency write: false when the version moved on (→ 409). */
export async function updateDealVersioned(
  exec: Executor,
  workspaceId: number,
  id: number,
  expectedVersion: number,
  values: Updateable<DealsTable>,
): Promise<boolean> {
  const res = await exec
    .updateTable('deals')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Contacts (primary first) and observers of a page of deals: two queries, whatever the page size. */
export async function loadLinks(exec: Executor, workspaceId: number, dealIds: number[]): Promise<Map<number, DealLinks>> {
  const out = new Map<number, DealLinks>();
  if (dealIds.length === 0) return out;
  for (const id of dealIds) out.set(id, { contactIds: [], observerIds: [] });
  const [contacts, observers] = await Promise.all([
    exec
      .selectFrom('deal_contacts')
      .select(['deal_id', 'contact_id'])
      .where('workspace_id', '=', workspaceId)
      .where('deal_id', 'in', dealIds)
      .orderBy('deal_id')
      .orderBy('is_primary', 'desc')
      .orderBy('sort')
      .execute(),
    exec
      .selectFrom('deal_observers')
      .select(['deal_id', 'user_id'])
      .where('workspace_id', '=', workspaceId)
      .where('deal_id', 'in', dealIds)
      .orderBy('deal_id')
      .orderBy('user_id')
      .execute(),
  ]);
  for (const c of contacts) out.get(c.deal_id)?.contactIds.push(c.contact_id);
  for (const o of observers) out.get(o.deal_id)?.observerIds.push(o.user_id);
  return out;
}

// The links of a deal: `insert…` for a new deal (nothing to remove), `replace…` for an update.

/** The linked contacts; the first one is the primary contact. */
export async function insertContacts(exec: Executor, workspaceId: number, dealId: number, contactIds: number[]): Promise<void> {
  if (contactIds.length === 0) return;
  await exec
    .insertInto('deal_contacts')
    .values(contactIds.map((contactId, i) => ({ workspace_id: workspaceId, deal_id: dealId, contact_id: contactId, is_primary: i === 0 ? 1 : 0, sort: i })))
    .execute();
}

export async function insertObservers(exec: Executor, workspaceId: number, dealId: number, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  await exec.insertInto('deal_observers').values(userIds.map((userId) => ({ workspace_id: workspaceId, deal_id: dealId, user_id: userId }))).execute();
}

/** deal_tags mirrors deals.tags so that the tag filter is an index lookup. */
export async function insertTags(exec: Executor, workspaceId: number, dealId: number, tags: string[]): Promise<void> {
  if (tags.length === 0) return;
  await exec.insertInto('deal_tags').values(tags.map((tag) => ({ workspace_id: workspaceId, deal_id: dealId, tag }))).execute();
}

export async function replaceContacts(exec: Executor, workspaceId: number, dealId: number, contactIds: number[]): Promise<void> {
  await exec.deleteFrom('deal_contacts').where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).execute();
  await insertContacts(exec, workspaceId, dealId, contactIds);
}

export async function replaceObservers(exec: Executor, workspaceId: number, dealId: number, userIds: number[]): Promise<void> {
  await exec.deleteFrom('deal_observers').where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).execute();
  await insertObservers(exec, workspaceId, dealId, userIds);
}

export async function replaceTags(exec: Executor, workspaceId: number, dealId: number, tags: string[]): Promise<void> {
  await exec.deleteFrom('deal_tags').where('workspace_id', '=', workspaceId).where('deal_id', '=', dealId).execute();
  await insertTags(exec, workspaceId, dealId, tags);
}

export async function countProductRows(exec: Executor, workspaceId: number, dealId: number): Promise<number> {
  const row = await exec
    .selectFrom('deal_products')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('deal_id', '=', dealId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A deal in progress as the overdue control reads it. */
export interface ControlDealRow {
  id: number;
  title: string;
  responsibleId: number;
  stageId: number;
  stageChangedAt: string;
}

const toControlDeal = (r: { id: number; title: string; responsible_id: number; stage_id: number; stage_changed_at: string }): ControlDealRow => ({
  id: r.id,
  title: r.title,
  responsibleId: r.responsible_id,
  stageId: r.stage_id,
  stageChangedAt: r.stage_changed_at,
});

/** Deals in progress whose stage has not changed since `changedAtMost`, after the keyset (stage_changed_at, id): deals_idle_idx. */
export async function idleForControl(
  exec: Executor,
  workspaceId: number,
  q: { changedAtMost: string; after: { at: string; id: number } | null; limit: number },
): Promise<ControlDealRow[]> {
  let query = exec
    .selectFrom('deals')
    .select(['id', 'title', 'responsible_id', 'stage_id', 'stage_changed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('stage_semantic', '=', 'in_progress')
    .where('stage_changed_at', '<=', q.changedAtMost);
  const after = q.after;
  if (after) query = query.where((eb) => eb.or([eb('stage_changed_at', '>', after.at), eb.and([eb('stage_changed_at', '=', after.at), eb('id', '>', after.id)])]));
  return (await query.orderBy('stage_changed_at', 'asc').orderBy('id', 'asc').limit(q.limit).execute()).map(toControlDeal);
}

/** Deals in progress without a planned activity, by id after `afterId`: deals_no_next_step_idx. */
export async function withoutPlannedActivity(exec: Executor, workspaceId: number, q: { afterId: number; limit: number }): Promise<ControlDealRow[]> {
  const rows = await exec
    .selectFrom('deals')
    .select(['id', 'title', 'responsible_id', 'stage_id', 'stage_changed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('stage_semantic', '=', 'in_progress')
    .where('next_activity_id', 'is', null)
    .where('id', '>', q.afterId)
    .orderBy('id', 'asc')
    .limit(q.limit)
    .execute();
  return rows.map(toControlDeal);
}
