import type { Executor } from '../../server/context.js';

export type StageSemantic = 'in_progress' | 'success' | 'failure';

/** The seed's stages: created → in progress → proposal/invoice sent → won, or lost. */
export const DEFAULT_STAGES: Array<{ name: string; color: string; semantic: StageSemantic }> = [
  { name: 'Новая', color: '#39a8ef', semantic: 'in_progress' },
  { name: 'В работе', color: '#2fc6f6', semantic: 'in_progress' },
  { name: 'Предложение/счёт отправлен', color: '#ffa900', semantic: 'in_progress' },
  { name: 'Успешно', color: '#7bd500', semantic: 'success' },
  { name: 'Провалена', color: '#ff5752', semantic: 'failure' },
];

/** What a pipeline created through the API without stages starts with. */
export const BASIC_STAGES: Array<{ name: string; color: string; semantic: StageSemantic }> = [
  { name: 'Новая', color: '#39a8ef', semantic: 'in_progress' },
  { name: 'В работе', color: '#2fc6f6', semantic: 'in_progress' },
  { name: 'Успешно', color: '#7bd500', semantic: 'success' },
  { name: 'Провалена', color: '#ff5752', semantic: 'failure' },
];

export async function createDefaultPipeline(trx: Executor, workspaceId: number, now: string): Promise<number> {
  const pipeline = await trx
    .insertInto('pipelines')
    .values({ workspace_id: workspaceId, name: 'Общая', sort: 10, is_default: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('stages')
    .values(
      DEFAULT_STAGES.map((s, i) => ({
        workspace_id: workspaceId,
        pipeline_id: pipeline.id,
        name: s.name,
        color: s.color,
        semantic: s.semantic,
        sort: (i + 1) * 10,
        requires_loss_reason: s.semantic === 'failure' ? 1 : 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  return pipeline.id;
}
