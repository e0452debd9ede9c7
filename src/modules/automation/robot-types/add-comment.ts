import { z } from 'zod';
import { defineRobotType } from '../robot-type.js';

/** «Добавить комментарий»: a comment in the record's timeline, written by the robot. */
export const addComment = defineRobotType({
  type: 'add_comment',
  title: { ru: 'Добавить комментарий', en: 'Add a comment' },
  description: { ru: 'Комментарий в истории записи', en: 'A comment in the record’s timeline' },
  entities: ['deal', 'lead'],
  effect: 'internal',
  texts: ['text'],
  params: z.strictObject({ text: z.string().trim().min(1).max(20_000) }),
  async run(ctx) {
    const text = ctx.render(ctx.params.text);
    if (ctx.dryRun) return { summary: 'would add a comment', details: { text } };
    await ctx.deps.timeline.record(ctx.exec, ctx.workspace.id, ctx.actor, { entityType: ctx.record.entityType, entityId: ctx.record.id, kind: 'comment', data: { text } });
    return { summary: 'added a comment', details: { text } };
  },
});
