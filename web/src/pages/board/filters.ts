// Board filters live in the URL (so a reload, a bookmark or a link keeps them):
//   /deals?pipeline=3&responsible=me&source=2&tag=vip&createdFrom=2026-01-01&amountFrom=1500&overdue=1&q=мебель
// parseFilters/writeFilters convert between the URL and a filter object; toApiQuery gives the
// query parameters of GET /pipelines/{id}/board (the same as GET /deals, see API.md).

import { parseMoney } from '../../lib/format';
import type { Query } from '../../api/client';

export interface BoardFilters {
  /** user ids as strings, or 'me' */
  responsible: string[];
  source: string[];
  tag: string[];
  createdFrom: string;
  createdTo: string;
  closeFrom: string;
  closeTo: string;
  /** as typed, in the main currency's units («1 500») */
  amountFrom: string;
  amountTo: string;
  overdue: boolean;
  q: string;
}

export const EMPTY_FILTERS: BoardFilters = {
  responsible: [],
  source: [],
  tag: [],
  createdFrom: '',
  createdTo: '',
  closeFrom: '',
  closeTo: '',
  amountFrom: '',
  amountTo: '',
  overdue: false,
  q: '',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9]\d{0,9}$/;
const DATE_KEYS = ['createdFrom', 'createdTo', 'closeFrom', 'closeTo'] as const;
/** every URL parameter the filters use (the pipeline is kept apart) */
export const FILTER_PARAMS = ['responsible', 'source', 'tag', ...DATE_KEYS, 'amountFrom', 'amountTo', 'overdue', 'q'] as const;

const unique = (values: string[]) => [...new Set(values)];

export function parseFilters(params: URLSearchParams): BoardFilters {
  const date = (k: string) => {
    const v = params.get(k) ?? '';
    return DATE.test(v) ? v : '';
  };
  return {
    responsible: unique(params.getAll('responsible').filter((v) => v === 'me' || ID.test(v))),
    source: unique(params.getAll('source').filter((v) => ID.test(v))),
    tag: unique(params.getAll('tag').map((v) => v.trim()).filter((v) => v.length > 0 && v.length <= 50)),
    createdFrom: date('createdFrom'),
    createdTo: date('createdTo'),
    closeFrom: date('closeFrom'),
    closeTo: date('closeTo'),
    amountFrom: (params.get('amountFrom') ?? '').slice(0, 30),
    amountTo: (params.get('amountTo') ?? '').slice(0, 30),
    overdue: params.get('overdue') === '1' || params.get('overdue') === 'true',
    q: (params.get('q') ?? '').slice(0, 200),
  };
}

/** The URL parameters with these filters (other parameters such as `pipeline` are kept). */
export function writeFilters(params: URLSearchParams, f: BoardFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const k of FILTER_PARAMS) next.delete(k);
  for (const v of f.responsible) next.append('responsible', v);
  for (const v of f.source) next.append('source', v);
  for (const v of f.tag) next.append('tag', v);
  for (const k of DATE_KEYS) if (f[k]) next.set(k, f[k]);
  if (f.amountFrom.trim()) next.set('amountFrom', f.amountFrom.trim());
  if (f.amountTo.trim()) next.set('amountTo', f.amountTo.trim());
  if (f.overdue) next.set('overdue', '1');
  if (f.q.trim()) next.set('q', f.q.trim());
  return next;
}

/** How many filters are set (for the badge on the "Filters" button); the text search is apart. */
export function countFilters(f: BoardFilters, { withQuick = true } = {}): number {
  let n = 0;
  const mine = f.responsible.length === 1 && f.responsible[0] === 'me';
  if (f.responsible.length && (withQuick || !mine)) n++;
  if (f.source.length) n++;
  if (f.tag.length) n++;
  if (f.createdFrom || f.createdTo) n++;
  if (f.closeFrom || f.closeTo) n++;
  if (f.amountFrom.trim() || f.amountTo.trim()) n++;
  if (f.overdue && withQuick) n++;
  return n;
}

export const isMyDeals = (f: BoardFilters) => f.responsible.length === 1 && f.responsible[0] === 'me';

/** Query parameters of the board request. Amounts that are not numbers are left out. */
export function toApiQuery(f: BoardFilters, currency = 'RUB'): Query {
  const money = (text: string) => {
    const v = text.trim() ? parseMoney(text, currency) : null;
    return v !== null && v >= 0 ? v : undefined;
  };
  const q = f.q.trim();
  return {
    responsibleId: f.responsible.length ? f.responsible : undefined,
    sourceId: f.source.length ? f.source : undefined,
    tag: f.tag.length ? f.tag : undefined,
    createdFrom: f.createdFrom || undefined,
    createdTo: f.createdTo || undefined,
    closeDateFrom: f.closeFrom || undefined,
    closeDateTo: f.closeTo || undefined,
    amountFrom: money(f.amountFrom),
    amountTo: money(f.amountTo),
    overdue: f.overdue ? 'true' : undefined,
    q: q || undefined,
  };
}

/** The query without empty values: a stable react-query key part. */
export function queryKeyPart(q: Query): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = v;
  return out;
}
