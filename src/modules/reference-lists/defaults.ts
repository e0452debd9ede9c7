import type { Executor } from '../../server/context.js';
import type { Locale, Localized } from '../../shared/locale.js';

export const REFERENCE_KINDS = ['sources', 'loss-reasons', 'contact-types', 'company-types', 'industries', 'lead-statuses'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export const LEAD_STATUS_SEMANTICS = ['in_progress', 'converted', 'junk'] as const;

/** What a new workspace starts with, in each language; every list is editable afterwards. */
const DEFAULTS: Record<ReferenceKind, Array<Localized | [Localized, string]>> = {
  sources: [
    { ru: 'Звонок', en: 'Call' },
    { ru: 'Веб-сайт', en: 'Website' },
    { ru: 'E-mail', en: 'E-mail' },
    { ru: 'Рекомендация', en: 'Referral' },
    { ru: 'Выставка', en: 'Trade show' },
    { ru: 'Реклама', en: 'Advertising' },
    { ru: 'Другое', en: 'Other' },
  ],
  'loss-reasons': [
    { ru: 'Дорого', en: 'Too expensive' },
    { ru: 'Выбрали конкурента', en: 'Chose a competitor' },
    { ru: 'Нет потребности', en: 'No need' },
    { ru: 'Не выходит на связь', en: 'Not responding' },
    { ru: 'Другое', en: 'Other' },
  ],
  'contact-types': [
    { ru: 'Клиент', en: 'Client' },
    { ru: 'Поставщик', en: 'Supplier' },
    { ru: 'Партнёр', en: 'Partner' },
    { ru: 'Другое', en: 'Other' },
  ],
  'company-types': [
    { ru: 'Клиент', en: 'Client' },
    { ru: 'Поставщик', en: 'Supplier' },
    { ru: 'Партнёр', en: 'Partner' },
    { ru: 'Конкурент', en: 'Competitor' },
    { ru: 'Другое', en: 'Other' },
  ],
  industries: [
    { ru: 'Торговля', en: 'Trade' },
    { ru: 'Производство', en: 'Manufacturing' },
    { ru: 'ИТ', en: 'IT' },
    { ru: 'Услуги', en: 'Services' },
    { ru: 'Строительство', en: 'Construction' },
    { ru: 'Другое', en: 'Other' },
  ],
  'lead-statuses': [
    [{ ru: 'Новый', en: 'New' }, 'in_progress'],
    [{ ru: 'В работе', en: 'In progress' }, 'in_progress'],
    [{ ru: 'Сконвертирован', en: 'Converted' }, 'converted'],
    [{ ru: 'Некачественный', en: 'Junk' }, 'junk'],
  ],
};

/** A list's default items in a language, in order: `{ name, semantic }` (semantic only for lead statuses). */
export function defaultReferenceItems(kind: ReferenceKind, locale: Locale): Array<{ name: string; semantic: string | null }> {
  return DEFAULTS[kind].map((item) => {
    const [name, semantic] = Array.isArray(item) ? item : [item, null];
    return { name: name[locale], semantic };
  });
}

export async function seedReferenceLists(trx: Executor, workspaceId: number, now: string, locale: Locale): Promise<void> {
  const rows = REFERENCE_KINDS.flatMap((kind) =>
    defaultReferenceItems(kind, locale).map(({ name, semantic }, i) => ({
      workspace_id: workspaceId,
      kind,
      name,
      sort: (i + 1) * 10,
      semantic,
      active: 1,
      created_at: now,
      updated_at: now,
    })),
  );
  await trx.insertInto('reference_items').values(rows).execute();
}
