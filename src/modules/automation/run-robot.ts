import { z } from 'zod';
import type { Logger } from 'pino';
import { defineJobKind, PermanentJobError, type Job, type JobContext, type JobKind } from '../../jobs/index.js';
import { nowIso, type Clock } from '../../server/clock.js';
import { inTransaction, type Executor } from '../../server/context.js';
import { idempotencyKey } from '../messaging/idempotency.js';
import * as repo from './automation.repo.js';
import { conditionFields, evaluate, type ConditionNode } from './conditions.js';
import { buildCatalogue, type FieldCatalogue } from './field-catalogue.js';
import { loadRecord } from './record-loader.js';
import { robotActor } from './robot-actor.js';
import type { RobotDeps } from './robot-deps.js';
import { RobotSkip, type RobotOutcome, type RobotRegistry, type RobotType } from './robot-type.js';
import { placeholdersOf, render } from './templates.js';
import type { WorkspaceSettings } from '../workspaces/workspaces.service.js';
import { builtInActs } from './built-in-robots.js';
import { DEFAULT_EFFECT_OPTIONS, effectsOfRuns, performEffect, type EffectOptions } from './effects.js';

// Running one robot for one stage entry (a job of kind automation.robot or, for robots that call
// out, automation.robot_external). The run is re-read and re-checked first — the record may have
// left the stage, been deleted, the robot disabled, deleted or pointed at a user who is gone —
// and each of those ends the run as skipped or cancelled with its reason, never as a crash. Then
// the condition is evaluated (the failing part is the reason), and the type's run does the work.
// An internal robot runs inside the job's transaction: its writes and the run's outcome commit
// together, exactly once. A failure is retried by the job engine; the last attempt's failure is
// the run's (with the error), and the rest of the queue never waits for it.

const args = z.strictObject({ runId: z.int().positive() });
const WORKSPACE_CACHE_MS = 2_000;

export const robotJobKindFor = (effect: 'internal' | 'external') => (effect === 'internal' ? 'automation.robot' : 'automation.robot_external');

/** One job per run (robot × stage entry): what makes a replayed or raced enqueue a no-op. */
export const jobKeyOf = (run: { robot_id: number; entry_id: number }) => `robot:${run.robot_id}:entry:${run.entry_id}`;

/** The idempotency key of a run's external effect (the SMS id, the Message-ID, the webhook header). */
export const effectKeyOf = (run: repo.RunRow) =>
  idempotencyKey({ robotId: run.robot_id, recordType: run.entity_type, recordId: run.entity_id, stageEntryId: run.entry_id });

export interface Followers {
  /** after a run finishes: schedule the runs waiting for it (after_previous) */
  release(exec: Executor, run: repo.RunRow, finishedAt: number): Promise<void>;
}

/** A run that ends before it acts, with the reason. */
const ended = (status: 'skipped' | 'cancelled', reason: string) => ({ status, reason });

export class RobotRunner {
  readonly kinds: JobKind[];
  /** how external effects reconcile (effects.ts); tests and the crash test's processes shorten the look-up grace */
  readonly effectOptions: EffectOptions = { ...DEFAULT_EFFECT_OPTIONS };

  constructor(
    private readonly deps: RobotDeps,
    private readonly registry: RobotRegistry,
    private readonly clock: Clock,
    private readonly followers: Followers,
  ) {
    const perform = (ctx: JobContext, job: Job<z.output<typeof args>>) => this.perform(ctx, job);
    const onFailed = (exec: Executor, job: Job, error: string) => this.failedOutside(exec, job, error);
    this.kinds = [
      defineJobKind({ kind: robotJobKindFor('internal'), args, transactional: true, timeoutMs: 30_000, maxAttempts: 5, perform, onFailed }),
      defineJobKind({ kind: robotJobKindFor('external'), args, timeoutMs: 60_000, maxAttempts: 8, perform, onFailed }),
    ];
  }

  async catalogue(exec: Executor, ws: number, of: 'deal' | 'lead' = 'deal'): Promise<FieldCatalogue> {
    const defs = await this.deps.customFields.list(ws, undefined, exec);
    return buildCatalogue(defs, {}, of);
  }

