import type { AppContext, Executor } from '../../server/context.js';
import * as repo from './activities.repo.js';
import { dayBounds, safeTimeZone } from './day-bounds.js';

/**
 * "My day" counters per user: planned, overdue and done since the start of the user's own day
 * (each user's time zone; one query per distinct zone, usually one). No permission check: the
 * caller decides whose counters the actor may see.
 */
export async function summaryForUsers(ctx: AppContext, exec: Executor, workspaceId: number, userIds: number[], now: Date): Promise<repo.UserActivityCounts[]> {
  const byZone = new Map<string, number[]>();
  for (const userId of new Set(userIds)) {
    const profile = await ctx.services.users.getProfile(workspaceId, userId);
    if (!profile) continue;
    const zone = safeTimeZone(profile.timeZone);
    byZone.set(zone, [...(byZone.get(zone) ?? []), userId]);
  }
  const counts = new Map<number, repo.UserActivityCounts>();
  for (const [zone, ids] of byZone) {
    for (const c of await repo.countsByUser(exec, workspaceId, ids, now.toISOString(), dayBounds(now, zone).start)) counts.set(c.userId, c);
  }
  return userIds.map((userId) => counts.get(userId) ?? { userId, planned: 0, overdue: 0, doneToday: 0 });
}
