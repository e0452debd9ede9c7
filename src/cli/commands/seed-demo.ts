import { generatePassword } from '../../modules/auth/secrets.js';
import { ManualClock } from '../../server/clock.js';
import { adminActor, withApp } from '../open-app.js';
import { parsePositiveInt, parseWorkspaceId } from './options.js';
import { planClients } from '../seed-demo/clients.js';
import { emptyDealCounts } from '../seed-demo/deals.js';
import { pipelinePicker, planDirectDeals } from '../seed-demo/direct-deals.js';
import { planLeads } from '../seed-demo/leads.js';
import { createOrganisation, existingDemoDepartments } from '../seed-demo/org.js';
import { Random } from '../seed-demo/random.js';
import { DAY, Schedule } from '../seed-demo/schedule.js';
import { createPipelines, createProducts, loadReferences } from '../seed-demo/settings.js';
import { workspaceCounts } from '../seed-demo/summary.js';
import type { SeedWorld } from '../seed-demo/world.js';

export interface SeedDemoOptions {
  workspace?: string;
  deals?: string;
  seed?: string;
  password?: string;
  force?: boolean;
}

/** How big the client base is for a number of deals: the full demo at 2,000, smaller for tests. */
export function demoSizes(deals: number) {
  const companies = Math.min(600, Math.max(30, Math.round(deals * 0.3)));
  const leads = Math.min(300, Math.max(20, Math.round(deals * 0.15)));
  const conversions = Math.min(Math.round(leads * 0.2), Math.round(deals * 0.3));
  return { companies, contacts: Math.round(companies * 2.5), leads, conversions, directDeals: deals - conversions };
}

/**
 * Fills a workspace with a year of a furniture maker's sales: departments, managers, three
 * pipelines, a catalog, clients, leads and deals with their stage history and activities —
 * all written through the services as the managers themselves, with the clock set to the
 * moment each thing happened.
 */
export async function seedDemoCommand(opts: SeedDemoOptions): Promise<void> {
  const dealCount = parsePositiveInt('--deals', opts.deals ?? '2000')!;
  if (dealCount > 100_000) throw new Error('--deals: at most 100000');
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number, got "${opts.seed}"`);
  const password = opts.password ?? generatePassword();
  if (password.length < 8) throw new Error('--password: at least 8 characters');

  const now = Date.now();
  const start = now - 365 * DAY;
  const clock = new ManualClock(new Date(start));
  const started = performance.now();

  await withApp(async (ctx) => {
    const admin = await adminActor(ctx, parseWorkspaceId(opts.workspace));
    const existing = await existingDemoDepartments(ctx, admin);
    if (existing.length > 0 && !opts.force) {
      throw new Error(`workspace ${admin.workspaceId} already has the demo (${existing.join(', ')}); add --force to seed it again`);
    }
    const rng = new Random(seed);
    const sizes = demoSizes(dealCount);
    console.log(`seeding workspace ${admin.workspaceId}: ${dealCount} deals, seed ${seed}`);

    const { heads, managers } = await createOrganisation(ctx, admin, rng, password);
    const pipelines = await createPipelines(ctx, admin);
    const products = await createProducts(ctx, admin);
    const references = await loadReferences(ctx, admin);
    const world: SeedWorld = {
      ctx, rng, clock, admin, start, now, heads, managers, pipelines, products, ...references,
      schedule: new Schedule(clock),
      companies: new Map(),
      privateContacts: new Map(),
    };

    planClients(world, sizes.companies, sizes.contacts);
    const dealCounts = emptyDealCounts();
    const pickPipeline = pipelinePicker(world);
    planLeads(world, sizes.leads, sizes.conversions, pickPipeline, dealCounts);
    planDirectDeals(world, sizes.directDeals, pickPipeline, dealCounts);

    const total = world.schedule.size;
    let lastReport = 0;
    await world.schedule.play((done) => {
      const pct = Math.floor((done / total) * 10);
      if (pct > lastReport) {
        lastReport = pct;
        process.stderr.write(`  ${pct * 10} % (${done}/${total} steps)\n`);
      }
    });
    clock.set(new Date(now).toISOString());

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`done in ${seconds} s. Workspace ${admin.workspaceId} now holds:`);
    for (const [name, n] of await workspaceCounts(ctx, admin.workspaceId, new Date(now).toISOString())) console.log(`  ${name.padEnd(22)} ${n}`);
    console.log('demo users (one password for all):');
    for (const u of [...heads, ...managers]) console.log(`  ${u.email.padEnd(40)} ${u.person.firstName} ${u.person.lastName}${u.isHead ? ' (руководитель отдела)' : ''}`);
    console.log(`password: ${password}${opts.password ? '' : '   (shown once)'}`);
  }, clock);
}