  // What every run of a workspace reads the same, kept in this process: the system user for good
  // (it never changes), the workspace's settings and field catalogue for a couple of seconds (a new
  // custom field or time zone reaches running robots that much later; robots are saved against the
  // fresh catalogue, so a text never names a field the engine does not know for longer).
  private readonly systemUsers = new Map<number, number>();
  private readonly workspaces = new Map<string, { until: number; value: Promise<{ settings: WorkspaceSettings; catalogue: FieldCatalogue }> }>();

  private async systemUser(exec: Executor, ws: number): Promise<number> {
    let id = this.systemUsers.get(ws);
    if (id === undefined) this.systemUsers.set(ws, (id = await this.deps.users.systemUserId(exec, ws)));
    return id;
  }

  private workspace(exec: Executor, ws: number, of: 'deal' | 'lead'): Promise<{ settings: WorkspaceSettings; catalogue: FieldCatalogue }> {
    const now = performance.now();
    const key = `${ws}:${of}`;
    const hit = this.workspaces.get(key);
    if (hit && hit.until > now) return hit.value;
    const value = (async () => ({ settings: await this.deps.workspaces.getSettings(exec, ws), catalogue: await this.catalogue(exec, ws, of) }))();
    this.workspaces.set(key, { until: now + WORKSPACE_CACHE_MS, value });
    value.catch(() => this.workspaces.delete(key));
    return value;
  }

  private async perform(ctx: JobContext, job: Job<{ runId: number }>): Promise<unknown> {
    const exec = ctx.exec;
    const ws = job.workspaceId!;
    const run = await repo.findRun(exec, ws, job.args.runId);
    if (!run || run.status !== 'waiting') return { skipped: 'not waiting' };
    const last = job.attempt >= job.maxAttempts;
    try {
      const outcome = await this.execute(exec, run, { attempt: job.attempt, signal: ctx.signal, log: ctx.log, dryRun: false });
      await this.finish(exec, run, outcome.status, { ...outcome, attempts: job.attempt });
    } catch (err) {
      // a refusal (PermanentJobError: the provider's "no") fails the run at once; anything else is retried until the last attempt
      if (!last && !(err instanceof PermanentJobError)) throw err;
      await this.finish(exec, run, 'failed', { reason: null, error: (err as Error).message, attempts: job.attempt });
    }
    return { runId: run.id };
  }

  /**
   * The job failed without perform writing the run's end: its last attempt timed out or died with
   * its process. The run ends failed with that reason — or uncertain when its external effect was
   * attempted and has no outcome (it may have gone out; the administrator sees it) — never left
   * waiting for good.
   */
  private async failedOutside(exec: Executor, job: Job, error: string): Promise<void> {
    const parsed = args.safeParse(job.args);
    if (!parsed.success || job.workspaceId === null) return;
    const run = await repo.findRun(exec, job.workspaceId, parsed.data.runId);
    if (!run || run.status !== 'waiting') return;
    const [effect] = await effectsOfRuns(exec, run.workspace_id, [run.id]);
    if (effect?.status === 'attempting' || effect?.status === 'uncertain') {
      await this.finish(exec, run, 'uncertain', { reason: `it may have been sent: ${error}`, error, attempts: job.attempt });
    } else await this.finish(exec, run, 'failed', { error, attempts: job.attempt });
  }

  private async finish(exec: Executor, run: repo.RunRow, status: repo.RunRow['status'], o: { result?: RobotOutcome; reason?: string | null; error?: string | null; attempts?: number }) {
    const now = nowIso(this.clock);
    await repo.updateRun(exec, run.id, {
      status,
      result: o.result ? JSON.stringify(o.result) : null,
      reason: o.reason ?? null,
      error: o.error ?? null,
      finished_at: now,
      updated_at: now,
      ...(o.attempts !== undefined && { attempts: o.attempts }),
    });
    if (status !== 'cancelled') await this.followers.release(exec, run, this.clock.now().getTime());
  }

