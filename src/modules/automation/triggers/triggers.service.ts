import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { lockKey } from '../../../db/locks.js';
import type { AppContext, Executor } from '../../../server/context.js';
import { inTransaction } from '../../../server/context.js';
import { nowIso } from '../../../server/clock.js';
import { AppError, fieldInvalid, notFound, rateLimited, validationFailed, versionConflict, type FieldError } from '../../../server/errors.js';
import type { Actor } from '../../permissions/actor.js';
import { requireCapability } from '../../permissions/capabilities.js';
import { OutboxConsumer } from '../../timeline/outbox.js';
import type { Locale } from '../../../shared/locale.js';
import { validateCondition } from '../conditions.js';
import { buildCatalogue } from '../field-catalogue.js';
import type { RobotDeps } from '../robot-deps.js';
import { IDLE_JOB, TriggerEngine, type FireOutcome } from './fire.js';
import * as repo from './triggers.repo.js';
import type { TriggerCreateInput, TriggerPatchInput } from './triggers.schema.js';
import { TriggerRegistry, type TriggerType } from './trigger-type.js';
import { BUILT_IN_TRIGGER_TYPES } from './trigger-types.js';
import { stageOf } from '../stage-of.js';

// Triggers: a trigger sits on a deal stage and moves a deal there when its event happens
// (docs/automation.md § Triggers). This service holds the registry, the `triggers` outbox consumer
// (its own cursor, polled like the automation one), the idle sweep's job kind, the triggers' CRUD
// for administrators, the inbound webhook, and `fire` for other modules' trigger types.

