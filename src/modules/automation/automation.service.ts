import { z } from 'zod';
import pino from 'pino';
import type { AppContext, Executor } from '../../server/context.js';
import { inTransaction } from '../../server/context.js';
import { nowIso } from '../../server/clock.js';
import { decodeCursor, toPage, type Page } from '../../server/http/list-query.js';
import { fieldInvalid, notFound, ruleViolation, validationFailed, versionConflict, type FieldError } from '../../server/errors.js';
import type { Actor } from '../permissions/actor.js';
import { requireCapability } from '../permissions/capabilities.js';
import { OutboxConsumer } from '../timeline/outbox.js';
import type { Locale } from '../../shared/locale.js';
import * as repo from './automation.repo.js';
import type { LogQuery, RobotCreateInput, RobotPatchInput } from './automation.schema.js';
import { validateCondition } from './conditions.js';
import { RunPlanner } from './plan-runs.js';
import type { RobotDeps } from './robot-deps.js';
import { RobotRegistry, type RobotType } from './robot-type.js';
import { BUILT_IN_ROBOT_TYPES } from './robot-types/index.js';
import { jobKeyOf, RobotRunner } from './run-robot.js';
import { templateFieldErrors } from './templates.js';
import { dueAfterPrevious, timingFieldErrors, timingSchema, type Timing } from './timing.js';
import type { FieldCatalogue } from './field-catalogue.js';
import { stageOf } from './stage-of.js';
import { builtInActs, ensureBuiltInRobots } from './built-in-robots.js';

// The automation module: robots bound to deal stages, the engine that runs them (the outbox
// consumer `automation` plans runs, the job engine runs them: plan-runs.ts, run-robot.ts), and
// the automation log. docs/automation.md describes the guarantees.

