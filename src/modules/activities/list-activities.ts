import type { AppContext } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { decodeCursor, parseSort, toPage, type Page } from '../../server/http/list-query.js';
import type { Actor } from '../permissions/actor.js';
import { toActivity, type ActivityRow } from './activities.mapper.js';
import * as repo from './activities.repo.js';
import { ACTIVITY_SORTS, type Activity, type ActivityListQuery, type OwnerActivityListQuery } from './activities.schema.js';
import { dayBounds, safeTimeZone } from './day-bounds.js';
import type { Owner } from './owner-link.js';

type ListQuery = ActivityListQuery | (OwnerActivityListQuery & { owner: Owner });

export async function listActivities(ctx: AppContext, actor: Actor, query: ListQuery): Promise<Page<Activity>> {
  const exec = ctx.db.kysely;
  const now = nowIso(ctx.clock);
  const sort = parseSort(query.sort, ACTIVITY_SORTS, 'deadlineAt');
  const cursor = decodeCursor(query.cursor, sort);
  const filter: repo.ActivityListFilter = {
    types: query.type,
    statuses: query.status,
    overdue: query.overdue === undefined ? undefined : { value: query.overdue, now },
  };
  if ('owner' in query) {
    filter.owner = query.owner;
  } else {
    filter.responsibleIds = query.responsibleId?.map((id) => (id === 'me' ? actor.userId : id));
    if (query.entityType !== undefined && query.entityId !== undefined) filter.owner = { type: query.entityType, id: query.entityId };
    filter.deadline = { from: query.deadlineFrom, ...query.deadlineTo };
    if (query.today) {
      // "My day": the actor's calendar day in their own time zone, intersected with any range given
      const profile = await ctx.services.users.getProfile(actor.workspaceId, actor.userId);
      const day = dayBounds(ctx.clock.now(), safeTimeZone(profile?.timeZone));
      filter.deadline.from = filter.deadline.from && filter.deadline.from > day.start ? filter.deadline.from : day.start;
      filter.deadline.before = filter.deadline.before && filter.deadline.before < day.end ? filter.deadline.before : day.end;
    }
  }
  const rows = await repo.listActivities(exec, actor, filter, sort, cursor, query.limit);
  const column = sort.column.replace('activities.', '') as keyof ActivityRow;
  const page = toPage(rows, query.limit, (r) => r[column] as string | number | null, (r) => toActivity(r, now));
  if (query.withTotal) page.total = await repo.countActivities(exec, actor, filter);
  return page;
}
