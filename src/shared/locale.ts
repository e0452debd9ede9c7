/** The languages a workspace's default data comes in (`workspaces.locale`); Russian unless told otherwise. */
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ru';

/** A default name in every language: one table row per item keeps the translations side by side. */
export type Localized = Readonly<Record<Locale, string>>;

export const isLocale = (value: unknown): value is Locale => (LOCALES as readonly unknown[]).includes(value);

/** A stored or configured language as one we have defaults for; anything else falls back to Russian. */
export const asLocale = (value: string | null | undefined): Locale => (isLocale(value) ? value : DEFAULT_LOCALE);

/**
 * Reads a language given by a person (`--locale`, `VORONKA_LOCALE`): unset means Russian, a typo is an
 * error naming the choices rather than a workspace quietly seeded in the wrong language.
 */
export function parseLocale(source: string, value: string | undefined): Locale {
  if (value === undefined || value.trim() === '') return DEFAULT_LOCALE;
  const v = value.trim().toLowerCase();
  if (isLocale(v)) return v;
  throw new Error(`${source} must be one of ${LOCALES.join(', ')}, got "${value}"`);
}
