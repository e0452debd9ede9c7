import type { AppContext } from '../../server/context.js';
import type { Actor } from '../../modules/permissions/actor.js';
import { PIPELINES, PRODUCTS } from './catalog.js';
import type { DemoPipeline, DemoProduct, SeedWorld } from './world.js';

/** The three directions: the default «Общая» as it is, plus the two furniture pipelines. */
export async function createPipelines(ctx: AppContext, admin: Actor): Promise<DemoPipeline[]> {
  const out: DemoPipeline[] = [];
  for (const [i, draft] of PIPELINES.entries()) {
    const pipeline = draft.stages
      ? await ctx.services.pipelines.create(admin, { name: draft.name, sort: (i + 1) * 10, stages: draft.stages })
      : await ctx.services.pipelines.defaultPipeline(ctx.db.kysely, admin.workspaceId);
    const stages = [...pipeline.stages].sort((a, b) => a.sort - b.sort);
    const success = stages.find((s) => s.semantic === 'success');
    const failure = stages.find((s) => s.semantic === 'failure');
    if (!success || !failure) throw new Error(`pipeline «${pipeline.name}» needs a success and a failure stage`);
    out.push({ draft, id: pipeline.id, inProgress: stages.filter((s) => s.semantic === 'in_progress').map((s) => s.id), successId: success.id, failureId: failure.id });
  }
  return out;
}

export async function createProducts(ctx: AppContext, admin: Actor): Promise<DemoProduct[]> {
  const out: DemoProduct[] = [];
  for (const draft of PRODUCTS) {
    const product = await ctx.services.products.create(admin, {
      name: draft.name,
      sku: draft.sku,
      unitCode: draft.unitCode,
      unitName: draft.unitName,
      price: draft.price * 100,
      currency: 'RUB',
      vatRate: draft.vatRate,
      vatIncluded: true,
    });
    out.push({ id: product.id, draft });
  }
  return out;
}

/** The workspace's own reference lists (seeded with every workspace): sources, loss reasons, lead statuses. */
export async function loadReferences(ctx: AppContext, admin: Actor): Promise<Pick<SeedWorld, 'sourceIds' | 'lossReasonIds' | 'leadStatus'>> {
  const list = (kind: 'sources' | 'loss-reasons' | 'lead-statuses') => ctx.services.referenceLists.list(admin, kind, false);
  const [sources, lossReasons, statuses] = await Promise.all([list('sources'), list('loss-reasons'), list('lead-statuses')]);
  const inProgress = statuses.filter((s) => s.semantic === 'in_progress');
  const junk = statuses.find((s) => s.semantic === 'junk');
  if (inProgress.length === 0 || !junk || !statuses.some((s) => s.semantic === 'converted')) {
    throw new Error('the workspace lead statuses need in-progress, converted and junk ones');
  }
  if (sources.length === 0 || lossReasons.length === 0) throw new Error('the workspace needs sources and loss reasons in its reference lists');
  return {
    sourceIds: sources.map((s) => s.id),
    lossReasonIds: lossReasons.map((s) => s.id),
    leadStatus: { new: inProgress[0]!.id, working: (inProgress[1] ?? inProgress[0]!).id, junk: junk.id },
  };
}
