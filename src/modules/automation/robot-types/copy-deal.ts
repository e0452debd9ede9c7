import { z } from 'zod';
import { defineRobotType, RobotSkip } from '../robot-type.js';

/**
 * «Скопировать сделку» (a repeat sale): a new deal in a stage of another (or the same) pipeline
 * with this deal's title, money, client, responsible, observers, tags and custom fields; delay it
 * with the robot's timing. The copy enters its stage like any new deal, so that stage's robots run.
 */
export const copyDeal = defineRobotType({
  type: 'copy_deal',
  title: { ru: 'Скопировать сделку', en: 'Copy the deal' },
  description: { ru: 'Новая сделка с теми же клиентом и суммой на стадии другой воронки (повторная продажа)', en: 'A new deal with the same client and amount in a stage of another pipeline (a repeat sale)' },
  entities: ['deal'],
  effect: 'internal',
  texts: ['title'],
  params: z.strictObject({
    stageId: z.int().positive(),
    /** the copy's title; the deal's own when absent */
    title: z.string().trim().min(1).max(500).nullable().default(null),
  }),
  async check(exec, ws, p, deps) {
    return (await deps.pipelines.getStage(exec, ws, p.stageId)) ? [] : [{ path: 'params.stageId', message: `stage ${p.stageId} does not exist` }];
  },
  async run(ctx) {
    const stage = await ctx.deps.pipelines.getStage(ctx.exec, ctx.workspace.id, ctx.params.stageId);
    if (!stage) throw new RobotSkip(`stage ${ctx.params.stageId} does not exist`);
    const d = ctx.record.raw as {
      title: string; amount: number; currency: string; responsibleId: number; observerIds: number[]; contactIds: number[]; companyId: number | null;
      sourceId: number | null; tags: string[]; custom: Record<string, unknown>; comment: string | null;
    };
    const title = ctx.params.title ? ctx.render(ctx.params.title).slice(0, 500) : d.title;
    if (ctx.dryRun) return { summary: `would copy the deal to «${stage.name}» as «${title}»`, details: { stageId: stage.id, title } };
    const copy = await ctx.deps.deals.create(
      ctx.actor,
      {
        title,
        amount: d.amount,
        currency: d.currency,
        responsibleId: d.responsibleId,
        observerIds: d.observerIds,
        contactIds: d.contactIds,
        companyId: d.companyId,
        sourceId: d.sourceId,
        tags: d.tags,
        comment: d.comment,
        custom: d.custom,
        pipelineId: stage.pipelineId,
        stageId: stage.id,
      },
      ctx.exec,
    );
    return { summary: `copied the deal to «${stage.name}»`, links: [{ entityType: 'deal', id: copy.id, label: copy.title }], details: { stageId: stage.id, title } };
  },
});
