import type { ProductRowInput } from '../../modules/deals/deals.schema.js';
import { planDoneActivity, planOpenActivity, type ActivityCounts } from './activities.js';
import { DAY, HOUR, MINUTE, workingTime } from './schedule.js';
import { Later, type DemoPipeline, type DemoUser, type SeedWorld } from './world.js';

export type Outcome = 'won' | 'lost' | 'open';

export interface DealCounts extends ActivityCounts {
  deals: number;
  won: number;
  lost: number;
  open: number;
  withProducts: number;
  moves: number;
}

export const emptyDealCounts = (): DealCounts => ({ deals: 0, won: 0, lost: 0, open: 0, withProducts: 0, moves: 0, done: 0, planned: 0 });

/** What creating the deal needs: called at its moment with the title and amount (kopecks). */
export type CreateDeal = (title: string, amount: number) => Promise<number>;

/** Typical days in one stage per direction: custom furniture is made for weeks, a repair takes days. */
const STAGE_DAYS: Record<DemoPipeline['draft']['key'], [number, number]> = { general: [1, 18], custom: [2, 30], repair: [0.5, 7] };

/**
 * Older deals are mostly decided; the last month's mostly open. The shares are chosen so that
 * over a year about 25 % end won, 20 % lost and the rest stay open.
 */
function outcomeFor(w: SeedWorld, createdAt: number): Outcome {
  const recent = w.now - createdAt < 30 * DAY;
  return w.rng.weighted(recent ? ([['won', 8], ['lost', 7], ['open', 85]] as const) : ([['won', 26.5], ['lost', 21], ['open', 52.5]] as const));
}

/** The stages a deal passes through after its first one (which it is created in). */
function path(w: SeedWorld, p: DemoPipeline, outcome: Outcome): Array<{ stageId: number; lost: boolean }> {
  const rest = p.inProgress.slice(1);
  if (outcome === 'won') {
    // now and then a stage is skipped (a repeat customer needs no measuring visit)
    const through = rest.filter((_, i) => i === rest.length - 1 || !w.rng.chance(0.15));
    return [...through.map((stageId) => ({ stageId, lost: false })), { stageId: p.successId, lost: false }];
  }
  if (outcome === 'lost') {
    const reached = w.rng.int(0, rest.length);
    return [...rest.slice(0, reached).map((stageId) => ({ stageId, lost: false })), { stageId: p.failureId, lost: true }];
  }
  // open deals are spread over the board, more of them in the early stages
  const reached = Math.min(rest.length, Math.floor(w.rng.skewed(0, rest.length + 1)));
  return rest.slice(0, reached).map((stageId) => ({ stageId, lost: false }));
}

function productRows(w: SeedWorld, p: DemoPipeline): ProductRowInput[] {
  const catalog = w.products.filter((x) => x.draft.pipeline === p.draft.key);
  return w.rng.sample(catalog, w.rng.int(1, Math.min(4, catalog.length))).map((x) => {
    const unitIsHours = x.draft.unitCode === '356';
    const quantity = x.draft.unitCode === '796' ? String(w.rng.int(1, p.draft.key === 'general' ? 20 : 3)) : unitIsHours ? String(w.rng.int(2, 12)) : (w.rng.int(10, 80) / 10).toFixed(1);
    const discount = w.rng.chance(0.2) ? { type: 'percent' as const, value: String(w.rng.pick([3, 5, 7, 10])) } : null;
    return {
      productId: x.id,
      name: x.draft.name,
      price: x.draft.price * 100,
      quantity,
      unitCode: x.draft.unitCode,
      unitName: x.draft.unitName,
      discount,
      vatRate: x.draft.vatRate,
      vatIncluded: true,
    };
  });
}

/**
 * One deal's life: created at `createdAt`, maybe given product rows, moved through its stages
 * with realistic time in each (activities done along the way), and at the end won, lost with a
 * reason, or still open with its next step planned — sometimes overdue, sometimes missing.
 */
export function planDeal(w: SeedWorld, manager: DemoUser, p: DemoPipeline, createdAt: number, title: string, create: CreateDeal, counts: DealCounts): void {
  const { rng } = w;
  const deal = new Later();
  const owner = { type: 'deal' as const, ref: deal };
  const outcome = outcomeFor(w, createdAt);
  const steps = path(w, p, outcome);
  counts.deals++;
  counts[outcome]++;
  counts.moves += steps.length;

  const [rough, ceil] = p.draft.amount;
  const amount = Math.round(rng.skewed(rough, ceil) / 100) * 100 * 100;
  w.schedule.at(createdAt, async () => deal.set(await create(title, amount)));
  if (rng.chance(0.45)) {
    counts.withProducts++;
    const rows = productRows(w, p);
    w.schedule.at(createdAt + rng.int(5, 40) * MINUTE, async () => {
      await w.ctx.services.deals.replaceProducts(manager.actor, deal.id, rows);
    });
  }

  // Times in stages, squeezed to fit when the deal is too young for its whole path.
  const [minDays, maxDays] = STAGE_DAYS[p.draft.key];
  const durations = steps.map(() => rng.skewed(minDays, maxDays) * DAY);
  const available = w.now - createdAt - 3 * HOUR;
  const total = durations.reduce((s, d) => s + d, 0);
  const scale = total > available ? available / total : 1;
  let t = createdAt + HOUR;
  let previous = createdAt;
  for (const [i, step] of steps.entries()) {
    const next = Math.min(workingTime(t + durations[i]! * scale), w.now - HOUR);
    const at = Math.max(next, previous + 2 * MINUTE);
    if (rng.chance(0.7)) planDoneActivity(w, manager, owner, previous + 30 * MINUTE, at, counts);
    const lossReasonId = step.lost ? rng.pick(w.lossReasonIds) : undefined;
    w.schedule.at(at, async () => {
      await w.ctx.services.deals.move(manager.actor, deal.id, { stageId: step.stageId, ...(lossReasonId ? { lossReasonId } : {}) });
    });
    previous = at;
    t = at;
  }

  if (outcome !== 'open') return;
  // The open deal's next step: planned ahead, overdue, or forgotten (the "no next step" filter).
  const kind = rng.weighted([['future', 65], ['overdue', 15], ['none', 20]] as const);
  if (kind === 'future') {
    const createdActivityAt = Math.min(previous + rng.int(10, 120) * MINUTE, w.now - 5 * MINUTE);
    planOpenActivity(w, manager, owner, Math.max(createdActivityAt, previous + MINUTE), workingTime(w.now + rng.int(2, 240) * HOUR), counts);
  } else if (kind === 'overdue' && w.now - previous > 4 * HOUR) {
    const createdActivityAt = previous + 30 * MINUTE;
    const deadline = createdActivityAt + rng.float() * (w.now - HOUR - createdActivityAt);
    if (deadline > createdActivityAt + 30 * MINUTE) planOpenActivity(w, manager, owner, createdActivityAt, deadline, counts);
  }
}
