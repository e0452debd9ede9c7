import { z } from 'zod';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { rangeEnd, rangeStart } from '../../server/http/dates.js';
import { idParam, idsFilter, limitSchema, lookupLimitSchema, repeatable, withTotalSchema } from '../../server/http/list-query.js';
import type { DialectName } from '../../db/connection.js';
import { idIn, idsContaining, numberedId, type SearchTable } from '../../db/text-search.js';
import type { Actor } from '../permissions/actor.js';
import { searchNeedles } from '../../shared/communications.js';

// Query-string pieces shared by the contact and company lists.

const CUSTOM_PARAM = /^custom\.[A-Za-z][A-Za-z0-9_]{0,63}$/;

// createdFrom / createdTo: `2026-11-28` (that whole day) or an exact ISO time (src/server/http/dates.ts).

export const commonListParams = {
  limit: limitSchema,
  cursor: z.string().max(500).optional(),
  sort: z.string().max(50).optional(),
  withTotal: withTotalSchema,
  q: z.string().trim().max(200).optional(),
  responsibleId: repeatable(z.union([z.literal('me'), idParam])),
  typeId: repeatable(idParam),
  createdFrom: rangeStart.optional(),
  createdTo: rangeEnd.optional(),
};

/** Batch look-up by id (the board asks for the names behind its cards in one request). */
export const lookupParams = {
  ids: idsFilter,
  limit: lookupLimitSchema,
};

/**
 * A strict query object that also lets `custom.<code>` filters through (API.md: unknown
 * parameters are a 400, custom-field filters are not unknown).
 */
export function listQuery<S extends z.ZodRawShape>(shape: S) {
  return z.looseObject(shape).superRefine((obj, ctx) => {
    for (const [key, value] of Object.entries(obj)) {
      if (Object.hasOwn(shape, key)) continue;
      if (!CUSTOM_PARAM.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a known parameter' });
      else if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be a string' });
      }
    }
  });
}

/** The `custom.<code>` parameters of a parsed query, code → raw value(s). */
export function customFilters(query: Record<string, unknown>): Array<{ code: string; value: string | string[] }> {
  return Object.entries(query)
    .filter(([k]) => CUSTOM_PARAM.test(k))
    .map(([k, v]) => ({ code: k.slice('custom.'.length), value: v as string | string[] }));
}

export const responsibleIds = (actor: Actor, ids: Array<'me' | number> | undefined) => ids?.map((id) => (id === 'me' ? actor.userId : id));

/**
 * `q` on a list: the rows of `table` whose search_text holds the text or, typed as a phone, its
 * digits (searchNeedles), plus for numbered records (deals, leads) the one it names by number.
 */
export function searchCondition(dialect: DialectName, table: SearchTable, workspaceId: number, q: string, numbered = false): RawBuilder<SqlBool> {
  return idIn(`${table}.id`, [idsContaining(dialect, table, workspaceId, searchNeedles(q)), ...(numbered ? numberedId(q) : [])]);
}

/**
 * For other modules' search (deals found by their contacts and company): `select id` of the
 * records of `table` that `q` finds among those the actor may read (`readScope`), so that a
 * search never matches on what the actor could not see.
 */
export function readableMatches(dialect: DialectName, table: 'contacts' | 'companies', actor: Actor, readScope: RawBuilder<SqlBool>, q: string): RawBuilder<{ id: number }> {
  return sql<{ id: number }>`select ${sql.ref(`${table}.id`)} as id from ${sql.table(table)} where ${sql.ref(`${table}.workspace_id`)} = ${actor.workspaceId} and ${readScope} and ${searchCondition(dialect, table, actor.workspaceId, q)}`;
}

export function createdRange(column: string, from?: string, to?: { before?: string; atMost?: string }): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (from) out.push(sql<SqlBool>`${sql.ref(column)} >= ${from}`);
  if (to?.before) out.push(sql<SqlBool>`${sql.ref(column)} < ${to.before}`);
  if (to?.atMost) out.push(sql<SqlBool>`${sql.ref(column)} <= ${to.atMost}`);
  return out;
}
