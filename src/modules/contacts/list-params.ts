import { z } from 'zod';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { rangeEnd, rangeStart } from '../../server/http/dates.js';
import { idParam, idsFilter, limitSchema, lookupLimitSchema, repeatable, withTotalSchema } from '../../server/http/list-query.js';
import { escapeLike } from '../../server/http/text.js';
import type { Actor } from '../permissions/actor.js';
import { phoneQueryDigits } from './communications.js';

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

/** `q` against a search_text column: the text as typed, or a phone number in its normalised digits. */
export function searchCondition(column: string, q: string): RawBuilder<SqlBool> {
  const text = q.toLowerCase();
  const like = (s: string) => sql<SqlBool>`${sql.ref(column)} like ${'%' + escapeLike(s) + '%'} escape '\\'`;
  const digits = /\d{5}/.test(text.replace(/\D/g, '')) ? phoneQueryDigits(text) : null;
  return digits && digits !== text ? sql<SqlBool>`(${like(text)} or ${like(digits)})` : like(text);
}

export function createdRange(column: string, from?: string, to?: { before?: string; atMost?: string }): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (from) out.push(sql<SqlBool>`${sql.ref(column)} >= ${from}`);
  if (to?.before) out.push(sql<SqlBool>`${sql.ref(column)} < ${to.before}`);
  if (to?.atMost) out.push(sql<SqlBool>`${sql.ref(column)} <= ${to.atMost}`);
  return out;
}
