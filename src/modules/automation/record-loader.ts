import type { Executor } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { recordValues } from './field-catalogue.js';
import type { RobotDeps } from './robot-deps.js';
import type { RobotRecord } from './robot-type.js';

const firstValue = (items: unknown): string | null =>
  Array.isArray(items) && items.length > 0 ? (((items[0] as { value?: unknown }).value as string | undefined) ?? null) : null;

const isNotFound = (err: unknown) => err instanceof AppError && err.status === 404;

/**
 * A deal as a robot sees it: the deal, its primary contact, its company and its responsible, as
 * the flat values conditions and placeholders read. Null when the deal is gone (deleted). Every
 * read goes through `exec` (inside a transactional job on SQLite that is the one connection).
 */
export async function loadDealRecord(
  deps: RobotDeps,
  exec: Executor,
  actor: Actor,
  dealId: number,
  /** which linked records the robot reads (its condition, its texts, the client's addresses): the others are not loaded */
  needs: { client: boolean; responsible: boolean } = { client: true, responsible: true },
): Promise<RobotRecord | null> {
  let deal;
  try {
    deal = await deps.deals.get(actor, dealId, exec);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const contact = deal.contactId === null || !needs.client ? null : await deps.contacts.get(actor, deal.contactId, exec).catch((err) => (isNotFound(err) ? null : Promise.reject(err)));
  const company = deal.companyId === null || !needs.client ? null : await deps.companies.get(actor, deal.companyId, exec).catch((err) => (isNotFound(err) ? null : Promise.reject(err)));
  const responsible = needs.responsible ? await deps.users.getProfile(actor.workspaceId, deal.responsibleId, exec) : null;
  const dealSource = deal as unknown as Record<string, unknown>;
  const values = recordValues({
    deal: dealSource,
    contact: contact as unknown as Record<string, unknown> | null,
    company: company as unknown as Record<string, unknown> | null,
    responsible: responsible as unknown as Record<string, unknown> | null,
  });
  return {
    entityType: 'deal',
    id: deal.id,
    title: deal.title,
    responsibleId: deal.responsibleId,
    stageId: deal.stageId,
    pipelineId: deal.pipelineId,
    values,
    clientPhone: firstValue(contact?.phones) ?? firstValue(company?.phones),
    clientEmail: firstValue(contact?.emails) ?? firstValue(company?.emails),
    raw: dealSource,
  };
}

/** A lead as a robot of its status sees it: the lead and its responsible. Null when the lead is gone. */
export async function loadLeadRecord(
  deps: RobotDeps,
  exec: Executor,
  actor: Actor,
  leadId: number,
  needs: { client: boolean; responsible: boolean } = { client: true, responsible: true },
): Promise<RobotRecord | null> {
  let lead;
  try {
    lead = await deps.leads.get(actor, leadId, exec);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const responsible = needs.responsible ? await deps.users.getProfile(actor.workspaceId, lead.responsibleId, exec) : null;
  const source = lead as unknown as Record<string, unknown>;
  return {
    entityType: 'lead',
    id: lead.id,
    title: lead.title,
    responsibleId: lead.responsibleId,
    stageId: lead.statusId,
    pipelineId: null,
    values: recordValues({ lead: source, responsible: responsible as unknown as Record<string, unknown> | null }),
    clientPhone: firstValue(lead.phones),
    clientEmail: firstValue(lead.emails),
    raw: source,
  };
}

/** The record of a run, by its kind. */
export const loadRecord = (deps: RobotDeps, exec: Executor, actor: Actor, entity: 'deal' | 'lead', id: number, needs?: { client: boolean; responsible: boolean }) =>
  entity === 'lead' ? loadLeadRecord(deps, exec, actor, id, needs) : loadDealRecord(deps, exec, actor, id, needs);
