import { z } from 'zod';
import { defineRobotType } from '../robot-type.js';
import { checkUsers, peopleSchema, resolvePeople } from './people.js';

/** «Уведомить сотрудника»: an in-app notification (and an e-mail for those who want one) to the responsible, named users or the head. */
export const notifyEmployee = defineRobotType({
  type: 'notify',
  title: { ru: 'Уведомить сотрудника', en: 'Notify an employee' },
  description: {
    ru: 'Уведомление ответственному, выбранным сотрудникам или руководителю отдела ответственного',
    en: 'A notification to the responsible, chosen users or the head of the responsible’s department',
  },
  entities: ['deal', 'lead'],
  effect: 'internal',
  texts: ['text'],
  params: z.strictObject({ to: peopleSchema.default({ kind: 'responsible' }), text: z.string().trim().min(1).max(2_000) }),
  async check(exec, ws, p, deps) {
    return p.to.kind === 'users' ? checkUsers(exec, ws, p.to.userIds, deps, 'params.to.userIds') : [];
  },
  async run(ctx) {
    const { record, exec } = ctx;
    const userIds = await resolvePeople(exec, ctx.workspace.id, ctx.params.to, record.responsibleId, ctx.deps);
    const text = ctx.render(ctx.params.text);
    if (ctx.dryRun) return { summary: `would notify ${userIds.length} user(s)`, details: { userIds, text } };
    await ctx.deps.notifications.notify(exec, ctx.workspace.id, userIds, {
      kind: 'robot',
      title: text,
      body: `${ctx.robot.name} · ${record.title}`,
      entity: { type: record.entityType, id: record.id },
      dedupeKey: ctx.run.key,
      // an e-mail copy for those who want robot notifications by e-mail (notifications/notification-mail.ts)
      email: true,
    });
    return { summary: `notified ${userIds.length} user(s)`, details: { userIds, text } };
  },
});
