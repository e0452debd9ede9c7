import { z } from 'zod';
import { ACTIVITY_TYPES } from '../../activities/activities.schema.js';
import { defineRobotType } from '../robot-type.js';
import { dueAt, timingSchema } from '../timing.js';
import { checkUsers, personSchema, resolvePerson } from './people.js';

const TYPE_NAMES = { call: 'call', meeting: 'meeting', email: 'e-mail', task: 'task' } as const;

// A deadline relative to the run (in working time if asked) or to a date field of the record.
const deadlineSchema = z.union([timingSchema.options[1], timingSchema.options[2]]);

/** «Запланировать дело»: a call, meeting, e-mail or task for the responsible, a named user or the head, with a deadline. */
export const planActivity = defineRobotType({
  type: 'plan_activity',
  title: { ru: 'Запланировать дело', en: 'Plan an activity' },
  description: {
    ru: 'Звонок, встреча, письмо или задача ответственному, выбранному сотруднику или руководителю, со сроком',
    en: 'A call, meeting, e-mail or task for the responsible, a chosen user or the head, with a deadline',
  },
  entities: ['deal', 'lead'],
  effect: 'internal',
  texts: ['subject', 'description'],
  params: z.strictObject({
    activityType: z.enum(ACTIVITY_TYPES),
    subject: z.string().trim().min(1).max(500),
    description: z.string().max(20_000).nullable().default(null),
    assignee: personSchema.default({ kind: 'responsible' }),
    deadline: deadlineSchema.nullable().default(null),
  }),
  async check(exec, ws, p, deps) {
    return p.assignee.kind === 'user' ? checkUsers(exec, ws, [p.assignee.userId], deps, 'params.assignee.userId') : [];
  },
  async run(ctx) {
    const { params: p, record, exec } = ctx;
    const responsibleId = await resolvePerson(exec, ctx.workspace.id, p.assignee, record.responsibleId, ctx.deps);
    const now = ctx.clock.now().getTime();
    const due = p.deadline
      ? await dueAt(p.deadline, { from: now, timeZone: ctx.workspace.timeZone, values: record.values, workingTime: () => ctx.deps.workingCalendar.workingTime(exec, ctx.workspace.id) })
      : null;
    const deadlineAt = typeof due === 'number' ? new Date(due).toISOString() : null;
    const subject = ctx.render(p.subject).slice(0, 500) || p.subject;
    const description = p.description ? ctx.render(p.description) : null;
    const details = { activityType: p.activityType, subject, description, responsibleId, deadlineAt };
    if (ctx.dryRun) return { summary: `would plan a ${TYPE_NAMES[p.activityType]} «${subject}»`, details };
    const activity = await ctx.deps.activities.create(
      ctx.actor,
      { type: p.activityType, subject, description, responsibleId, deadlineAt, entityType: record.entityType, entityId: record.id },
      exec,
    );
    return { summary: `planned a ${TYPE_NAMES[p.activityType]} «${subject}»`, links: [{ entityType: 'activity', id: activity.id, label: subject }], details };
  },
});
