import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { idInOnce, idsContaining, numberedId } from '../../db/text-search.js';
import { searchNeedles } from '../../shared/communications.js';
import type { Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import type { Action } from '../permissions/levels.js';
import type { DealFilters } from './deals.schema.js';

type Cond = RawBuilder<SqlBool>;

/** The permission scope of deals as SQL (responsible, per-pipeline grants, observers for reads). */
export const dealScope = (actor: Actor, action: Action): Cond =>
  scopeFilter(actor, 'deal', action, { responsible: 'deals.responsible_id', pipeline: 'deals.pipeline_id', observedId: 'deals.id' });

/** Lower bound of a `…From` parameter as a UTC ISO time. */
const fromBound = (v: string): string => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString());
/**
 * Upper bound of a `…To` parameter: a date takes in its whole day (up to its last millisecond,
 * inclusive: the day after 9999-12-31 is not a time the databases can compare), a time is the
 * bound itself, exclusive.
 */
const beforeBound = (column: string, v: string): Cond =>
  v.length === 10 ? sql<SqlBool>`${sql.ref(column)} <= ${`${v}T23:59:59.999Z`}` : sql<SqlBool>`${sql.ref(column)} < ${new Date(v).toISOString()}`;

const inList = (column: string, values: Array<string | number>): Cond =>
  values.length === 1 ? sql<SqlBool>`${sql.ref(column)} = ${values[0]}` : sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;

/** The `responsibleId` filter as user ids ('me' resolved), or undefined when not given. */
export const responsibleFilterIds = (actor: Actor, f: DealFilters): number[] | undefined => f.responsibleId?.map((r) => (r === 'me' ? actor.userId : r));

/** The filters that the board totals can answer too: pipeline, stage, responsible, currency. */
export const TOTALS_FILTERS: ReadonlySet<string> = new Set(['pipelineId', 'stageId', 'responsibleId', 'currency']);

/**
 * The conditions of the TOTALS_FILTERS on `table` (deals, or deal_stage_totals, which has the
 * same column names), so the live query and the totals read can never disagree.
 */
export function totalsKeyConditions(table: string, actor: Actor, f: DealFilters): Cond[] {
  const c: Cond[] = [];
  const responsibles = responsibleFilterIds(actor, f);
  if (f.pipelineId) c.push(inList(`${table}.pipeline_id`, f.pipelineId));
  if (f.stageId) c.push(inList(`${table}.stage_id`, f.stageId));
  if (responsibles) c.push(inList(`${table}.responsible_id`, responsibles));
  if (f.currency) c.push(inList(`${table}.currency`, f.currency));
  return c;
}

/**
 * `q`: deals whose title holds the text, the deal it names by number, and deals linked to a
 * contact or company whose name, phone or e-mail holds it (their own search_text, read through
 * deal_contacts and deals.company_id when searching, so renames, phone edits, merges and the
 * recycle bin show at once). Contacts and companies the actor may not read match nothing: a
 * search never reveals what they hold. The matches are read once for all the queries of a read
 * (src/db/text-search.ts).
 */
function dealSearch(ctx: AppContext, actor: Actor, q: string): Promise<Cond> {
  const ws = actor.workspaceId;
  return idInOnce(ctx.db, 'deals', ws, [
    idsContaining(ctx.db.dialect, 'deals', ws, searchNeedles(q)),
    ...numberedId(q),
    sql<{ id: number }>`select dc.deal_id as id from deal_contacts dc where dc.workspace_id = ${ws} and dc.contact_id in (${ctx.services.contacts.searchIds(actor, q)})`,
    sql<{ id: number }>`select dco.id from deals dco where dco.workspace_id = ${ws} and dco.company_id in (${ctx.services.companies.searchIds(actor, q)})`,
  ]);
}

/**
 * Every condition of a deals read: workspace, read scope and the list filters. Lists, the
 * board, its counts and sums all use this one function, so they can never disagree.
 */
export async function dealConditions(ctx: AppContext, actor: Actor, f: DealFilters): Promise<Cond[]> {
  const ws = actor.workspaceId;
  const c: Cond[] = [sql<SqlBool>`deals.workspace_id = ${ws}`, dealScope(actor, 'read')];
  c.push(...totalsKeyConditions('deals', actor, f));
  if (f.companyId) c.push(inList('deals.company_id', f.companyId));
  if (f.sourceId) c.push(inList('deals.source_id', f.sourceId));
  if (f.contactId) {
    // any linked contact, not only the primary one
    c.push(sql<SqlBool>`deals.id in (select deal_id from deal_contacts where workspace_id = ${ws} and contact_id in (${sql.join(f.contactId)}))`);
  }
  if (f.tag) {
    // a deal matches when it carries any of the given tags
    c.push(sql<SqlBool>`deals.id in (select deal_id from deal_tags where workspace_id = ${ws} and tag in (${sql.join(f.tag)}))`);
  }
  if (f.closed !== undefined) c.push(sql<SqlBool>`deals.closed = ${f.closed ? 1 : 0}`);
  const now = nowIso(ctx.clock);
  if (f.overdue === true) c.push(sql<SqlBool>`deals.next_activity_deadline < ${now}`);
  if (f.overdue === false) c.push(sql<SqlBool>`(deals.next_activity_deadline is null or deals.next_activity_deadline >= ${now})`);
  if (f.noNextStep === true) c.push(sql<SqlBool>`(deals.stage_semantic = 'in_progress' and deals.next_activity_id is null)`);
  if (f.noNextStep === false) c.push(sql<SqlBool>`(deals.stage_semantic <> 'in_progress' or deals.next_activity_id is not null)`);
  if (f.createdFrom) c.push(sql<SqlBool>`deals.created_at >= ${fromBound(f.createdFrom)}`);
  if (f.createdTo) c.push(beforeBound('deals.created_at', f.createdTo));
  if (f.updatedFrom) c.push(sql<SqlBool>`deals.updated_at >= ${fromBound(f.updatedFrom)}`);
  if (f.updatedTo) c.push(beforeBound('deals.updated_at', f.updatedTo));
  if (f.closedFrom) c.push(sql<SqlBool>`deals.closed_at >= ${fromBound(f.closedFrom)}`);
  if (f.closedTo) c.push(beforeBound('deals.closed_at', f.closedTo));
  if (f.closeDateFrom) c.push(sql<SqlBool>`deals.close_date >= ${f.closeDateFrom}`);
  if (f.closeDateTo) c.push(sql<SqlBool>`deals.close_date <= ${f.closeDateTo}`);
  if (f.amountFrom !== undefined) c.push(sql<SqlBool>`deals.amount >= ${f.amountFrom}`);
  if (f.amountTo !== undefined) c.push(sql<SqlBool>`deals.amount <= ${f.amountTo}`);
  if (f.q) c.push(await dealSearch(ctx, actor, f.q));
  for (const [key, raw] of Object.entries(f)) {
    if (!key.startsWith('custom.') || raw === undefined) continue;
    const code = key.slice('custom.'.length);
    c.push(await ctx.services.customFields.filterCondition(ws, 'deal', code, raw as string | string[], 'deals.custom'));
  }
  return c;
}

/** `a and b and …` for use in `.where(…)`. */
export const allOf = (conds: Cond[]): Cond => sql<SqlBool>`(${sql.join(conds, sql` and `)})`;
