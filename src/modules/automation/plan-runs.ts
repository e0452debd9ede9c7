import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { nowIso, type Clock } from '../../server/clock.js';
import type { OutboxEvent } from '../timeline/outbox.js';
import * as repo from './automation.repo.js';
import type { RobotDeps } from './robot-deps.js';
import type { RobotRegistry } from './robot-type.js';
import { dueAt, timingSchema } from './timing.js';
import { robotJobKindFor, jobKeyOf } from './run-robot.js';
import type { WorkingTime } from '../working-calendar/working-time.js';
import { loadRecord } from './record-loader.js';
import { robotActor } from './robot-actor.js';
import { ensureBuiltInRobots } from './built-in-robots.js';
import type { WorkspaceSettings } from '../workspaces/workspaces.service.js';

// The automation engine's outbox consumer: a record entering a stage (a `created` or `stage_moved`
// entry, written in the same transaction as the move by every path: web, API, CLI, conversion,
// robots) gets one run per enabled robot of that stage, each with its job due per its timing; a
// record leaving a stage has its waiting runs cancelled (unless their robot keeps them), and a
// deleted record all of them. All of it happens in the consumer's transaction, with its cursor:
// a batch replayed after a crash makes nothing twice (runs are unique per robot × entry, jobs per
// key), and no batch is skipped.

interface Entry {
  event: OutboxEvent;
  entity: 'deal' | 'lead';
  entityId: number;
  /** the stage (a lead: the status) entered, or null when the record only left (deleted) */
  stageId: number | null;
}

const idOf = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** What an event means for automation, if anything: a deal entering a stage, a lead a status, either deleted. */
function entryOf(e: OutboxEvent): Entry | null {
  if (e.entityType !== 'deal' && e.entityType !== 'lead') return null;
  const entity = e.entityType;
  const at = (stageId: number | null): Entry | null => (stageId === null ? null : { event: e, entity, entityId: e.entityId, stageId });
  if (e.kind === 'created') return at(idOf(entity === 'deal' ? e.data.stageId : e.data.statusId));
  if (entity === 'deal' && e.kind === 'stage_moved') return at(idOf((e.data.to as { stageId?: unknown } | undefined)?.stageId));
  if (entity === 'lead' && e.kind === 'status_changed') return at(idOf((e.data.to as { statusId?: unknown } | undefined)?.statusId));
  if (e.kind === 'deleted') return { event: e, entity, entityId: e.entityId, stageId: null };
  return null;
}

export class RunPlanner {
  constructor(
    private readonly deps: RobotDeps,
    private readonly registry: RobotRegistry,
    private readonly clock: Clock,
  ) {}

