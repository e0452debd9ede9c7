import type { Executor } from '../../server/context.js';

export const REFERENCE_KINDS = ['sources', 'loss-reasons', 'contact-types', 'company-types', 'industries', 'lead-statuses'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const LEAD_STATUS_SEMANTICS = ['in_progress', 'converted', 'junk'] as const;

/** What a new workspace starts with; every list is editable afterwards. */
const DEFAULTS: Record<ReferenceKind, Array<string | [string, string]>> = {
  sources: ['Звонок', 'Веб-сайт', 'E-mail', 'Рекомендация', 'Выставка', 'Реклама', 'Другое'],
  'loss-reasons': ['Дорого', 'Выбрали конкурента', 'Нет потребности', 'Не выходит на связь', 'Другое'],
  'contact-types': ['Клиент', 'Поставщик', 'Партнёр', 'Другое'],
  'company-types': ['Клиент', 'Поставщик', 'Партнёр', 'Конкурент', 'Другое'],
  industries: ['Торговля', 'Производство', 'ИТ', 'Услуги', 'Строительство', 'Другое'],
  'lead-statuses': [
    ['Новый', 'in_progress'],
    ['В работе', 'in_progress'],
    ['Сконвертирован', 'converted'],
    ['Некачественный', 'junk'],
  ],
};

export async function seedReferenceLists(trx: Executor, workspaceId: number, now: string): Promise<void> {
  const rows = REFERENCE_KINDS.flatMap((kind) =>
    DEFAULTS[kind].map((item, i) => {
      const [name, semantic] = Array.isArray(item) ? item : [item, null];
      return { workspace_id: workspaceId, kind, name, sort: (i + 1) * 10, semantic, active: 1, created_at: now, updated_at: now };
    }),
  );
  await trx.insertInto('reference_items').values(rows).execute();
}
