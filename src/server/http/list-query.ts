import { z } from 'zod';
import { badRequest } from '../errors.js';
import { isSupportedInstant } from './dates.js';

// Shared pieces of every list endpoint: page size, opaque keyset cursors, sort and
// repeatable filters. Keyset (not offset) pagination keeps page N as fast as page 1.

export const limitSchema = z.coerce.number().int().min(1).max(500).default(50);
export const withTotalSchema = z.enum(['true', 'false']).transform((v) => v === 'true').optional();
export const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
export const idParam = z.coerce.number().int().positive().max(2 ** 31 - 1);

/** A query parameter that may repeat (`?stageId=1&stageId=2`) or carry a comma list. */
export const repeatable = <T extends z.ZodTypeAny>(item: T, max = 200) =>
  z.preprocess((v) => {
    if (v === undefined) return undefined;
    const list = Array.isArray(v) ? v : [v];
    return list.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x])).filter((x) => x !== '');
  }, z.array(item).min(1).max(max, `at most ${max} values`).optional());

/** Batch look-up (`?ids=4,8,15` or `?ids=4&ids=8`): the records with these ids the caller may read. */
export const MAX_LOOKUP_IDS = 100;
export const idsFilter = repeatable(idParam, MAX_LOOKUP_IDS).meta({
  description: `Only the records with these ids (comma-separated or repeated, at most ${MAX_LOOKUP_IDS}); ids the caller may not read, or of another workspace, are left out`,
});
/** `limit` of a list that takes `ids`: without it a look-up returns every named record on one page. */
export const lookupLimitSchema = z.coerce.number().int().min(1).max(500).optional().meta({
  description: `Page size, 1–500; default 50, or ${MAX_LOOKUP_IDS} when ids is given`,
});
export const lookupLimit = (q: { limit?: number; ids?: number[] }) => q.limit ?? (q.ids ? MAX_LOOKUP_IDS : 50);

export { dateOnly, isoDateTime } from './dates.js';

export type SortDir = 'asc' | 'desc';
/**
 * What a sort column holds, so that a cursor's value can be checked before it reaches SQL
 * (PostgreSQL refuses `id > 'abc'`, a bigint compared with 1e300, a time in year 0):
 *   id      an int4 id (1 … 2^31−1)
 *   integer a bigint such as an amount (a safe integer)
 *   time    a UTC ISO time within the supported range (src/server/http/dates.ts)
 *   text    a string (a name key, a board position)
 */
export type SortType = 'id' | 'integer' | 'time' | 'text';
export interface SortField {
  column: string;
  type: SortType;
  /** the column may be null (its rows sort last ascending) */
  nullable?: boolean;
}
export type SortFields = Readonly<Record<string, SortField>>;
export interface SortSpec extends SortField {
  field: string;
  dir: SortDir;
}

/**
 * Parses `sort=-updatedAt` against the allowed (indexed) fields → column. Only the map's own
 * keys count: `__proto__`, `constructor` or `toString` are unknown fields like any other.
 */
export function parseSort(raw: string | undefined, allowed: SortFields, fallback: string): SortSpec {
  const value = raw ?? fallback;
  const dir: SortDir = value.startsWith('-') ? 'desc' : 'asc';
  const field = value.replace(/^[-+]/, '');
  if (!Object.hasOwn(allowed, field)) {
    const names = Object.keys(allowed).join(', ');
    throw badRequest(`sort: "${field}" is not a sortable field; use one of ${names}`, [
      { path: 'sort', message: `must be one of ${names} with an optional leading -` },
    ]);
  }
  return { ...allowed[field]!, field, dir };
}

export interface Cursor {
  v: string | number | null;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');
}

const MAX_ID = 2 ** 31 - 1;
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID;
const TEXT_MAX = 2000;

function valueFits(v: unknown, shape: CursorShape): boolean {
  if (v === null) return shape.nullable === true || shape.type === 'none';
  switch (shape.type) {
    case 'none':
      return false;
    case 'id':
      return isId(v);
    case 'integer':
      return Number.isSafeInteger(v);
    case 'time':
      return typeof v === 'string' && isSupportedInstant(v);
    case 'text':
      return typeof v === 'string' && v.length <= TEXT_MAX;
  }
}

/** What a cursor's value must be: the sort column's type, or `none` for id-only cursors. */
export type CursorShape = { type: SortType | 'none'; nullable?: boolean };

/**
 * Decodes a cursor and checks it against the column it continues: the id is an int4 id and
 * the value has the sort column's type, else a 400 on `cursor` (a tampered cursor must not
 * reach SQL, where PostgreSQL would refuse the comparison with a 500).
 */
export function decodeCursor(raw: string | undefined, shape: CursorShape): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && isId(parsed[1]) && valueFits(parsed[0], shape)) {
      return { v: parsed[0] as Cursor['v'], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor: not a cursor this server issued', [{ path: 'cursor', message: 'invalid cursor' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** Builds a page from rows fetched with limit + 1. */
export function toPage<R extends { id: number }, T>(
  rows: R[],
  limit: number,
  sortValue: (row: R) => string | number | null,
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: more && last ? encodeCursor({ v: sortValue(last), id: last.id }) : null,
  };
}
