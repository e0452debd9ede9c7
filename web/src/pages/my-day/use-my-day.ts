import { useMemo } from 'react';
import { useQueries, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { OWNER_SEGMENT } from '../../components/record/activity';
import { DAY_KINDS, placeChanged, upcomingRange, type Activity, type Counters, type DayKind, type DayPages, type DealItem, type OwnerType } from './my-day-logic';

// The queries of "My day". Everything a view needs starts at once (useQueries): no waterfall.
// `responsibleId` is ['me'], a list of user ids (the team) or undefined (everyone the user may see).

export const LIST_LIMIT = 200;
export type ListKind = 'overdue' | 'today' | 'upcoming' | 'noNextStep';
export const LIST_KINDS: ListKind[] = ['overdue', 'today', 'upcoming', 'noNextStep'];

type Responsible = Array<number | 'me'> | undefined;

function activityQuery(kind: Exclude<ListKind, 'noNextStep'>, timeZone: string | undefined) {
  if (kind === 'overdue') return { status: 'planned', overdue: true, sort: 'deadlineAt' };
  if (kind === 'today') return { status: 'planned', today: true, overdue: false, sort: 'deadlineAt' };
  const r = upcomingRange(new Date(), timeZone);
  return { status: 'planned', deadlineFrom: r.from, deadlineTo: r.to, sort: 'deadlineAt' };
}

const dealQuery = { noNextStep: true, closed: false, sort: '-updatedAt' };

function fetchList(kind: ListKind, responsibleId: Responsible, timeZone: string | undefined, limit: number, signal: AbortSignal) {
  if (kind === 'noNextStep') return api.get<Page<DealItem>>('/deals', { ...dealQuery, responsibleId, limit, withTotal: true }, { signal });
  return api.get<Page<Activity>>('/activities', { ...activityQuery(kind, timeZone), responsibleId, limit, withTotal: true }, { signal });
}

export interface DayLists {
  overdue?: Page<Activity>;
  today?: Page<Activity>;
  upcoming?: Page<Activity>;
  noNextStep?: Page<DealItem>;
  isPending: boolean;
  error: unknown;
  refetch: () => void;
}

export function useDayLists(responsibleId: Responsible, timeZone: string | undefined, enabled = true): DayLists {
  const scope = responsibleId ?? 'all';
  const results = useQueries({
    queries: LIST_KINDS.map((kind) => ({
      queryKey: [kind === 'noNextStep' ? 'deals' : 'activities', 'myDay', kind, scope, timeZone],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchList(kind, responsibleId, timeZone, LIST_LIMIT, signal),
      enabled,
      refetchInterval: 5 * 60_000,
    })),
  });
  const [overdue, today, upcoming, noNextStep] = results;
  return {
    overdue: overdue!.data as Page<Activity> | undefined,
    today: today!.data as Page<Activity> | undefined,
    upcoming: upcoming!.data as Page<Activity> | undefined,
    noNextStep: noNextStep!.data as Page<DealItem> | undefined,
    isPending: enabled && results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
    refetch: () => results.forEach((r) => void r.refetch()),
  };
}

/**
 * Exact per-manager counters for a list that did not fit in one page (total > items): one
 * `limit=1&withTotal=true` call per manager, all in parallel. Lists that fit need no calls.
 */
export function useExactCounts(lists: DayLists, memberIds: number[], timeZone: string | undefined): Map<number, Partial<Counters>> {
  const kinds = (['overdue', 'today', 'noNextStep'] as const).filter((k) => {
    const p = lists[k];
    return p && p.total !== undefined && p.total > p.items.length;
  });
  const pairs = kinds.flatMap((kind) => memberIds.map((id) => ({ kind, id })));
  const results = useQueries({
    queries: pairs.map(({ kind, id }) => ({
      queryKey: [kind === 'noNextStep' ? 'deals' : 'activities', 'myDay', 'count', kind, id, timeZone],
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchList(kind, [id], timeZone, 1, signal).then((p) => p.total ?? 0),
    })),
  });
  return useMemo(() => {
    const map = new Map<number, Partial<Counters>>();
    pairs.forEach(({ kind, id }, i) => {
      const total = results[i]?.data;
      if (total === undefined) return;
      map.set(id, { ...map.get(id), [kind]: total });
    });
    return map;
    // keyed on the counts themselves: useQueries returns a new array (and `pairs` is
    // rebuilt) on every render, so depending on them would build a new map each time.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [results.map((r) => r.data).join(','), pairs.length]);
}

interface OwnerRecord {
  title?: string;
  name?: string;
  fullName?: string;
}

/**
 * Titles of the records the shown activities belong to. The activity list carries only the
 * owner's type and id and the lists have no id filter, so each distinct owner is read once
 * (in parallel, cached); a deal already listed on the screen is not read again.
 */
export function useOwnerTitles(activities: Activity[], known: Map<string, string>): Map<string, string> {
  const owners = useMemo(() => {
    const seen = new Set<string>();
    const out: Array<{ type: OwnerType; id: number; key: string }> = [];
    for (const a of activities) {
      if (!a.entityType || !a.entityId) continue;
      const key = `${a.entityType}:${a.entityId}`;
      if (seen.has(key) || known.has(key)) continue;
      seen.add(key);
      out.push({ type: a.entityType, id: a.entityId, key });
    }
    return out.slice(0, 150);
  }, [activities, known]);
  const results = useQueries({
    queries: owners.map((o) => ({
      queryKey: [OWNER_SEGMENT[o.type], o.id, 'title'],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<OwnerRecord>(`/${OWNER_SEGMENT[o.type]}/${o.id}`, undefined, { signal }),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const dataKey = results.map((r) => (r.data ? 1 : 0)).join('');
  return useMemo(() => {
    const map = new Map(known);
    owners.forEach((o, i) => {
      const r = results[i]?.data;
      const title = r?.title ?? r?.fullName ?? r?.name;
      if (title) map.set(o.key, title);
    });
    return map;
    // `dataKey` says which titles have arrived: useQueries returns a new array on
    // every render, so depending on it would build a new map each time.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [owners, known, dataKey]);
}

/**
 * After a change of an activity (rescheduled, edited): every cached view of My day moves it to the
 * group it belongs in now, before the reload confirms it — an overdue call moved to tomorrow
 * leaves "overdue" at once.
 */
export function usePlaceChanged(): (updated: Activity, before: Activity | null) => void {
  const qc = useQueryClient();
  return (updated, before) => {
    // the lists of one view share everything after the kind: ['activities', 'myDay', kind, scope, timeZone]
    const views = new Map<string, { timeZone: string | undefined; keys: Partial<Record<DayKind, QueryKey>>; pages: DayPages }>();
    for (const [key, data] of qc.getQueriesData<Page<Activity>>({ queryKey: ['activities', 'myDay'] })) {
      const kind = key[2] as DayKind;
      if (!data || !DAY_KINDS.includes(kind)) continue;
      const id = JSON.stringify(key.slice(3));
      const view = views.get(id) ?? { timeZone: key[4] as string | undefined, keys: {}, pages: {} };
      view.keys[kind] = key;
      view.pages[kind] = data;
      views.set(id, view);
    }
    const now = new Date();
    for (const view of views.values()) {
      const next = placeChanged(view.pages, updated, before, now, view.timeZone);
      for (const kind of DAY_KINDS) if (next[kind] !== view.pages[kind]) qc.setQueryData(view.keys[kind]!, next[kind]);
    }
  };
}

interface Comm {
  value: string;
  normalized?: string | null;
}
interface Reachable {
  phones?: Comm[];
  contactIds?: number[];
}

/**
 * The numbers to dial for the planned calls shown: the phones of the call's contact, company or
 * lead, or of a deal's first contact. The owner is read under the same key as its title (one
 * request for both); a record the user may not read gives no number.
 */
export function useCallPhones(activities: Activity[]): Map<number, Comm[]> {
  const calls = useMemo(() => activities.filter((a) => a.type === 'call' && a.status === 'planned' && a.entityType && a.entityId), [activities]);
  const owners = useQueries({
    queries: calls.map((a) => ({
      queryKey: [OWNER_SEGMENT[a.entityType!], a.entityId!, 'title'],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<OwnerRecord & Reachable>(`/${OWNER_SEGMENT[a.entityType!]}/${a.entityId!}`, undefined, { signal }),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const contactOf = calls.map((a, i) => (a.entityType === 'deal' ? (owners[i]?.data?.contactIds?.[0] ?? null) : null));
  const contacts = useQueries({
    queries: contactOf.map((id) => ({
      queryKey: ['contacts', id ?? 0],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Reachable>(`/contacts/${id}`, undefined, { signal }),
      enabled: id !== null,
      staleTime: 60_000,
      retry: false,
    })),
  });
  const map = new Map<number, Comm[]>();
  calls.forEach((a, i) => {
    const phones = a.entityType === 'deal' ? contacts[i]?.data?.phones : owners[i]?.data?.phones;
    if (phones?.length) map.set(a.id, phones);
  });
  return map;
}
