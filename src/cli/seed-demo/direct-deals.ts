import { planDeal, type DealCounts } from './deals.js';
import { DAY, workingTime } from './schedule.js';
import type { DemoPipeline, Later, SeedWorld } from './world.js';

/** Picks a direction by the shares in the catalog. */
export const pipelinePicker = (w: SeedWorld) => () => w.rng.weighted(w.pipelines.map((p) => [p, p.draft.weight] as const));

/**
 * Deals the managers open themselves (not from a lead): spread over the year, each with a
 * client the manager already had at that moment — a company with its contact person, or a
 * private client.
 */
export function planDirectDeals(w: SeedWorld, count: number, pickPipeline: () => DemoPipeline, counts: DealCounts): void {
  const { rng } = w;
  const from = w.start + 7 * DAY;
  const to = w.now - 4 * DAY;
  for (let i = 0; i < count; i++) {
    const manager = rng.pick(w.managers);
    const pipeline = pickPipeline();
    const createdAt = workingTime(from + rng.float() * (to - from));
    const companies = (w.companies.get(manager.id) ?? []).filter((c) => c.at < createdAt);
    const people = (w.privateContacts.get(manager.id) ?? []).filter((c) => c.at < createdAt);
    // office furniture is sold to companies; kitchens and repairs mostly to people
    const toCompany = companies.length > 0 && (pipeline.draft.key === 'general' || people.length === 0 || rng.chance(0.3));
    let companyRef: Later | null = null;
    let contactRef: Later | null = null;
    let clientName = '';
    if (toCompany) {
      const company = rng.pick(companies);
      companyRef = company.ref;
      contactRef = company.contacts.length ? rng.pick(company.contacts) : null;
      clientName = company.name;
    } else if (people.length > 0) {
      contactRef = rng.pick(people).ref;
    }
    const title = `${rng.pick(pipeline.draft.titles)}${clientName ? ` — ${clientName}` : ''}`;
    const sourceId = rng.pick(w.sourceIds);
    planDeal(w, manager, pipeline, createdAt, title, async (t, amount) => {
      const deal = await w.ctx.services.deals.create(manager.actor, {
        title: t,
        amount,
        currency: 'RUB',
        pipelineId: pipeline.id,
        responsibleId: manager.id,
        sourceId,
        ...(companyRef ? { companyId: companyRef.id } : {}),
        // a contact created at the same moment as its company may not exist yet for a deal planned just after
        ...(contactRef?.known ? { contactIds: [contactRef.id] } : {}),
      });
      return deal.id;
    }, counts);
  }
}