  async handle(trx: Transaction<Database>, events: OutboxEvent[]): Promise<void> {
    const entries = events.map(entryOf).filter((x): x is Entry => x !== null);
    if (entries.length === 0) return;
    const now = nowIso(this.clock);
    // the robots of every stage entered, per workspace, read once for the batch
    const robotsByStage = new Map<string, repo.RobotRow[]>();
    const wanted = new Map<string, { ws: number; entity: 'deal' | 'lead'; stages: Set<number> }>();
    for (const en of entries) {
      if (en.stageId === null) continue;
      const key = `${en.event.workspaceId}:${en.entity}`;
      let w = wanted.get(key);
      if (!w) wanted.set(key, (w = { ws: en.event.workspaceId, entity: en.entity, stages: new Set() }));
      w.stages.add(en.stageId);
    }
    for (const { ws, entity, stages } of wanted.values()) {
      for (const r of await repo.enabledRobotsOfStages(trx, ws, entity, [...stages])) {
        const key = `${ws}:${entity}:${r.stage_id}`;
        const list = robotsByStage.get(key) ?? [];
        list.push(r);
        robotsByStage.set(key, list);
      }
    }
    const settingsOf = new Map<number, Promise<WorkspaceSettings>>();
    const settings = (ws: number) => {
      let p = settingsOf.get(ws);
      if (!p) settingsOf.set(ws, (p = this.deps.workspaces.getSettings(trx, ws)));
      return p;
    };
    const calendars = new Map<number, Promise<WorkingTime>>();
    // the lead-less mode's built-in rule, made when missing and read once a workspace for the batch
    const builtInOf = new Map<number, Promise<repo.RobotRow[]>>();
    const builtIn = (ws: number) => {
      let p = builtInOf.get(ws);
      if (!p) builtInOf.set(ws, (p = ensureBuiltInRobots(trx, this.deps, this.clock, ws).then((rows) => rows.filter((r) => r.entity_type === 'lead' && r.enabled === 1))));
      return p;
    };

    for (const en of entries) {
      const ws = en.event.workspaceId;
      await this.leave(trx, en, now);
      if (en.stageId === null) continue;
      let robots = robotsByStage.get(`${ws}:${en.entity}:${en.stageId}`) ?? [];
      // the lead-less mode: a new lead, in whatever status, is converted by the built-in rule first
      if (en.entity === 'lead' && en.event.kind === 'created' && (await settings(ws)).crmMode === 'without_leads') {
        robots = [...(await builtIn(ws)), ...robots];
      }
      if (robots.length === 0) continue;
      const timeZone = (await settings(ws)).timeZone;
      const workingTime = () => {
        let c = calendars.get(ws);
        if (!c) calendars.set(ws, (c = this.deps.workingCalendar.workingTime(trx, ws)));
        return c;
      };
      const from = Date.parse(en.event.createdAt);
      const needsValues = robots.some((r) => (JSON.parse(r.timing) as { kind: string }).kind === 'field');
      const values = needsValues ? await this.values(trx, ws, en.entity, en.entityId) : {};
      const planned: Array<{ robot: repo.RobotRow; due: number | 'after_previous' | null }> = [];
      for (const robot of robots) {
        const timing = timingSchema.safeParse(JSON.parse(robot.timing));
        planned.push({ robot, due: timing.success ? await dueAt(timing.data, { from, timeZone, values, workingTime }) : from });
      }
      const inserted = await repo.insertRuns(
        trx,
        planned.map(({ robot, due }) => ({
          workspace_id: ws,
          robot_id: robot.id,
          robot_type: robot.type,
          robot_name: robot.name,
          entity_type: en.entity,
          entity_id: en.entityId,
          stage_id: en.stageId!,
          entry_id: en.event.id,
          status: due === null ? 'skipped' : 'waiting',
          due_at: typeof due === 'number' ? new Date(due).toISOString() : null,
          reason: due === null ? 'the date field of its timing is empty' : null,
          finished_at: due === null ? now : null,
          created_at: now,
          updated_at: now,
        })),
      );
      if (inserted.length === 0) continue; // a replay: everything was made the first time
      const runOf = new Map(inserted.map((r) => [r.robot_id, r]));
      // after_previous waits for the run of the robot before it in the stage; the first robot, or one
      // after a robot that was skipped at once (an empty date field), is due when the record entered
      const dueNow = new Set<number>();
      for (let i = 0; i < planned.length; i++) {
        const p = planned[i]!;
        const run = runOf.get(p.robot.id);
        if (!run || p.due !== 'after_previous') continue;
        const prev = i > 0 ? runOf.get(planned[i - 1]!.robot.id) : undefined;
        if (prev?.status === 'waiting') await repo.updateRun(trx, run.id, { after_run_id: prev.id });
        else {
          await repo.updateRun(trx, run.id, { due_at: new Date(from).toISOString() });
          dueNow.add(run.id);
        }
      }
      const toEnqueue = planned
        .map(({ robot, due: d }) => {
          const run = runOf.get(robot.id);
          return { robot, run, at: d === 'after_previous' ? (run && dueNow.has(run.id) ? from : null) : d };
        })
        .filter((x): x is { robot: repo.RobotRow; run: repo.RunRow; at: number } => !!x.run && typeof x.at === 'number' && x.run.status === 'waiting');
      await this.enqueue(trx, ws, toEnqueue.map(({ robot, run, at }) => ({ robotType: robot.type, run, at })));
    }
  }

  async enqueue(trx: Transaction<Database>, ws: number, items: Array<{ robotType: string; run: repo.RunRow; at: number }>): Promise<void> {
    const internal = items.filter((x) => this.registry.get(x.robotType)?.effect !== 'external');
    const external = items.filter((x) => this.registry.get(x.robotType)?.effect === 'external');
    for (const [list, kind] of [
      [internal, robotJobKindFor('internal')],
      [external, robotJobKindFor('external')],
    ] as const) {
      if (list.length === 0) continue;
      await this.deps.jobs.enqueueMany(
        trx,
        kind,
        list.map(({ run, at }) => ({ args: { runId: run.id }, runAt: new Date(at), uniqueKey: jobKeyOf(run), workspaceId: ws })),
      );
    }
  }

  /** The record left the stage it was in: its waiting runs of earlier entries are cancelled, unless their robot keeps them. */
  private async leave(trx: Transaction<Database>, en: Entry, now: string): Promise<void> {
    const waiting = await repo.waitingRunsOfRecord(trx, en.event.workspaceId, en.entity, en.entityId, en.stageId === null ? null : en.event.id);
    if (waiting.length === 0) return;
    const keep = new Set<number>();
    if (en.stageId !== null) {
      for (const run of waiting) {
        const robot = await repo.findRobot(trx, en.event.workspaceId, run.robot_id);
        if (robot?.leave_policy === 'keep') keep.add(run.id);
      }
    }
    for (const run of waiting) {
      if (keep.has(run.id)) continue;
      const reason = en.stageId === null ? 'the record was deleted' : 'the record left the stage';
      await repo.updateRun(trx, run.id, { status: 'cancelled', reason, finished_at: now, updated_at: now });
      await this.deps.jobs.cancel(trx, { uniqueKey: jobKeyOf(run) });
    }
  }

  private async values(trx: Transaction<Database>, ws: number, entity: 'deal' | 'lead', id: number) {
    const actor = robotActor(ws, await this.deps.users.systemUserId(trx, ws), { id: 0, name: '' });
    const record = await loadRecord(this.deps, trx, actor, entity, id, { client: false, responsible: false }).catch(() => null);
    return record?.values ?? {};
  }
}
