import { planDoneActivity } from './activities.js';
import { companyDraft } from './companies-data.js';
import { planDeal, type DealCounts } from './deals.js';
import { mobilePhone, personalEmail, randomPerson } from './names.js';
import { DAY, HOUR, MINUTE, workingTime } from './schedule.js';
import { LEAD_TITLES } from './texts.js';
import { Later, type DemoPipeline, type SeedWorld } from './world.js';

export interface LeadCounts {
  leads: number;
  converted: number;
  junk: number;
}

/**
 * Leads come in over the year; a manager calls each, some are junk, some stay in work, and
 * `conversions` of them turn into deals (with a contact, and a company when the lead names one)
 * through the leads module's convert use case. Those deals then live like any other.
 */
export function planLeads(w: SeedWorld, count: number, conversions: number, pickPipeline: () => DemoPipeline, dealCounts: DealCounts): LeadCounts {
  const { rng } = w;
  const counts: LeadCounts = { leads: count, converted: 0, junk: 0 };
  const convertIndexes = new Set(rng.sample([...Array(count).keys()], conversions));
  const taken = new Set<string>();

  for (let i = 0; i < count; i++) {
    const manager = rng.pick(w.managers);
    const person = randomPerson(rng);
    const hasCompany = rng.chance(0.35);
    const companyName = hasCompany ? companyDraft(rng, person, taken).name : null;
    const converting = convertIndexes.has(i);
    // a converted lead needs room for its deal's life, so it arrives before the last weeks
    const latest = converting ? w.now - 20 * DAY : w.now - 2 * HOUR;
    const at = Math.min(workingTime(w.start + 3 * DAY + rng.float() * (latest - w.start - 3 * DAY)), latest);
    const lead = new Later();
    let version = 1;
    const input = {
      title: `${rng.pick(LEAD_TITLES)}: ${person.firstName} ${person.lastName}`,
      firstName: person.firstName,
      lastName: person.lastName,
      ...(companyName ? { companyName } : {}),
      phones: [{ value: mobilePhone(rng), type: 'mobile' as const }],
      emails: rng.chance(0.5) ? [{ value: personalEmail(rng, person), type: 'home' as const }] : [],
      sourceId: rng.pick(w.sourceIds),
      responsibleId: manager.id,
      ...(rng.chance(0.3) ? { utmSource: rng.pick(['yandex', 'vk', 'google', 'avito']), utmMedium: 'cpc' } : {}),
    };
    w.schedule.at(at, async () => {
      const created = await w.ctx.services.leads.create(manager.actor, input);
      lead.set(created.id);
      version = created.version;
    });

    const firstCall = workingTime(at + rng.int(10, 240) * MINUTE);
    const decidedAt = workingTime(firstCall + rng.int(2, 96) * HOUR);
    if (rng.chance(0.8)) planDoneActivity(w, manager, { type: 'lead', ref: lead }, at, decidedAt, dealCounts);

    if (converting) {
      counts.converted++;
      const pipeline = pickPipeline();
      planDeal(w, manager, pipeline, decidedAt, input.title, async (title, amount) => {
        const result = await w.ctx.services.leads.convert(manager.actor, lead.id, {
          deal: { create: { title, amount, pipelineId: pipeline.id } },
          contact: { create: {} },
          ...(companyName ? { company: { create: {} } } : {}),
        });
        return result.deal!.id;
      }, dealCounts);
      continue;
    }
    const fate = rng.weighted([['junk', 20], ['working', 45], ['new', 35]] as const);
    if (fate === 'new' || decidedAt >= w.now) continue;
    if (fate === 'junk') counts.junk++;
    const statusId = fate === 'junk' ? w.leadStatus.junk : w.leadStatus.working;
    w.schedule.at(decidedAt, async () => {
      await w.ctx.services.leads.update(manager.actor, lead.id, { statusId }, version);
    });
  }
  return counts;
}
