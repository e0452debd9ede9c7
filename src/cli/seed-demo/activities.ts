import type { ActivityType, OwnerType } from '../../modules/activities/activities.schema.js';
import { ACTIVITY_RESULTS, ACTIVITY_SUBJECTS } from './texts.js';
import { HOUR, MINUTE, workingTime } from './schedule.js';
import type { DemoUser, Later, SeedWorld } from './world.js';

const TYPE_WEIGHTS = [['call', 45], ['email', 20], ['meeting', 15], ['task', 20]] as const;

export interface ActivityCounts {
  done: number;
  planned: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function draft(w: SeedWorld, type?: ActivityType) {
  const t = type ?? w.rng.weighted(TYPE_WEIGHTS);
  const direction = t === 'call' ? (w.rng.chance(0.7) ? 'outgoing' : 'incoming') : t === 'email' ? 'outgoing' : null;
  return { type: t, subject: w.rng.pick(ACTIVITY_SUBJECTS[t]), direction } as const;
}

/**
 * A done activity: created at `from`, due a little later, completed with a result before `until`.
 * Returns false (and plans nothing) when the window is too short for it.
 */
export function planDoneActivity(w: SeedWorld, user: DemoUser, owner: { type: OwnerType; ref: Later }, from: number, before: number, counts: ActivityCounts): boolean {
  // nothing is done in the future, whatever the caller's window
  const until = Math.min(before, w.now - MINUTE);
  const createdAt = workingTime(from + w.rng.int(5, 90) * MINUTE);
  const deadline = workingTime(createdAt + w.rng.int(1, 30) * HOUR);
  const completedAt = Math.min(deadline + w.rng.int(0, 120) * MINUTE, until - MINUTE);
  if (completedAt <= createdAt + MINUTE) return false;
  const a = draft(w);
  const result = w.rng.pick(ACTIVITY_RESULTS[a.type]);
  let id = 0;
  w.schedule.at(createdAt, async () => {
    const created = await w.ctx.services.activities.create(user.actor, {
      ...a,
      ...(a.type === 'meeting' ? { startAt: iso(deadline - HOUR) } : {}),
      deadlineAt: iso(deadline),
      entityType: owner.type,
      entityId: owner.ref.id,
    });
    id = created.id;
  });
  w.schedule.at(completedAt, async () => {
    await w.ctx.services.activities.complete(user.actor, id, result);
  });
  counts.done++;
  return true;
}

/** A planned activity created at `createdAt`, due at `deadline` (in the past: it is overdue). */
export function planOpenActivity(w: SeedWorld, user: DemoUser, owner: { type: OwnerType; ref: Later }, createdAt: number, deadline: number, counts: ActivityCounts): void {
  const a = draft(w);
  w.schedule.at(createdAt, async () => {
    await w.ctx.services.activities.create(user.actor, {
      ...a,
      ...(a.type === 'meeting' ? { startAt: iso(deadline - HOUR) } : {}),
      deadlineAt: iso(deadline),
      entityType: owner.type,
      entityId: owner.ref.id,
    });
  });
  counts.planned++;
}
