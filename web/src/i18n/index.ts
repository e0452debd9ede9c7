import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import ru from './ru.json';
import en from './en.json';

// One namespace ("translation"), keys grouped by area: app.*, nav.*, common.*, count.*, errors.*,
// and one group per screen (board.*, dealCard.*, leads.*, …). Russian is the default and the
// fallback. Plural keys use i18next's suffixes (_one/_few/_many/_other, chosen by Intl.PluralRules):
// t('count.deals', { count: 5 }) → «5 сделок».

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const resources = { ru: { translation: ru }, en: { translation: en } } as const;

const STORAGE_KEY = 'voronka.locale';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Before the user is known (the log-in page): the last choice made in this browser, else the
 * browser's own language when it is one of ours (an English browser gets English), else Russian.
 * Once logged in, the user's profile decides (session.ts).
 */
function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage unavailable (private mode): go by the browser
  }
  const browser = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  const first = browser.map((tag) => tag.slice(0, 2).toLowerCase()).find(isLanguage);
  return first ?? 'ru';
}

/** Switches the interface language (no server call; see useSetLanguage for the per-user setting). */
export async function applyLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // ignore
  }
  document.documentElement.lang = lng;
  if (i18n.language !== lng) await i18n.changeLanguage(lng);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'ru',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});
document.documentElement.lang = i18n.language;

export default i18n;
