import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../../server/context.js';
import type { Actor } from '../permissions/actor.js';
import { scopeFilter } from '../permissions/record-scope.js';
import { createdRange, customFilters, responsibleIds, searchCondition } from '../contacts/list-params.js';
import type { LeadFilters } from './leads.schema.js';

/** The read scope of leads as SQL: lists, counts, the board and single reads all use it. */
export const leadReadScope = (actor: Actor): RawBuilder<SqlBool> => scopeFilter(actor, 'lead', 'read', { responsible: 'leads.responsible_id' });

/** List/board filters → SQL conditions, always including the actor's read scope. */
export async function leadConditions(ctx: AppContext, actor: Actor, f: LeadFilters): Promise<RawBuilder<SqlBool>[]> {
  const out: RawBuilder<SqlBool>[] = [leadReadScope(actor)];
  const inList = (column: string, values: Array<string | number>) => sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
  if (f.statusId) out.push(inList('leads.status_id', f.statusId));
  const responsible = responsibleIds(actor, f.responsibleId);
  if (responsible) out.push(inList('leads.responsible_id', responsible));
  if (f.sourceId) out.push(inList('leads.source_id', f.sourceId));
  if (f.semantic) out.push(inList('leads.status_semantic', f.semantic));
  out.push(...createdRange('leads.created_at', f.createdFrom, f.createdTo));
  if (f.q) out.push(searchCondition(ctx.db.dialect, 'leads', actor.workspaceId, f.q, true));
  for (const { code, value } of customFilters(f)) {
    out.push(await ctx.services.customFields.filterCondition(actor.workspaceId, 'lead', code, value, 'leads.custom'));
  }
  return out;
}