export interface TriggerView {
  id: number;
  entityType: 'deal';
  pipelineId: number;
  stageId: number;
  type: string;
  name: string;
  params: Record<string, unknown>;
  condition: unknown;
  allowBack: boolean;
  enabled: boolean;
  hookPath: string | null;
  problems: FieldError[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FiringView {
  id: number;
  triggerId: number;
  triggerType: string;
  triggerName: string;
  entityType: 'deal';
  entityId: number;
  stageId: number;
  fromStageId: number | null;
  status: repo.FiringRow['status'];
  reason: string | null;
  createdAt: string;
}

/** The inbound webhooks' limits: wrong tokens from one address, and calls of one trigger. */
export const HOOK_POLICY = {
  windowMs: 15 * 60_000,
  /** unknown tokens from one address in the window: then 429 for that address */
  failuresPerIp: 20,
  perTriggerWindowMs: 60_000,
  /** calls of one trigger per minute */
  callsPerTrigger: 60,
} as const;

export const HOOK_PATH = '/api/v1/automation/hooks/';
const HOOK_LOCK = 'voronka:automation_hook_calls';
const POLL_MS = 200;

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const newToken = (id: number) => `${id}.${randomBytes(24).toString('base64url')}`;

export class TriggersService {
  readonly registry = new TriggerRegistry();
  readonly consumer: OutboxConsumer;
  private readonly engine: TriggerEngine;
  onError: (message: string) => void = () => undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: RobotDeps,
  ) {
    this.registry.register(...BUILT_IN_TRIGGER_TYPES);
    this.engine = new TriggerEngine(ctx.db, deps, this.registry, ctx.clock);
    deps.jobs.registry.register(...this.engine.kinds);
    this.consumer = new OutboxConsumer(ctx.db, 'triggers', (trx, events) => this.engine.handle(trx, events), () => nowIso(ctx.clock));
  }

  // ── the engine ──

  /** Fires the triggers for every event in the outbox so far (tests call it; the server's loop does between polls). */
  async pump(): Promise<number> {
    return this.consumer.drain();
  }

  /** Polls the outbox a few times a second until stopped, and makes sure each workspace with idle triggers has its sweep scheduled. */
  start(): void {
    void (async () => {
      for (const ws of await repo.workspacesWithType(this.ctx.db.kysely, 'idle')) await this.engine.scheduleIdle(this.ctx.db.kysely, ws);
    })().catch((err: Error) => this.onError(err.message));
    this.consumer.start(POLL_MS, (message) => this.onError(message));
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /**
   * The extension point for 'external' trigger types of other modules (form submitted, e-mail
   * received, invoice paid): fires the workspace's enabled triggers of `type` whose parameters
   * `accept` says yes to, for one deal, in `exec`'s transaction. `eventKey` (e.g. the form
   * submission's id) makes a repeated call a no-op.
   */
  async fire(
    exec: Executor,
    workspaceId: number,
    type: string,
    dealId: number,
    opts: { eventKey?: string; accept?: (params: unknown) => boolean } = {},
  ): Promise<FireOutcome[]> {
    return inTransaction(exec, async (trx) => {
      const out: FireOutcome[] = [];
      for (const t of await repo.enabledTriggersOfTypes(trx, workspaceId, [type])) {
        if (opts.accept && !opts.accept(JSON.parse(t.params))) continue;
        const r = await this.engine.fireOne(trx, t, dealId, opts.eventKey ?? null);
        if (r) out.push(r);
      }
      return out;
    });
  }

  /** The idle sweep of a workspace now (what its hourly job does). */
  idleSweep(workspaceId: number) {
    return this.engine.idleSweep(workspaceId);
  }

  // ── the inbound webhook ──

  /**
   * POST /automation/hooks/:token with `{ dealId }`, no session: the token (`<trigger id>.<secret>`)
   * is compared in constant time; an unknown one answers 404 and counts against the caller's
   * address (429 past HOOK_POLICY.failuresPerIp in the window), a known one against its trigger.
   */
  async hook(token: string, dealId: number, ip: string): Promise<{ status: FireOutcome['status']; reason: string | null; dealId: number }> {
    const now = this.ctx.clock.now().getTime();
    const at = new Date(now).toISOString();
    const since = new Date(now - HOOK_POLICY.windowMs).toISOString();
    const checked = await inTransaction(this.ctx.db.kysely, async (trx) => {
      // one check-and-count at a time (as the log-in's ledger): parallel guesses cannot all pass the limit
      await lockKey(trx, this.ctx.db.dialect, HOOK_LOCK);
      if ((await repo.countHookCalls(trx, { ip, failedOnly: true }, since)) >= HOOK_POLICY.failuresPerIp) return 'limited' as const;
      const m = /^([1-9][0-9]{0,9})\.[A-Za-z0-9_-]{20,100}$/.exec(token);
      const trigger = m ? await repo.findTriggerAnywhere(trx, Number(m[1])) : undefined;
      const ok = !!trigger && trigger.token !== null && sameSecret(trigger.token, token) && trigger.enabled === 1 && trigger.type === 'inbound_webhook';
      if (ok && (await repo.countHookCalls(trx, { triggerId: trigger.id }, new Date(now - HOOK_POLICY.perTriggerWindowMs).toISOString())) >= HOOK_POLICY.callsPerTrigger) return 'limited' as const;
      await repo.recordHookCall(trx, ip, ok ? trigger.id : null, ok, at, since);
      return ok ? trigger : null;
    });
    if (checked === 'limited') throw rateLimited('Too many webhook calls; wait and try again');
    if (!checked) throw notFound('Webhook');
    const out = await inTransaction(this.ctx.db.kysely, async (trx) => {
      const trigger = await repo.findTrigger(trx, checked.workspace_id, checked.id);
      return trigger ? this.engine.fireOne(trx, trigger, dealId, null) : null;
    });
    // a deal of another workspace or pipeline answers like a missing one
    if (!out) throw new AppError(404, 'not_found', 'Deal not found');
    return { status: out.status, reason: out.reason, dealId };
  }

  // ── trigger types ──

  types(locale: Locale) {
    return this.registry.list().map((t) => ({
      type: t.type,
      title: t.title[locale],
      description: t.description[locale],
      source: t.source,
      secret: t.secret === true,
      paramsSchema: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    }));
  }

  // ── triggers ──

  async list(actor: Actor, pipelineId: number): Promise<TriggerView[]> {
    requireCapability(actor, 'automation.manage');
    const exec = this.ctx.db.kysely;
    if (!(await this.deps.pipelines.getPipeline(exec, actor.workspaceId, pipelineId))) throw notFound('Pipeline');
    const rows = await repo.triggersOfPipeline(exec, actor.workspaceId, pipelineId);
    return Promise.all(rows.map((r) => this.view(exec, r)));
  }

  async get(actor: Actor, id: number): Promise<TriggerView> {
    requireCapability(actor, 'automation.manage');
    const row = await repo.findTrigger(this.ctx.db.kysely, actor.workspaceId, id);
    if (!row) throw notFound('Trigger');
    return this.view(this.ctx.db.kysely, row);
  }

  async create(actor: Actor, input: TriggerCreateInput, exec?: Executor): Promise<TriggerView> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const type = this.typeOf(input.type);
      const stage = await stageOf(this.deps, trx, ws, input.stageId);
      const checked = await this.validate(trx, ws, type, input.params, input.condition);
      const now = nowIso(this.ctx.clock);
      let row = await repo.insertTrigger(trx, {
        workspace_id: ws,
        entity_type: 'deal',
        pipeline_id: stage.pipelineId,
        stage_id: stage.id,
        type: type.type,
        name: input.name ?? type.title.ru,
        params: JSON.stringify(checked.params),
        condition: checked.condition === null ? null : JSON.stringify(checked.condition),
        allow_back: input.allowBack ? 1 : 0,
        enabled: input.enabled ? 1 : 0,
        token: null,
        created_by_id: actor.userId,
        created_at: now,
        updated_at: now,
      });
      if (type.secret) {
        await repo.updateTrigger(trx, ws, row.id, { token: newToken(row.id) });
        row = (await repo.findTrigger(trx, ws, row.id))!;
      }
      if (type.type === 'idle' && input.enabled) await this.engine.scheduleIdle(trx, ws);
      return this.view(trx, row);
    });
  }

  async update(actor: Actor, id: number, patch: TriggerPatchInput, expectedVersion: number, exec?: Executor): Promise<TriggerView> {
    requireCapability(actor, 'automation.manage');
    const ws = actor.workspaceId;
    return inTransaction(exec ?? this.ctx.db.kysely, async (trx) => {
      const row = await repo.findTrigger(trx, ws, id);
      if (!row) throw notFound('Trigger');
      if (row.version !== expectedVersion) throw versionConflict(await this.view(trx, row));
      const stage = await stageOf(this.deps, trx, ws, patch.stageId, row);
      const type = this.typeOf(row.type);
      const checked = await this.validate(
        trx,
        ws,
        type,
        patch.params ?? (JSON.parse(row.params) as Record<string, unknown>),
        patch.condition !== undefined ? patch.condition : row.condition === null ? null : JSON.parse(row.condition),
      );
      const enabled = patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0;
      const ok = await repo.updateTriggerVersioned(trx, ws, id, row.version, {
        stage_id: stage.id,
        pipeline_id: stage.pipelineId,
        name: patch.name ?? row.name,
        params: JSON.stringify(checked.params),
        condition: checked.condition === null ? null : JSON.stringify(checked.condition),
        allow_back: patch.allowBack === undefined ? row.allow_back : patch.allowBack ? 1 : 0,
        enabled,
        token: type.secret && patch.rotateToken ? newToken(row.id) : row.token,
        updated_at: nowIso(this.ctx.clock),
      });
      if (!ok) throw versionConflict(await this.view(trx, (await repo.findTrigger(trx, ws, id))!));
      if (type.type === 'idle' && enabled === 1) await this.engine.scheduleIdle(trx, ws);
      return this.view(trx, (await repo.findTrigger(trx, ws, id))!);
    });
  }

  /** Deletes a trigger; its firings stay in the log, its webhook URL stops answering. */
  async delete(actor: Actor, id: number): Promise<void> {
    requireCapability(actor, 'automation.manage');
    if (!(await repo.deleteTrigger(this.ctx.db.kysely, actor.workspaceId, id))) throw notFound('Trigger');
  }

  // ── the log ──

  /** The triggers' part of a deal's Automation tab (the caller checked the deal is readable). */
  async dealFirings(actor: Actor, dealId: number, limit = 50): Promise<FiringView[]> {
    const rows = await repo.firingsOfDeal(this.ctx.db.kysely, actor.workspaceId, dealId, limit);
    return rows.map((r) => ({
      id: Number(r.id),
      triggerId: r.trigger_id,
      triggerType: r.trigger_type,
      triggerName: r.trigger_name,
      entityType: 'deal',
      entityId: r.entity_id,
      stageId: r.stage_id,
      fromStageId: r.from_stage_id,
      status: r.status,
      reason: r.reason,
      createdAt: r.created_at,
    }));
  }

  private typeOf(name: string): TriggerType {
    const type = this.registry.get(name);
    if (!type) throw fieldInvalid('type', `no trigger type ${name}; one of ${this.registry.list().map((t) => t.type).join(', ')}`);
    return type;
  }

  private async validate(exec: Executor, ws: number, type: TriggerType, params: unknown, condition: unknown) {
    const errors: FieldError[] = [];
    const parsed = type.params.safeParse(params);
    if (!parsed.success) for (const i of parsed.error.issues) errors.push({ path: ['params', ...i.path.map(String)].join('.'), message: i.message });
    const catalogue = buildCatalogue(await this.deps.customFields.list(ws, undefined, exec));
    if (parsed.success && type.check) errors.push(...(await type.check(exec, ws, parsed.data, this.deps, catalogue)));
    let cond: unknown = null;
    if (condition !== undefined && condition !== null) {
      const c = validateCondition(condition, catalogue);
      if (c.ok) cond = c.condition;
      else errors.push(...c.errors);
    }
    if (errors.length) throw validationFailed(errors, `The trigger has invalid fields: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    return { params: parsed.data as Record<string, unknown>, condition: cond };
  }

  private async view(exec: Executor, r: repo.TriggerRow): Promise<TriggerView> {
    const type = this.registry.get(r.type);
    const params = JSON.parse(r.params) as Record<string, unknown>;
    let problems: FieldError[] = [];
    if (!type) problems = [{ path: 'type', message: `no trigger type ${r.type} in this version` }];
    else {
      const parsed = type.params.safeParse(params);
      if (!parsed.success) problems = parsed.error.issues.map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: i.message }));
      else if (type.check) problems = await type.check(exec, r.workspace_id, parsed.data, this.deps, buildCatalogue(await this.deps.customFields.list(r.workspace_id, undefined, exec)));
    }
    if (!(await this.deps.pipelines.getStage(exec, r.workspace_id, r.stage_id))) problems.push({ path: 'stageId', message: `stage ${r.stage_id} no longer exists` });
    return {
      id: r.id,
      entityType: 'deal',
      pipelineId: r.pipeline_id,
      stageId: r.stage_id,
      type: r.type,
      name: r.name,
      params,
      condition: r.condition === null ? null : JSON.parse(r.condition),
      allowBack: r.allow_back === 1,
      enabled: r.enabled === 1,
      hookPath: r.token === null ? null : HOOK_PATH + r.token,
      problems,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

export { IDLE_JOB };
