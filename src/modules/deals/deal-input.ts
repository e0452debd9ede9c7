import type { AppContext, Executor } from '../../server/context.js';
import { fieldInvalid, ruleViolation } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import type { CustomValues } from '../custom-fields/custom-fields.service.js';

// Checks of a deal's references shared by create, update and move: every id must name a
// record of the workspace that the actor may use, reported on the field's path.

export interface StageInfo {
  id: number;
  pipelineId: number;
  name: string;
  semantic: 'in_progress' | 'success' | 'failure' | string;
  sort: number;
  requiresLossReason: boolean;
}

export const isClosedSemantic = (semantic: string) => semantic === 'success' || semantic === 'failure';

/** pipelineId/stageId of a new deal: stage alone implies its pipeline; neither = the default pipeline's first stage. */
export async function resolveNewDealStage(ctx: AppContext, exec: Executor, workspaceId: number, pipelineId?: number, stageId?: number): Promise<StageInfo> {
  const pipelines = ctx.services.pipelines;
  if (stageId !== undefined) {
    const stage = await pipelines.getStage(exec, workspaceId, stageId);
    if (!stage) throw fieldInvalid('stageId', 'no such stage');
    if (pipelineId !== undefined && stage.pipelineId !== pipelineId) throw fieldInvalid('stageId', 'is not a stage of the given pipeline');
    return stage;
  }
  let pid = pipelineId;
  if (pid === undefined) {
    const def = await pipelines.defaultPipeline(exec, workspaceId);
    if (!def) throw fieldInvalid('pipelineId', 'the workspace has no default pipeline; give pipelineId');
    pid = def.id;
  } else if (!(await pipelines.getPipeline(exec, workspaceId, pid))) {
    throw fieldInvalid('pipelineId', 'no such pipeline');
  }
  const first = await pipelines.firstStage(exec, workspaceId, pid);
  if (!first) throw fieldInvalid('pipelineId', 'the pipeline has no stages');
  return first;
}

/** A failure stage that requires a loss reason gets one from the loss-reasons list. */
export async function checkLossReason(ctx: AppContext, exec: Executor, workspaceId: number, stage: StageInfo, lossReasonId: number | null | undefined): Promise<number | null> {
  if (stage.semantic !== 'failure') return null;
  if (lossReasonId == null) {
    if (stage.requiresLossReason) throw ruleViolation('loss_reason_required', `The stage "${stage.name}" requires a loss reason`, [{ path: 'lossReasonId', message: 'is required for this stage' }], { stage: stage.name });
    return null;
  }
  await ctx.services.referenceLists.ensureItem(exec, workspaceId, 'loss-reasons', lossReasonId, 'lossReasonId');
  return lossReasonId;
}

/**
 * A deal enters a success stage only with every required custom field filled in (a deal created
 * before a field became required may lack it). Moves into in-progress and failure stages are not
 * checked: a deal lost early need not carry the data of a won one. 422 `required_fields_missing`
 * naming the fields (`params.fields`: their names, quoted and comma-separated; `fields`: their paths).
 */
export async function checkRequiredForStage(ctx: AppContext, exec: Executor, workspaceId: number, stage: StageInfo, custom: string | CustomValues | null): Promise<void> {
  if (stage.semantic !== 'success') return;
  const missing = await ctx.services.customFields.missingRequired(exec, workspaceId, 'deal', custom);
  if (!missing.length) return;
  const names = missing.map((f) => `«${f.name}»`).join(', ');
  throw ruleViolation(
    'required_fields_missing',
    `The stage "${stage.name}" requires the fields ${names} to be filled in`,
    missing.map((f) => ({ path: `custom.${f.code}`, message: 'is required for this stage' })),
    { stage: stage.name, fields: names, count: missing.length },
  );
}

/** The primary contact goes first; `primaryContactId` may name one of the list or add itself. */
export function orderedContactIds(contactIds: number[] | undefined, primaryContactId: number | null | undefined, current: number[] = []): number[] | undefined {
  if (contactIds === undefined && primaryContactId == null) return undefined;
  const ids = [...new Set(contactIds ?? current)];
  return primaryContactId != null ? [primaryContactId, ...ids.filter((id) => id !== primaryContactId)] : ids;
}

/** Checks that the actor may read every contact. */
export async function checkContacts(ctx: AppContext, exec: Executor, actor: Actor, ids: number[], field: string): Promise<void> {
  for (const [i, id] of ids.entries()) await ctx.services.contacts.ensureReadable(exec, actor, id, `${field}[${i}]`);
}

export async function checkObservers(ctx: AppContext, exec: Executor, workspaceId: number, ids: number[]): Promise<void> {
  for (const [i, id] of ids.entries()) await ctx.services.users.ensureUser(exec, workspaceId, id, `observerIds[${i}]`);
}

/** Checks that the actor may read the company. */
export async function checkCompany(ctx: AppContext, exec: Executor, actor: Actor, companyId: number | null | undefined): Promise<void> {
  if (companyId != null) await ctx.services.companies.ensureReadable(exec, actor, companyId, 'companyId');
}

export async function checkSource(ctx: AppContext, exec: Executor, workspaceId: number, sourceId: number | null | undefined): Promise<void> {
  if (sourceId != null) await ctx.services.referenceLists.ensureItem(exec, workspaceId, 'sources', sourceId, 'sourceId');
}

/** Tags are kept unique, in the order given. */
export const uniqueTags = (tags: string[]): string[] => [...new Set(tags.map((t) => t.trim()))];

/**
 * A deal's search_text: its title, lower-cased (SQLite's lower() is ASCII-only). Its contacts and
 * company are matched through its links when searching (deal-filters.ts), not copied here.
 */
export const dealSearchText = (title: string): string => title.trim().toLowerCase().slice(0, 2000);
