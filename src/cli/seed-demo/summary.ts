import type { AppContext } from '../../server/context.js';

type Counted = 'users' | 'departments' | 'pipelines' | 'stages' | 'products' | 'companies' | 'contacts' | 'leads' | 'deals' | 'deal_products' | 'deal_stage_history' | 'activities' | 'timeline_entries';
const TABLES: Counted[] = ['users', 'departments', 'pipelines', 'stages', 'products', 'companies', 'contacts', 'leads', 'deals', 'deal_products', 'deal_stage_history', 'activities', 'timeline_entries'];

/** Row counts of the workspace after seeding, as stored (not as planned). */
export async function workspaceCounts(ctx: AppContext, workspaceId: number, now: string): Promise<Array<[string, number]>> {
  const db = ctx.db.kysely;
  const out: Array<[string, number]> = [];
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    out.push([table, Number(row.n)]);
  }
  const deals = await db
    .selectFrom('deals')
    .select(['stage_semantic', (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('stage_semantic')
    .execute();
  for (const d of deals) out.push([`  deals ${d.stage_semantic === 'success' ? 'won' : d.stage_semantic === 'failure' ? 'lost' : 'open'}`, Number(d.n)]);
  const leads = await db.selectFrom('leads').select(['status_semantic', (eb) => eb.fn.countAll<number>().as('n')]).where('workspace_id', '=', workspaceId).groupBy('status_semantic').execute();
  for (const l of leads) out.push([`  leads ${l.status_semantic}`, Number(l.n)]);
  const activities = await db.selectFrom('activities').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('workspace_id', '=', workspaceId).groupBy('status').execute();
  for (const a of activities) out.push([`  activities ${a.status}`, Number(a.n)]);
  const overdue = await db
    .selectFrom('activities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'planned')
    .where('deadline_at', '<', now)
    .executeTakeFirstOrThrow();
  out.push(['    of them overdue', Number(overdue.n)]);
  return out;
}
