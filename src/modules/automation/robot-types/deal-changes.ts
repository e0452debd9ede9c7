import { z } from 'zod';
import { dealPatchBody } from '../../deals/deals.schema.js';
import { defineRobotType, RobotSkip } from '../robot-type.js';
import { checkUsers } from './people.js';

// Robots that change the deal itself. Each goes through the deals service with the robot as the
// actor, in the job's transaction: the same checks, history and timeline as a person's change, and
// a stage change brings the target stage's robots in (the outbox sees the move like any other).

const raw = (ctx: { record: { raw: Record<string, unknown> } }) => ctx.record.raw as { version: number; responsibleId: number; observerIds: number[]; stageId: number };

/** «Сменить стадию» / «Сменить воронку»: moves the deal to a stage (of this or another pipeline). */
export const changeStage = defineRobotType({
  type: 'change_stage',
  title: { ru: 'Сменить стадию', en: 'Change the stage' },
  description: { ru: 'Переводит сделку на стадию этой или другой воронки', en: 'Moves the deal to a stage of this or another pipeline' },
  entities: ['deal'],
  effect: 'internal',
  params: z.strictObject({ stageId: z.int().positive(), lossReasonId: z.int().positive().nullable().default(null) }),
  async check(exec, ws, p, deps) {
    return (await deps.pipelines.getStage(exec, ws, p.stageId)) ? [] : [{ path: 'params.stageId', message: `stage ${p.stageId} does not exist` }];
  },
  async run(ctx) {
    const target = await ctx.deps.pipelines.getStage(ctx.exec, ctx.workspace.id, ctx.params.stageId);
    if (!target) throw new RobotSkip(`stage ${ctx.params.stageId} does not exist`);
    if (ctx.record.stageId === target.id) return { summary: `already in «${target.name}»` };
    if (ctx.dryRun) return { summary: `would move the deal to «${target.name}»`, details: { stageId: target.id } };
    await ctx.deps.deals.move(ctx.actor, ctx.record.id, { stageId: target.id, lossReasonId: ctx.params.lossReasonId, version: raw(ctx).version }, ctx.exec);
    return { summary: `moved the deal to «${target.name}»`, details: { stageId: target.id, pipelineId: target.pipelineId } };
  },
});

/**
 * «Сменить ответственного»: a fixed user, or the next of a pool (round-robin or least loaded), skipping
 * inactive users. The pool is a list of users, or the members of a department (its active users at
 * the time of the run, with its sub-departments when asked).
 */
