import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// Pure normalisation of phones and e-mails (contacts, companies, leads and deal search use it). The normalised value is what duplicates are
// matched on and what list search (q) finds, so both sides of a comparison go through here.

export const PHONE_TYPES = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export const EMAIL_TYPES = ['work', 'home', 'other'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];
export type EmailType = (typeof EMAIL_TYPES)[number];

export const PHONE_MAX_LENGTH = 50;
export const EMAIL_MAX_LENGTH = 254;

/** E.164 (`+79161234567`) or null when the text is not a valid number. Local numbers are read in defaultRegion. */
export function normalizePhone(raw: string, defaultRegion: CountryCode = 'RU'): string | null {
  const text = raw.trim();
  if (text === '' || text.length > PHONE_MAX_LENGTH) return null;
  // Letters would be read as a vanity keypad number ("8-800-FLOWERS"); in a CRM they are typos.
  if (/\p{L}/u.test(text.replace(/(доб|ext|x)\.?\s*\d+\s*$/iu, ''))) return null;
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Trimmed and lower-cased, or null when it does not look like an e-mail address. */
export function normalizeEmail(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  if (text.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(text)) return null;
  return text;
}

/** What search_text holds for a phone: the E.164 form and its bare digits, so "+7916…" and "7916…" both match. */
export function phoneSearchTerms(normalized: string): string[] {
  return [normalized, normalized.replace(/^\+/, '')];
}

/** A search box entry that is a phone number also matches in its normalised digits ("8 (916) 123-45" style input). */
export function phoneQueryDigits(q: string): string | null {
  const normalized = normalizePhone(q);
  return normalized ? normalized.replace(/^\+/, '') : null;
}

/** Digits and what people type around them in a phone number. */
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * What a search box entry is looked for as in search_text (names and e-mails lower-cased, phones
 * as E.164 and bare digits): the text itself, lower-cased; and when it reads as a phone number or
 * a piece of one ("+7 (912) 345-67-89", "8 912 345", "912 345"), its digits, those digits with a
 * leading trunk 8 read as the country code 7 ("8 912 345" → "7912345"), and the E.164 digits of a
 * whole number. Any one of them found is a match.
 */
export function searchNeedles(q: string): string[] {
  const text = q.trim().toLowerCase();
  const needles = new Set([text]);
  const digits = text.replace(/\D/g, '');
  if (PHONE_LIKE.test(text) && digits.length >= 3) {
    needles.add(digits);
    if (text.startsWith('8') && digits.length >= 5) needles.add('7' + digits.slice(1));
    const whole = phoneQueryDigits(text);
    if (whole) needles.add(whole);
  }
  return [...needles];
}

/** The case-insensitive key of a name: JS lower-casing (SQLite's lower() knows ASCII only). */
export function nameKey(parts: Array<string | null | undefined>): string {
  return parts
    .map((p) => (p ?? '').trim().toLowerCase().replace(/ё/g, 'е'))
    .filter((p) => p !== '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
