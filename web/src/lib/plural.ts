// Plural categories by Intl.PluralRules — the same rules i18next applies to `key_one/_few/_many/_other`.
// Use i18n keys with `count` for interface texts; this is for the rare place outside translations.

const rules = new Map<string, Intl.PluralRules>();

/** 1 → "one", 2 → "few", 5 → "many", 1.5 → "other" in Russian; 1 → "one", 5 → "other" in English. */
export function pluralCategory(count: number, locale: string): Intl.LDMLPluralRule {
  let r = rules.get(locale);
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale.startsWith('ru') ? 'ru' : 'en')));
  return r.select(count);
}

/** Picks a form: `pluralForm(5, 'ru', { one: 'сделка', few: 'сделки', many: 'сделок' })` → "сделок". */
export function pluralForm(count: number, locale: string, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other?: string }): string {
  const category = pluralCategory(count, locale);
  return forms[category] ?? forms.other ?? forms.many ?? Object.values(forms)[0] ?? '';
}
