import { z } from 'zod';
import { badRequest } from '../errors.js';

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

export const isoDateTime = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());
/** `2026-11-28` or a full ISO time; ranges compare against UTC timestamps. */
export const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString()));
export const dateOnly = z.iso.date();

export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  field: string;
  column: string;
  dir: SortDir;
}

/** Parses `sort=-updatedAt` against the allowed (indexed) fields → column. */
export function parseSort(raw: string | undefined, allowed: Record<string, string>, fallback: string): SortSpec {
  const value = raw ?? fallback;
  const dir: SortDir = value.startsWith('-') ? 'desc' : 'asc';
  const field = value.replace(/^[-+]/, '');
  const column = allowed[field];
  if (!column) {
    throw badRequest(`sort: "${field}" is not a sortable field; use one of ${Object.keys(allowed).join(', ')}`, [
      { path: 'sort', message: `must be one of ${Object.keys(allowed).join(', ')} with an optional leading -` },
    ]);
  }
  return { field, column, dir };
}

export interface Cursor {
  v: string | number | null;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isInteger(parsed[1]) && ['string', 'number'].includes(typeof parsed[0]) || (Array.isArray(parsed) && parsed[0] === null && Number.isInteger(parsed[1]))) {
      return { v: parsed[0], id: parsed[1] };
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
