import type { Executor } from '../../server/context.js';
import type { Locale, Localized } from '../../shared/locale.js';

export type StageSemantic = 'in_progress' | 'success' | 'failure';
export interface StageDefault {
  name: string;
  color: string;
  semantic: StageSemantic;
}

const DEFAULT_PIPELINE_NAME: Localized = { ru: 'Общая', en: 'General' };

/** The seed's stages: created → in progress → proposal/invoice sent → won, or lost. `basic`: also a new pipeline's. */
const STAGES: Array<{ name: Localized; color: string; semantic: StageSemantic; basic: boolean }> = [
  { name: { ru: 'Новая', en: 'New' }, color: '#39a8ef', semantic: 'in_progress', basic: true },
  { name: { ru: 'В работе', en: 'In progress' }, color: '#2fc6f6', semantic: 'in_progress', basic: true },
  { name: { ru: 'Предложение/счёт отправлен', en: 'Proposal/invoice sent' }, color: '#ffa900', semantic: 'in_progress', basic: false },
  { name: { ru: 'Успешно', en: 'Won' }, color: '#7bd500', semantic: 'success', basic: true },
  { name: { ru: 'Провалена', en: 'Lost' }, color: '#ff5752', semantic: 'failure', basic: true },
];

const inLocale = (locale: Locale, basicOnly: boolean): StageDefault[] =>
  STAGES.filter((s) => !basicOnly || s.basic).map((s) => ({ name: s.name[locale], color: s.color, semantic: s.semantic }));

/** The default pipeline's stages in a new workspace. */
export const defaultStages = (locale: Locale): StageDefault[] => inLocale(locale, false);

/** What a pipeline created through the API without stages starts with. */
export const basicStages = (locale: Locale): StageDefault[] => inLocale(locale, true);

export async function createDefaultPipeline(trx: Executor, workspaceId: number, now: string, locale: Locale): Promise<number> {
  const pipeline = await trx
    .insertInto('pipelines')
    .values({ workspace_id: workspaceId, name: DEFAULT_PIPELINE_NAME[locale], sort: 10, is_default: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('stages')
    .values(
      defaultStages(locale).map((s, i) => ({
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
