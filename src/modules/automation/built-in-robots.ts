import type { Executor } from '../../server/context.js';
import { nowIso, type Clock } from '../../server/clock.js';
import type { Localized } from '../../shared/locale.js';
import * as repo from './automation.repo.js';
import type { RobotDeps } from './robot-deps.js';

// Built-in robots: rules the product itself keeps, shown with the administrators' robots (marked
// built-in: not editable, not deletable), run by the same engine (planned from the outbox, logged,
// exactly once, retried). One of each per workspace (automation_robots.built_in, migration 028).
//
// «Convert every new lead» (the lead-less CRM mode, docs/automation.md): while the workspace works
// without leads (workspaces.crm_mode = 'without_leads'), every lead created by any path (the API,
// the web app, inbound forms) is converted at once — a deal in the default pipeline's first stage,
// a contact and a company, reusing an existing contact or company with the lead's phone or e-mail
// (the convert_lead robot type). It sits on the first lead status for the screen, but acts on a
// lead created in any status, and only on creation (not when a lead is moved between statuses).

export const CONVERT_NEW_LEADS = 'convert_new_leads';

const NAME: Localized = { ru: 'Конвертация каждого нового лида', en: 'Convert every new lead' };

/** The robots' parameters: what the built-in rule is, whatever is stored. */
export const CONVERT_NEW_LEADS_PARAMS = { deal: true, stageId: null, contact: true, company: true };

/** Whether a built-in robot acts now: «convert every new lead» only in the lead-less mode. */
export const builtInActs = (builtIn: string, crmMode: string): boolean => builtIn !== CONVERT_NEW_LEADS || crmMode === 'without_leads';

/** The workspace's built-in robots, made when missing (a workspace's creation; a replay makes nothing twice). */
export async function ensureBuiltInRobots(exec: Executor, deps: Pick<RobotDeps, 'referenceLists' | 'users' | 'workspaces'>, clock: Clock, ws: number): Promise<repo.RobotRow[]> {
  const have = await repo.builtInRobots(exec, ws);
  if (have.some((r) => r.built_in === CONVERT_NEW_LEADS)) return have;
  const [status, systemUser, settings] = await Promise.all([
    deps.referenceLists.defaultLeadStatus(exec, ws),
    deps.users.systemUserId(exec, ws),
    deps.workspaces.getSettings(exec, ws),
  ]);
  const now = nowIso(clock);
  await exec
    .insertInto('automation_robots')
    .values({
      workspace_id: ws,
      entity_type: 'lead',
      pipeline_id: null,
      stage_id: status.id,
      position: 0,
      type: 'convert_lead',
      name: NAME[settings.locale],
      params: JSON.stringify(CONVERT_NEW_LEADS_PARAMS),
      condition: null,
      timing: JSON.stringify({ kind: 'immediate' }),
      leave_policy: 'keep',
      enabled: 1,
      created_by_id: systemUser,
      created_at: now,
      updated_at: now,
      built_in: CONVERT_NEW_LEADS,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'built_in']).doNothing())
    .execute();
  return repo.builtInRobots(exec, ws);
}