  /** The checks and reads before a run acts: an early end (skipped, cancelled) with its reason, or what the type's run gets. */
  private async prepare(rx: Executor, run: Pick<repo.RunRow, 'workspace_id' | 'robot_id' | 'entity_type' | 'entity_id' | 'stage_id'>, dryRun: boolean) {
    const ws = run.workspace_id;
    const robot = await repo.findRobot(rx, ws, run.robot_id);
    if (!robot) return ended('skipped', 'the robot was deleted');
    if (!robot.enabled && !dryRun) return ended('skipped', 'the robot is disabled');
    const type = this.registry.get(robot.type) as RobotType | undefined;
    if (!type) return ended('skipped', `no robot type ${robot.type} in this version`);
    const actor = robotActor(ws, await this.systemUser(rx, ws), { id: robot.id, name: robot.name });
    const condition = robot.condition === null ? null : (JSON.parse(robot.condition) as ConditionNode);
    const rawParams = JSON.parse(robot.params) as Record<string, unknown>;
    const paths = [...(condition ? conditionFields(condition) : []), ...(type.texts ?? []).flatMap((k) => (typeof rawParams[k] === 'string' ? placeholdersOf(rawParams[k]) : []))];
    const needs = { client: !!type.needsClient || paths.some((p) => p.startsWith('contact.') || p.startsWith('company.')), responsible: paths.some((p) => p.startsWith('responsible.')) };
    const record = await loadRecord(this.deps, rx, actor, run.entity_type, run.entity_id, needs);
    if (!record) return ended('cancelled', 'the record was deleted');
    if (record.stageId !== run.stage_id && robot.leave_policy === 'cancel' && !dryRun) return ended('cancelled', 'the record left the stage');

    const { settings, catalogue } = await this.workspace(rx, ws, run.entity_type);
    if (robot.built_in && !builtInActs(robot.built_in, settings.crmMode) && !dryRun) return ended('skipped', 'the workspace works with leads again (the built-in rule acts in the lead-less mode only)');
    if (condition) {
      const ev = evaluate(condition, record.values, catalogue);
      if (!ev.result) return ended('skipped', `the condition is false: ${ev.explanation}`);
    }
    const params = type.params.safeParse(rawParams);
    if (!params.success) return ended('skipped', `its parameters are no longer valid: ${params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const problems = type.check ? await type.check(rx, ws, params.data, this.deps) : [];
    if (problems.length) return ended('skipped', problems.map((p) => `${p.path}: ${p.message}`).join('; '));

    const stage = await this.deps.pipelines.getStage(rx, ws, run.stage_id);
    return { robot, type, actor, record, settings, catalogue, params: params.data, stage };
  }

  /**
   * Checks and runs (or, in a dry run, describes) a run's robot on its record. Returns the
   * status it ends with: done / uncertain with what it did, skipped or cancelled with the reason.
   */
  async execute(
    exec: Executor,
    run: Pick<repo.RunRow, 'id' | 'workspace_id' | 'robot_id' | 'entity_type' | 'entity_id' | 'stage_id' | 'entry_id'>,
    opts: { attempt: number; signal: AbortSignal; log: Logger; dryRun: boolean },
  ): Promise<{ status: 'done' | 'uncertain' | 'skipped' | 'cancelled'; result?: RobotOutcome; reason?: string }> {
    const ws = run.workspace_id;
    // everything the run reads before it acts, in one read: outside a job's transaction (robots that
    // call out) that is one turn at the connection instead of one a statement — on SQLite each turn
    // waits for whatever transaction holds the one connection
    const prepared = await inTransaction(exec, (rx) => this.prepare(rx, run, opts.dryRun));
    if ('status' in prepared) return prepared;
    const { robot, type, actor, record, settings, catalogue, params, stage } = prepared;

    const key = effectKeyOf(run as repo.RunRow);
    try {
      const result = await type.run({
        exec,
        params,
        robot: { id: robot.id, name: robot.name, type: robot.type, stageId: run.stage_id, stageName: stage?.name ?? '' },
        run: { id: run.id, entryId: run.entry_id, key, attempt: opts.attempt },
        record,
        actor,
        deps: this.deps,
        clock: this.clock,
        signal: opts.signal,
        log: opts.log,
        workspace: { id: ws, locale: settings.locale, timeZone: settings.timeZone, currency: settings.currency },
        catalogue,
        render: (text, escape = 'none') => render(text, record.values, { locale: settings.locale, escape, timeZone: settings.timeZone, catalogue }).text,
        turn: () => repo.countRunsBefore(exec, ws, robot.id, Number(run.id) || null),
        dryRun: opts.dryRun,
        effect: (spec) => {
          if (opts.dryRun) throw new Error('a dry run does not call out');
          return performEffect(exec, this.clock, this.effectOptions, { workspaceId: ws, runId: Number(run.id), key }, spec);
        },
      });
      return { status: result.uncertain ? 'uncertain' : 'done', result };
    } catch (err) {
      if (err instanceof RobotSkip) return { status: 'skipped', reason: err.message };
      throw err;
    }
  }
}