export interface RobotView {
  id: number;
  /** a robot of a deal stage, or of a lead status (stageId is then the status) */
  entityType: 'deal' | 'lead';
  pipelineId: number | null;
  stageId: number;
  position: number;
  type: string;
  name: string;
  /** without its secrets */
  params: Record<string, unknown>;
  /** the secret parameters that have a value (never answered) */
  secretsSet: string[];
  condition: unknown;
  timing: Timing;
  leavePolicy: 'cancel' | 'keep';
  enabled: boolean;
  /** what it refers to that is gone (a user, a stage, a field): it is skipped with these reasons until fixed */
  problems: FieldError[];
  /** a built-in rule (built-in-robots.ts): shown, dry-run, never edited or deleted; `enabled` says whether it acts now */
  builtIn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RunView {
  id: number;
  robotId: number;
  robotType: string;
  robotName: string;
  entityType: 'deal' | 'lead';
  entityId: number;
  stageId: number;
  status: repo.RunRow['status'];
  dueAt: string | null;
  afterRunId: number | null;
  reason: string | null;
  error: string | null;
  result: { summary: string; links?: unknown[]; details?: Record<string, unknown>; uncertain?: boolean } | null;
  /** the job's attempts so far, its next attempt (when retrying) and its last error */
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const POLL_MS = 200;

/** A built-in rule is the product's: it follows the workspace's settings, not edits. */
function refuseBuiltIn(row: repo.RobotRow): void {
  if (row.built_in)
    throw ruleViolation('built_in_robot', 'A built-in robot cannot be changed, deleted or applied; it follows the workspace settings (the CRM mode)', [{ path: 'id', message: 'is a built-in robot' }]);
}

export class AutomationService {
  readonly registry = new RobotRegistry();
  private readonly planner: RunPlanner;
  private readonly runner: RobotRunner;
  readonly consumer: OutboxConsumer;
  onError: (message: string) => void = () => undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: RobotDeps,
  ) {
    this.registry.register(...BUILT_IN_ROBOT_TYPES);
    this.planner = new RunPlanner(deps, this.registry, ctx.clock);
    this.runner = new RobotRunner(deps, this.registry, ctx.clock, { release: (exec, run, at) => this.releaseFollowers(exec, run, at) });
    deps.jobs.registry.register(...this.runner.kinds);
    this.consumer = new OutboxConsumer(
      ctx.db,
      'automation',
      (trx, events) => this.planner.handle(trx, events),
      () => nowIso(ctx.clock),
      () => deps.jobs.wake(), // the runs it planned due now are claimed at once, not at the worker's next poll
    );
  }

  // ── the engine ──

  /** how external effects reconcile (effects.ts): the look-up grace before an SMS not found is sent again */
  get effectOptions() {
    return this.runner.effectOptions;
  }

  /** Plans runs for every event in the outbox so far (tests call it; the server's loop does between polls). */
  async pump(): Promise<number> {
    return this.consumer.drain();
  }

  /** Polls the outbox a few times a second until stopped (start-server.ts). */
  start(): void {
    this.consumer.start(POLL_MS, (message) => this.onError(message));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async releaseFollowers(exec: Executor, run: repo.RunRow, finishedAt: number): Promise<void> {
    const next = await repo.runsAfter(exec, run.id);
    if (next.length === 0) return;
    const ws = run.workspace_id;
    const settings = await this.deps.workspaces.getSettings(exec, ws);
    const items = [];
    for (const n of next) {
      const robot = await repo.findRobot(exec, ws, n.robot_id);
      const timing = robot ? timingSchema.safeParse(JSON.parse(robot.timing)) : null;
      const at =
        timing?.success && timing.data.kind === 'after_previous'
          ? await dueAfterPrevious(timing.data, { from: finishedAt, timeZone: settings.timeZone, values: {}, workingTime: () => this.deps.workingCalendar.workingTime(exec, ws) })
          : finishedAt;
      await repo.updateRun(exec, n.id, { due_at: new Date(at).toISOString(), updated_at: nowIso(this.ctx.clock) });
      items.push({ robotType: n.robot_type, run: n, at });
    }
    await this.planner.enqueue(exec as Parameters<RunPlanner['enqueue']>[0], ws, items);
  }

  // ── robot types ──

  types(locale: Locale) {
    return this.registry.list().map((t) => ({
      type: t.type,
      title: t.title[locale],
      description: t.description[locale],
      entities: [...t.entities],
      effect: t.effect,
      texts: [...(t.texts ?? [])],
      secrets: [...(t.secrets ?? [])],
      paramsSchema: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    }));
  }

  // ── robots ──

  /** The robots of a pipeline's stages, or (no pipeline) of the lead statuses. */
  async listRobots(actor: Actor, pipelineId: number | null): Promise<RobotView[]> {
    requireCapability(actor, 'automation.manage');
    const exec = this.ctx.db.kysely;
    if (pipelineId !== null && !(await this.deps.pipelines.getPipeline(exec, actor.workspaceId, pipelineId))) throw notFound('Pipeline');
    const rows = await repo.robotsOfPipeline(exec, actor.workspaceId, pipelineId === null ? 'lead' : 'deal', pipelineId);
    return Promise.all(rows.map((r) => this.view(exec, r)));
  }

  async getRobot(actor: Actor, id: number): Promise<RobotView> {
    requireCapability(actor, 'automation.manage');
    const row = await repo.findRobot(this.ctx.db.kysely, actor.workspaceId, id);
    if (!row) throw notFound('Robot');
    return this.view(this.ctx.db.kysely, row);
  }

  async createRobot(actor: Actor, input: RobotCreateInput, exec?: Executor): Promise<RobotView> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const entity = input.entityType;
      const stage =
        entity === 'lead'
          ? { id: (await this.deps.referenceLists.ensureItem(trx, ws, 'lead-statuses', input.stageId, 'stageId')).id, pipelineId: null }
          : await stageOf(this.deps, trx, ws, input.stageId);
      const type = this.typeOf(input.type, entity);
      const checked = await this.validate(trx, ws, type, input.params, input.condition, input.timing, entity);
      const now = nowIso(this.ctx.clock);
      const end = await repo.maxPosition(trx, ws, entity, stage.id);
      const row = await repo.insertRobot(trx, {
        workspace_id: ws,
        entity_type: entity,
        pipeline_id: stage.pipelineId,
        stage_id: stage.id,
        position: input.position ?? end + 1,
        type: type.type,
        name: input.name ?? type.title.ru,
        params: JSON.stringify(checked.params),
        condition: checked.condition === null ? null : JSON.stringify(checked.condition),
        timing: JSON.stringify(input.timing),
        leave_policy: input.leavePolicy,
        enabled: input.enabled ? 1 : 0,
        created_by_id: actor.userId,
        created_at: now,
        updated_at: now,
        built_in: null,
      });
      return this.view(trx, row);
    });
  }

  async updateRobot(actor: Actor, id: number, patch: RobotPatchInput, expectedVersion: number, exec?: Executor): Promise<RobotView> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findRobot(trx, ws, id);
      if (!row) throw notFound('Robot');
      refuseBuiltIn(row);
      if (row.version !== expectedVersion) throw versionConflict(await this.view(trx, row));
      const stage =
        row.entity_type === 'lead'
          ? { id: patch.stageId === undefined ? row.stage_id : (await this.deps.referenceLists.ensureItem(trx, ws, 'lead-statuses', patch.stageId, 'stageId')).id, pipelineId: null }
          : await stageOf(this.deps, trx, ws, patch.stageId, row);
      const type = this.typeOf(row.type, row.entity_type);
      const timing = patch.timing ?? (JSON.parse(row.timing) as Timing);
      const stored = JSON.parse(row.params) as Record<string, unknown>;
      // a secret left out of the new parameters is kept (the API never shows it, so a client cannot send it back)
      const params = patch.params ? { ...Object.fromEntries((type.secrets ?? []).filter((k) => k in stored).map((k) => [k, stored[k]])), ...patch.params } : stored;
      const checked = await this.validate(
        trx,
        ws,
        type,
        params,
        patch.condition !== undefined ? patch.condition : row.condition === null ? null : JSON.parse(row.condition),
        timing,
        row.entity_type,
      );
      const ok = await repo.updateRobotVersioned(trx, ws, id, row.version, {
        stage_id: stage.id,
        pipeline_id: stage.pipelineId,
        name: patch.name ?? row.name,
        params: JSON.stringify(checked.params),
        condition: checked.condition === null ? null : JSON.stringify(checked.condition),
        timing: JSON.stringify(timing),
        leave_policy: patch.leavePolicy ?? row.leave_policy,
        enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
        position: patch.position ?? row.position,
        updated_at: nowIso(this.ctx.clock),
      });
      if (!ok) throw versionConflict(await this.view(trx, (await repo.findRobot(trx, ws, id))!));
      return this.view(trx, (await repo.findRobot(trx, ws, id))!);
    });
  }

  /** Deletes a robot; its waiting runs are skipped when due ("the robot was deleted"), its log stays. */
  async deleteRobot(actor: Actor, id: number): Promise<void> {
    requireCapability(actor, 'automation.manage');
    const row = await repo.findRobot(this.ctx.db.kysely, actor.workspaceId, id);
    if (row) refuseBuiltIn(row);
    if (!(await repo.deleteRobot(this.ctx.db.kysely, actor.workspaceId, id))) throw notFound('Robot');
  }

  /** The workspace's built-in robots, made when missing (createWorkspace; built-in-robots.ts). */
  async ensureBuiltInRobots(exec: Executor, workspaceId: number): Promise<void> {
    await ensureBuiltInRobots(exec, this.deps, this.ctx.clock, workspaceId);
  }

  private typeOf(name: string, entity: 'deal' | 'lead' = 'deal'): RobotType {
    const type = this.registry.get(name);
    if (!type) throw fieldInvalid('type', `no robot type ${name}; one of ${this.registry.list().map((t) => t.type).join(', ')}`);
    if (!type.entities.includes(entity)) throw fieldInvalid('type', `a ${name} robot acts on ${type.entities.join(' and ')}s, not on ${entity}s`);
    return type;
  }

  private async catalogue(exec: Executor, ws: number, of: 'deal' | 'lead' = 'deal'): Promise<FieldCatalogue> {
    return this.runner.catalogue(exec, ws, of);
  }

  /** Parameters by the type's schema, texts and condition by the catalogue, timing's field, references: every problem with its path. */
  private async validate(exec: Executor, ws: number, type: RobotType, params: unknown, condition: unknown, timing: Timing, entity: 'deal' | 'lead' = 'deal') {
    const errors: FieldError[] = [];
    const parsed = type.params.safeParse(params);
    if (!parsed.success) for (const i of parsed.error.issues) errors.push({ path: ['params', ...i.path.map(String)].join('.'), message: i.message });
    const catalogue = await this.catalogue(exec, ws, entity);
    if (parsed.success) {
      const p = parsed.data as Record<string, unknown>;
      for (const key of type.texts ?? []) if (typeof p[key] === 'string') errors.push(...templateFieldErrors(p[key], catalogue, `params.${key}`));
      if (type.check) errors.push(...(await type.check(exec, ws, parsed.data, this.deps)));
    }
    let cond: unknown = null;
    if (condition !== undefined && condition !== null) {
      const c = validateCondition(condition, catalogue);
      if (c.ok) cond = c.condition;
      else errors.push(...c.errors);
    }
    errors.push(...timingFieldErrors(timing, catalogue));
    if (errors.length) throw validationFailed(errors, `The robot has invalid fields: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return { params: parsed.data as Record<string, unknown>, condition: cond };
  }

  private async view(exec: Executor, r: repo.RobotRow): Promise<RobotView> {
    const type = this.registry.get(r.type);
    const params = JSON.parse(r.params) as Record<string, unknown>;
    const secrets = (type?.secrets ?? []).filter((k) => params[k] !== undefined && params[k] !== null);
    let problems: FieldError[] = [];
    if (!type) problems = [{ path: 'type', message: `no robot type ${r.type} in this version` }];
    else {
      const parsed = type.params.safeParse(params);
      if (!parsed.success) problems = parsed.error.issues.map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: i.message }));
      else if (type.check) problems = await type.check(exec, r.workspace_id, parsed.data, this.deps);
    }
    // a built-in rule is shown on the first lead status (where a new lead lands), on whenever it acts
    const builtIn = r.built_in
      ? { stageId: (await this.deps.referenceLists.defaultLeadStatus(exec, r.workspace_id)).id, acts: builtInActs(r.built_in, (await this.deps.workspaces.getSettings(exec, r.workspace_id)).crmMode) }
      : null;
    return {
      id: r.id,
      entityType: r.entity_type,
      pipelineId: r.pipeline_id,
      stageId: builtIn?.stageId ?? r.stage_id,
      position: r.position,
      type: r.type,
      name: r.name,
      params: Object.fromEntries(Object.entries(params).filter(([k]) => !(type?.secrets ?? []).includes(k))),
      secretsSet: secrets,
      condition: r.condition === null ? null : JSON.parse(r.condition),
      timing: JSON.parse(r.timing) as Timing,
      leavePolicy: r.leave_policy,
      enabled: builtIn ? builtIn.acts && r.enabled === 1 : r.enabled === 1,
      problems,
      builtIn: r.built_in,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  // ── the automation log ──

  /** The Automation tab of a deal's or a lead's card: everyone who may read the record (404 otherwise, as for a missing one). */
  async recordRuns(actor: Actor, entity: 'deal' | 'lead', id: number, limit: number, cursor?: string): Promise<Page<RunView>> {
    const exec = this.ctx.db.kysely;
    await this.ensureReadable(exec, actor, entity, id, 'id').catch(() => {
      throw notFound(entity === 'lead' ? 'Lead' : 'Deal');
    });
    const after = decodeCursor(cursor, { type: 'none' });
    const rows = await repo.runsOfRecord(exec, actor.workspaceId, entity, id, limit + 1, after?.id ?? null);
    return toPage(await this.runViews(exec, rows), limit, () => null, (r) => r);
  }

  /** The workspace's log, for those who manage automation (automation.manage), with filters. */
  async log(actor: Actor, query: LogQuery): Promise<Page<RunView>> {
    requireCapability(actor, 'automation.manage');
    const exec = this.ctx.db.kysely;
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, { type: 'none' });
    const robotIds = query.pipelineId ? (await repo.robotsOfPipeline(exec, actor.workspaceId, 'deal', query.pipelineId)).map((r) => r.id) : undefined;
    const rows = await repo.runsOfWorkspace(exec, actor.workspaceId, { status: query.status, robotType: query.robotType, robotIds, from: query.from, to: query.to }, limit + 1, after?.id ?? null);
    const page = toPage(await this.runViews(exec, rows), limit, () => null, (r) => r);
    // a run tells of its record (its summary, what it sent): only of records the actor may read;
    // administrators read them all. A page may then be shorter than the limit; nextCursor goes on.
    if (actor.isAdmin) return page;
    const readable = await this.readableRecords(exec, actor, page.items);
    return { ...page, items: page.items.filter((r) => readable.has(`${r.entityType}:${r.entityId}`)) };
  }

  /** Of the runs' records, the keys `type:id` the actor may read. */
  private async readableRecords(exec: Executor, actor: Actor, runs: Array<{ entityType: 'deal' | 'lead'; entityId: number }>): Promise<Set<string>> {
    const ids = (type: 'deal' | 'lead') => [...new Set(runs.filter((r) => r.entityType === type).map((r) => r.entityId))];
    const out = new Set<string>();
    for (const id of await this.deps.deals.readableIds(exec, actor, ids('deal'))) out.add(`deal:${id}`);
    for (const id of await this.deps.leads.readableIds(exec, actor, ids('lead'))) out.add(`lead:${id}`);
    return out;
  }

  /** "Retry now": a failed run gets another attempt at once; a waiting one is made due now. */
  async retryNow(actor: Actor, runId: number): Promise<RunView> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(this.ctx.db.kysely, async (trx) => {
      const run = await repo.findRun(trx, ws, runId);
      if (!run) throw notFound('Run');
      // a run of a record the actor may not read is answered as a missing one
      if (!actor.isAdmin && !(await this.readableRecords(trx, actor, [{ entityType: run.entity_type, entityId: run.entity_id }])).size) throw notFound('Run');
      if (run.status !== 'failed' && run.status !== 'waiting') throw fieldInvalid('id', `a ${run.status} run cannot be retried`);
      const now = nowIso(this.ctx.clock);
      const job = await this.deps.jobs.byUniqueKey(trx, jobKeyOf(run));
      if (run.status === 'failed') await repo.updateRun(trx, run.id, { status: 'waiting', error: null, finished_at: null, updated_at: now });
      if (job && (await this.deps.jobs.retryNow(trx, job.id))) {
        // the job had one: it is due at once
      } else {
        await this.planner.enqueue(trx, ws, [{ robotType: run.robot_type, run, at: this.ctx.clock.now().getTime() }]);
      }
      return (await this.runViews(trx, [(await repo.findRun(trx, ws, runId))!]))[0]!;
    });
  }

  private async runViews(exec: Executor, rows: repo.RunRow[]): Promise<RunView[]> {
    const out: RunView[] = [];
    for (const r of rows) {
      const job = await this.deps.jobs.byUniqueKey(exec, jobKeyOf(r));
      const retrying = job && job.state === 'retryable';
      out.push({
        id: Number(r.id),
        robotId: r.robot_id,
        robotType: r.robot_type,
        robotName: r.robot_name,
        entityType: r.entity_type,
        entityId: r.entity_id,
        stageId: r.stage_id,
        status: r.status,
        dueAt: r.due_at,
        afterRunId: r.after_run_id === null ? null : Number(r.after_run_id),
        reason: r.reason,
        error: r.error,
        result: r.result === null ? null : (JSON.parse(r.result) as RunView['result']),
        attempts: job?.attempt ?? r.attempts,
        nextAttemptAt: retrying ? job.runAt : null,
        lastError: job?.lastError ?? null,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
      });
    }
    return out;
  }

  private ensureReadable(exec: Executor, actor: Actor, entity: 'deal' | 'lead', id: number, path: string) {
    return entity === 'lead' ? this.deps.leads.ensureReadable(exec, actor, id, path) : this.deps.deals.ensureReadable(exec, actor, id, path);
  }

  // ── dry run, and applying a robot to the records already in its stage ──

  /** What the robot would do on this deal now (the rendered texts, the activity it would plan), changing nothing. */
  /** What the robot would do on this deal (or lead, for a lead status's robot) now, changing nothing. */
  async dryRun(actor: Actor, robotId: number, recordId: number) {
    requireCapability(actor, 'automation.manage');
    const exec = this.ctx.db.kysely;
    const robot = await repo.findRobot(exec, actor.workspaceId, robotId);
    if (!robot) throw notFound('Robot');
    await this.ensureReadable(exec, actor, robot.entity_type, recordId, robot.entity_type === 'lead' ? 'leadId' : 'dealId');
    const outcome = await this.runner.execute(
      exec,
      { id: 0, workspace_id: actor.workspaceId, robot_id: robot.id, entity_type: robot.entity_type, entity_id: recordId, stage_id: robot.stage_id, entry_id: 0 },
      { attempt: 0, signal: new AbortController().signal, log: pino({ level: 'silent' }), dryRun: true },
    );
    return { status: outcome.status === 'cancelled' ? 'skipped' : outcome.status, reason: outcome.reason ?? null, result: outcome.result ?? null };
  }

  /**
   * Runs the robot for the deals already in its stage (robots otherwise act on entering only): each
   * gets a run of its current stage entry — one that already has one is left alone. `preview`
   * counts them without doing it.
   */
  async applyToExisting(actor: Actor, robotId: number, preview: boolean): Promise<{ records: number; planned: number }> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(this.ctx.db.kysely, async (trx) => {
      const robot = await repo.findRobot(trx, ws, robotId);
      if (!robot) throw notFound('Robot');
      refuseBuiltIn(robot);
      const lead = robot.entity_type === 'lead';
      const ids = lead ? await this.deps.leads.idsInStatus(trx, ws, robot.stage_id) : await this.deps.deals.idsInStage(trx, ws, robot.stage_id);
      const entered = await this.deps.timeline.lastEntryIds(trx, ws, robot.entity_type, ids, ['created', lead ? 'status_changed' : 'stage_moved']);
      // a record with no entry in its history (a bulk import) counts its entry as -id: applied once
      const entries = ids.map((id) => ({ recordId: id, entryId: entered.get(id) ?? -id }));
      if (preview) return { records: entries.length, planned: 0 };
      const now = nowIso(this.ctx.clock);
      let planned = 0;
      for (let i = 0; i < entries.length; i += 500) {
        const chunk = entries.slice(i, i + 500);
        const runs = await repo.insertRuns(
          trx,
          chunk.map((e) => ({
            workspace_id: ws,
            robot_id: robot.id,
            robot_type: robot.type,
            robot_name: robot.name,
            entity_type: robot.entity_type,
            entity_id: e.recordId,
            stage_id: robot.stage_id,
            entry_id: e.entryId,
            status: 'waiting' as const,
            due_at: now,
            created_at: now,
            updated_at: now,
          })),
        );
        await this.planner.enqueue(trx, ws, runs.map((run) => ({ robotType: robot.type, run, at: this.ctx.clock.now().getTime() })));
        planned += runs.length;
      }
      return { records: entries.length, planned };
    });
  }
}
