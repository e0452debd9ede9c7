import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import type { Database } from '../../../db/schema.js';
import { defineJobKind, type JobKind } from '../../../jobs/index.js';
import { nowIso, type Clock } from '../../../server/clock.js';
import { inTransaction, type Executor } from '../../../server/context.js';
import { AppError } from '../../../server/errors.js';
import type { Actor } from '../../permissions/actor.js';
import type { Stage } from '../../pipelines/pipelines.types.js';
import type { OutboxEvent } from '../../timeline/outbox.js';
import { evaluate, type ConditionNode } from '../conditions.js';
import { buildCatalogue } from '../field-catalogue.js';
import { loadDealRecord } from '../record-loader.js';
import { robotActor } from '../robot-actor.js';
import type { RobotDeps } from '../robot-deps.js';
import * as repo from './triggers.repo.js';
import type { TriggerRegistry } from './trigger-type.js';

// The triggers engine. Every firing — an outbox event matched by an 'event' type (the `triggers`
// consumer, in its transaction, exactly once), a webhook call, the idle sweep, another module's
// `fire` — ends in `fireOne`, which decides the same way for all: the deal must be in the
// trigger's pipeline; a deal already in the target stage is left alone; a move to an earlier stage
// (by the stages' sort order) is refused unless the trigger allows moving back; the condition must
// hold. Then the deal is moved through the deals service as the workspace's system user attributed
// to the trigger («Триггер «…»»), in the caller's transaction: the move writes its `stage_moved`
// entry, and the automation consumer plans the target stage's robots from it ("the trigger moves,
// the robots act"). Each outcome is a firing row (the log), once per event key.

export const IDLE_JOB = 'automation.triggers_idle';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** deals read per batch (and per transaction) by the idle sweep, and moves per trigger per sweep at most */
const IDLE_BATCH = 200;
const IDLE_MAX_MOVES = 1000;

export const triggerActorName = (name: string) => `Триггер «${name}»`;

export function triggerActor(ws: number, systemUserId: number, trigger: { id: number; name: string }): Actor {
  return { ...robotActor(ws, systemUserId, { id: trigger.id, name: triggerActorName(trigger.name) }), robot: { id: trigger.id, name: triggerActorName(trigger.name), kind: 'trigger' } };
}

export interface FireOutcome {
  status: repo.FiringRow['status'];
  reason: string | null;
  firingId: number;
}

const isNotFound = (err: unknown) => err instanceof AppError && err.status === 404;

export class TriggerEngine {
  readonly kinds: JobKind[];

  constructor(
    private readonly db: Db,
    private readonly deps: RobotDeps,
    private readonly registry: TriggerRegistry,
    private readonly clock: Clock,
  ) {
    this.kinds = [
      defineJobKind({
        kind: IDLE_JOB,
        args: z.strictObject({ workspaceId: z.int().positive() }),
        timeoutMs: 10 * 60_000,
        maxAttempts: 5,
        perform: async (_ctx, job) => this.idleSweep(job.args.workspaceId),
      }),
    ];
  }