export const changeResponsible = defineRobotType({
  type: 'change_responsible',
  title: { ru: 'Сменить ответственного', en: 'Change the responsible' },
  description: {
    ru: 'Назначает сотрудника или распределяет по списку: по очереди или самому свободному',
    en: 'Assigns a user, or distributes over a list: in turn or to the least loaded',
  },
  entities: ['deal'],
  effect: 'internal',
  params: z.strictObject({
    /** the pool: these users, in this order… */
    userIds: z.array(z.int().positive()).max(100).default([]),
    /** …or the active users of this department (by id), instead of a list */
    departmentId: z.int().positive().nullable().default(null),
    /** with the department: also the users of its sub-departments */
    includeSubdepartments: z.boolean().default(false),
    /** fixed: the first active user of the pool; round_robin: in turn; least_loaded: the one with the fewest open deals */
    mode: z.enum(['fixed', 'round_robin', 'least_loaded']).default('fixed'),
  }).check((c) => {
    const p = c.value;
    if (p.departmentId !== null && p.userIds.length > 0) c.issues.push({ code: 'custom', path: ['departmentId'], message: 'name either users or a department, not both', input: p });
    if (p.departmentId === null && p.userIds.length === 0) c.issues.push({ code: 'custom', path: ['userIds'], message: 'name at least one user, or a department', input: p });
    if (p.departmentId === null && p.includeSubdepartments) c.issues.push({ code: 'custom', path: ['includeSubdepartments'], message: 'applies to a department only', input: p });
  }),
  async check(exec, ws, p, deps) {
    if (p.departmentId !== null) {
      const members = await deps.users.departmentMemberIds(exec, ws, p.departmentId, p.includeSubdepartments);
      if (members === null) return [{ path: 'params.departmentId', message: `department ${p.departmentId} does not exist` }];
      return members.length === 0 ? [{ path: 'params.departmentId', message: `department ${p.departmentId} has no active users${p.includeSubdepartments ? ' (sub-departments included)' : ''}` }] : [];
    }
    const problems = await checkUsers(exec, ws, p.userIds, deps, 'params.userIds');
    return problems.length === p.userIds.length ? problems : []; // inactive users are skipped while one is left
  },
  async run(ctx) {
    const { exec, params: p } = ctx;
    const ws = ctx.workspace.id;
    let candidates: number[];
    if (p.departmentId !== null) {
      const members = await ctx.deps.users.departmentMemberIds(exec, ws, p.departmentId, p.includeSubdepartments);
      if (members === null) throw new RobotSkip(`department ${p.departmentId} does not exist`);
      candidates = members;
      if (candidates.length === 0) throw new RobotSkip('the department has no active users');
    } else {
      const active = new Set(await ctx.deps.users.activeUserIds(exec, ws, p.userIds));
      candidates = p.userIds.filter((id) => active.has(id));
      if (candidates.length === 0) throw new RobotSkip('none of its users is active');
    }
    let chosen = candidates[0]!;
    if (p.mode === 'round_robin') {
      // the turn is the number of this robot's runs before this one: stable across processes,
      // restarts and runs going at once
      const turn = await ctx.turn();
      chosen = candidates[turn % candidates.length]!;
    } else if (p.mode === 'least_loaded') {
      const load = await ctx.deps.deals.openDealsPerResponsible(exec, ws, candidates);
      chosen = [...candidates].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b)[0]!;
    }
    if (chosen === ctx.record.responsibleId) return { summary: 'the responsible is already the chosen user', details: { responsibleId: chosen } };
    if (ctx.dryRun) return { summary: `would make user ${chosen} responsible`, details: { responsibleId: chosen } };
    await ctx.deps.deals.update(ctx.actor, ctx.record.id, { responsibleId: chosen }, raw(ctx).version, exec);
    return { summary: `made user ${chosen} responsible`, details: { responsibleId: chosen } };
  },
});

const settable = dealPatchBody.pick({ title: true, amount: true, closeDate: true, probability: true, tags: true, comment: true, sourceId: true, custom: true });

/** «Изменить поля»: sets fields of the deal (custom fields too), checked as any change of the deal. */
export const setFields = defineRobotType({
  type: 'set_fields',
  title: { ru: 'Изменить поля', en: 'Set fields' },
  description: { ru: 'Записывает значения полей сделки, в том числе пользовательских', en: 'Sets field values of the deal, custom fields too' },
  entities: ['deal'],
  effect: 'internal',
  params: z.strictObject({ values: settable.refine((v) => Object.keys(v).length > 0, 'name at least one field') }),
  async run(ctx) {
    const fields = Object.keys(ctx.params.values);
    if (ctx.dryRun) return { summary: `would set ${fields.join(', ')}`, details: { values: ctx.params.values } };
    await ctx.deps.deals.update(ctx.actor, ctx.record.id, ctx.params.values, raw(ctx).version, ctx.exec);
    return { summary: `set ${fields.join(', ')}`, details: { values: ctx.params.values } };
  },
});

/** «Наблюдатели»: adds or removes observers of the deal. */
export const changeObservers = defineRobotType({
  type: 'change_observers',
  title: { ru: 'Добавить или убрать наблюдателей', en: 'Add or remove observers' },
  description: { ru: 'Добавляет или убирает наблюдателей сделки', en: 'Adds or removes observers of the deal' },
  entities: ['deal'],
  effect: 'internal',
  params: z.strictObject({ add: z.array(z.int().positive()).max(50).default([]), remove: z.array(z.int().positive()).max(50).default([]) }),
  async check(exec, ws, p, deps) {
    return checkUsers(exec, ws, p.add, deps, 'params.add');
  },
  async run(ctx) {
    const before = raw(ctx).observerIds;
    const next = [...new Set([...before.filter((id) => !ctx.params.remove.includes(id)), ...ctx.params.add])];
    if (JSON.stringify(next) === JSON.stringify(before)) return { summary: 'the observers were already so' };
    if (ctx.dryRun) return { summary: 'would change the observers', details: { observerIds: next } };
    await ctx.deps.deals.update(ctx.actor, ctx.record.id, { observerIds: next }, raw(ctx).version, ctx.exec);
    return { summary: 'changed the observers', details: { observerIds: next } };
  },
});