  /**
   * One trigger, one deal: moves it or logs why not. Null when the trigger does not concern the
   * deal at all (gone, another pipeline) or this event key was handled already.
   */
  async fireOne(trx: Transaction<Database>, trigger: repo.TriggerRow, dealId: number, eventKey: string | null): Promise<FireOutcome | null> {
    const ws = trigger.workspace_id;
    if (eventKey !== null && (await repo.firingByKey(trx, trigger.id, eventKey))) return null;
    const systemUserId = await this.deps.users.systemUserId(trx, ws);
    const actor = triggerActor(ws, systemUserId, trigger);
    let deal;
    try {
      deal = await this.deps.deals.get(actor, dealId, trx);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    if (deal.pipelineId !== trigger.pipeline_id) return null;
    const log = async (status: repo.FiringRow['status'], reason: string | null): Promise<FireOutcome> => {
      const row = await repo.insertFiring(trx, {
        workspace_id: ws,
        trigger_id: trigger.id,
        trigger_type: trigger.type,
        trigger_name: trigger.name,
        entity_type: 'deal',
        entity_id: dealId,
        stage_id: trigger.stage_id,
        from_stage_id: deal.stageId,
        event_key: eventKey,
        status,
        reason,
        created_at: nowIso(this.clock),
      });
      return { status, reason, firingId: Number(row.id) };
    };
    if (deal.stageId === trigger.stage_id) return log('skipped', 'the deal is already in the stage');
    const [target, current] = await Promise.all([this.deps.pipelines.getStage(trx, ws, trigger.stage_id), this.deps.pipelines.getStage(trx, ws, deal.stageId)]);
    if (!target) return log('skipped', `its stage ${trigger.stage_id} no longer exists`);
    if (current && target.sort < current.sort && trigger.allow_back !== 1) {
      return log('skipped', `the deal is in the later stage «${current.name}»; moving back to «${target.name}» is not allowed`);
    }
    if (trigger.condition) {
      const record = await loadDealRecord(this.deps, trx, actor, dealId);
      if (!record) return null;
      const catalogue = buildCatalogue(await this.deps.customFields.list(ws, undefined, trx));
      const ev = evaluate(JSON.parse(trigger.condition) as ConditionNode, record.values, catalogue);
      if (!ev.result) return log('skipped', `the condition is false: ${ev.explanation}`);
    }
    // a refused move (a rule of the stage, a missing loss reason) is logged as failed; the savepoint
    // keeps the consumer's transaction usable on PostgreSQL after a failed statement
    await sql`savepoint trigger_move`.execute(trx);
    try {
      await this.deps.deals.move(actor, dealId, { stageId: target.id }, trx);
      await sql`release savepoint trigger_move`.execute(trx);
    } catch (err) {
      await sql`rollback to savepoint trigger_move`.execute(trx);
      await sql`release savepoint trigger_move`.execute(trx);
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return log('failed', `the move was refused: ${err.message}`);
    }
    return log('moved', `moved from «${current?.name ?? deal.stageId}» to «${target.name}»`);
  }

  /** The `triggers` consumer's handler: each outbox event about a deal, against the enabled triggers of the 'event' types that match it. */
  async handle(trx: Transaction<Database>, events: OutboxEvent[]): Promise<void> {
    const types = this.registry.list().filter((t) => t.source === 'event');
    if (types.length === 0) return;
    const concerned: Array<{ event: OutboxEvent; dealId: number }> = [];
    for (const e of events) {
      if (e.kind === 'stage_moved' || e.kind === 'created' || e.kind === 'deleted') continue; // what triggers do, not what fires them
      for (const t of types) {
        const dealId = t.dealOf ? t.dealOf(e) : e.entityType === 'deal' ? e.entityId : null;
        if (dealId !== null) {
          concerned.push({ event: e, dealId });
          break;
        }
      }
    }
    if (concerned.length === 0) return;
    const byWorkspace = new Map<number, repo.TriggerRow[]>();
    const stages = new Map<number, Stage | null>();
    const sortOf = async (ws: number, stageId: number) => {
      if (!stages.has(stageId)) stages.set(stageId, await this.deps.pipelines.getStage(trx, ws, stageId));
      return stages.get(stageId)?.sort ?? 0;
    };
    for (const { event, dealId } of concerned) {
      const ws = event.workspaceId;
      let triggers = byWorkspace.get(ws);
      if (!triggers) {
        triggers = await repo.enabledTriggersOfTypes(trx, ws, types.map((t) => t.type));
        // the furthest target first: a nearer trigger of the same event then finds the deal past its stage
        const sorts = new Map<number, number>();
        for (const t of triggers) sorts.set(t.id, await sortOf(ws, t.stage_id));
        triggers.sort((a, b) => sorts.get(b.id)! - sorts.get(a.id)! || a.id - b.id);
        byWorkspace.set(ws, triggers);
      }
      for (const trigger of triggers) {
        const type = this.registry.get(trigger.type);
        const params = type?.params.safeParse(JSON.parse(trigger.params));
        if (!type?.matches || !params?.success) continue;
        const typeDeal = type.dealOf ? type.dealOf(event) : event.entityType === 'deal' ? event.entityId : null;
        if (typeDeal !== dealId || !type.matches(event, params.data)) continue;
        await this.fireOne(trx, trigger, dealId, `event:${event.id}`);
      }
    }
  }

  /** Schedules the workspace's next idle sweep at the next full hour (one job per workspace and hour, however often asked). */
  async scheduleIdle(exec: Executor, ws: number): Promise<void> {
    const at = Math.floor(this.clock.now().getTime() / HOUR) * HOUR + HOUR;
    await this.deps.jobs.enqueue(exec, IDLE_JOB, { workspaceId: ws }, { runAt: new Date(at), uniqueKey: `triggers:idle:${ws}:${new Date(at).toISOString()}`, workspaceId: ws });
  }

  /**
   * The idle sweep of one workspace (a job, hourly while it has enabled idle triggers): for each,
   * the open deals of its pipeline outside its stage are read in batches by id, and those with no
   * timeline entry for the trigger's days are fired — each batch in its own transaction, at most
   * IDLE_MAX_MOVES moves per trigger per sweep (the rest next hour). Idempotent: a deal is fired
   * once per idle spell (the key is its last entry's time), and a moved deal has a new entry.
   */
  async idleSweep(ws: number): Promise<{ examined: number; moved: number }> {
    const exec = this.db.kysely;
    const triggers = await repo.enabledTriggersOfTypes(exec, ws, ['idle']);
    let examined = 0;
    let moved = 0;
    for (const trigger of triggers) {
      const params = this.registry.get('idle')?.params.safeParse(JSON.parse(trigger.params));
      if (!params?.success) continue;
      const cutoff = this.clock.now().getTime() - (params.data as { days: number }).days * DAY;
      let movedHere = 0;
      for (let after = 0; movedHere < IDLE_MAX_MOVES; ) {
        const deals = await this.deps.deals.openInPipeline(exec, ws, trigger.pipeline_id, after, IDLE_BATCH);
        if (deals.length === 0) break;
        after = deals[deals.length - 1]!.id;
        const outside = deals.filter((d) => d.stageId !== trigger.stage_id);
        examined += outside.length;
        const last = await this.deps.timeline.lastEntryAt(exec, ws, 'deal', outside.map((d) => d.id));
        const idle = outside.map((d) => ({ id: d.id, at: last.get(d.id) ?? d.createdAt })).filter((d) => Date.parse(d.at) <= cutoff);
        if (idle.length === 0) continue;
        await inTransaction(exec, async (trx) => {
          const current = await repo.findTrigger(trx, ws, trigger.id);
          if (!current || current.enabled !== 1) return;
          for (const d of idle) {
            if (movedHere >= IDLE_MAX_MOVES) break;
            const out = await this.fireOne(trx, current, d.id, `idle:${d.id}:${d.at}`);
            if (out?.status === 'moved') {
              moved++;
              movedHere++;
            }
          }
        });
      }
    }
    if (triggers.length > 0) await this.scheduleIdle(exec, ws);
    return { examined, moved };
  }
}
