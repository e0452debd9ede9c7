// Locale-aware formatting of money, numbers, dates and times. Pure functions (no React, no i18n
// instance), so they are unit-tested in node; components use the bound versions from useFormat().
//
// The API sends money as an integer number of minor units plus an ISO 4217 code, times as UTC ISO
// strings and calendar dates as `YYYY-MM-DD` (see API.md). Formatting never goes through a float
// division: the minor units are turned into an exact decimal string first.

export type AppLocale = 'ru' | 'en';

/** The BCP 47 tag used for Intl formatting of an interface language. */
export function intlLocale(locale: string): string {
  if (locale.startsWith('ru')) return 'ru-RU';
  // English interface for a Russian-market product: day-first dates, 24-hour time.
  return 'en-GB';
}

// Building an Intl formatter costs far more than using one, and a board formats hundreds of values.
const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(intlLocale(locale), options));
}
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(intlLocale(locale), options));
}

/** How many minor units a currency has (RUB, USD: 2; JPY: 0; BHD: 3). */
export function currencyDigits(currency: string): number {
  return cached(`digits|${currency}`, () => {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      return 2;
    }
  });
}

/** An integer amount of minor units as an exact decimal string: 123456, 2 → "1234.56". */
export function minorToDecimalString(amountMinor: number | bigint, digits: number): string {
  let big = typeof amountMinor === 'bigint' ? amountMinor : BigInt(Math.trunc(amountMinor));
  const negative = big < 0n;
  if (negative) big = -big;
  const s = big.toString().padStart(digits + 1, '0');
  const int = digits ? s.slice(0, -digits) : s;
  const frac = digits ? s.slice(-digits) : '';
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

export interface MoneyOptions {
  /** drop the kopecks when they are zero: «1 500 ₽» instead of «1 500,00 ₽» (for boards and totals) */
  compactZeroFraction?: boolean;
}

/**
 * `formatMoney(123456789, 'RUB', 'ru')` → «1 234 567,89 ₽» (with non-breaking spaces);
 * in English «₽1,234,567.89». Unknown currency codes fall back to «1 234,56 XYZ».
 */
export function formatMoney(amountMinor: number | bigint, currency: string, locale: string, opts: MoneyOptions = {}): string {
  const digits = currencyDigits(currency);
  const decimal = minorToDecimalString(amountMinor, digits);
  const whole = opts.compactZeroFraction && /\.0+$/.test(decimal);
  const fractionDigits = whole ? 0 : digits;
  try {
    const f = numberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    // Intl.NumberFormat formats decimal strings exactly (no float rounding of large sums).
    return f.format(decimal as unknown as number);
  } catch {
    return `${formatNumber(decimal, locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })}\u00a0${currency}`;
  }
}

/**
 * The sign a person reads for a currency — «₽», «$», «€», «₸» — where a unit is shown beside a
 * figure (a column header «Цена, ₽», an input's suffix). A currency without its own sign keeps its code.
 */
export function currencySymbol(currency: string, locale: string): string {
  return cached(`sym|${locale}|${currency}`, () => {
    try {
      const parts = numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
      return parts.find((p) => p.type === 'currency')?.value ?? currency;
    } catch {
      return currency;
    }
  });
}

/** Several sums in different currencies (a board column's `sums`), joined: «1 500 ₽ + 20 $». */
export function formatMoneySums(sums: Array<{ currency: string; amount: number }>, locale: string, opts: MoneyOptions = {}): string {
  return sums.map((s) => formatMoney(s.amount, s.currency, locale, opts)).join(' + ');
}

/** `formatNumber(1234567.5, 'ru')` → «1 234 567,5». Accepts decimal strings such as quantities "1.5". */
export function formatNumber(value: number | string, locale: string, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { maximumFractionDigits: 6, ...options }).format(value as number);
}

/** A percentage from a fraction: 0.256 → «25,6 %» (ru), «25.6%» (en). */
export function formatPercent(fraction: number, locale: string, maximumFractionDigits = 1): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits }).format(fraction);
}

/** What follows the number in a percentage, for inputs with a suffix: « %» (ru, non-breaking space), "%" (en). */
export function percentSuffix(locale: string): string {
  return numberFormat(locale, { style: 'percent' })
    .formatToParts(0)
    .filter((p) => p.type !== 'integer')
    .map((p) => p.value)
    .join('');
}

/**
 * Parses what a person typed into a money field into minor units: «1 234,56», "1234.56",
 * "1 234 567" → 123456, 123456700 (for 2-digit currencies). Returns null when it is not a number
 * or has more fraction digits than the currency allows.
 */
export function parseMoney(text: string, currency = 'RUB'): number | null {
  const digits = currencyDigits(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f']/g, '').replace(/[₽$€]|руб\.?|р\.?/gi, '');
  const m = /^(-)?(\d+)(?:[.,](\d*))?$/.exec(cleaned);
  if (!m) return null;
  const frac = m[3] ?? '';
  if (frac.length > digits) return null;
  const minor = BigInt(m[2]!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(m[1] ? -minor : minor);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  // A calendar date (no time) is the same day everywhere: read it at UTC noon and format in UTC.
  if (DATE_ONLY.test(value)) return new Date(`${value}T12:00:00.000Z`);
  return new Date(value);
}

/** A calendar date: «28.11.2026» (ru), «28/11/2026» (en). An ISO time is shown in the user's time zone. */
export function formatDate(value: string | Date, locale: string, timeZone?: string, style: 'short' | 'medium' | 'long' = 'short'): string {
  const tz = typeof value === 'string' && DATE_ONLY.test(value) ? 'UTC' : timeZone;
  const options: Intl.DateTimeFormatOptions =
    style === 'short' ? { day: '2-digit', month: '2-digit', year: 'numeric' } : style === 'medium' ? { day: 'numeric', month: 'short', year: 'numeric' } : { day: 'numeric', month: 'long', year: 'numeric' };
  return dateFormat(locale, { ...options, timeZone: tz }).format(toDate(value));
}

/** Date and time in the user's time zone: «28.11.2026, 12:30» (ru), «28/11/2026, 12:30» (en). */
export function formatDateTime(value: string | Date, locale: string, timeZone?: string): string {
  return dateFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    toDate(value),
  );
}

/** Time of day in the user's time zone: «09:30». */
export function formatTime(value: string | Date, locale: string, timeZone?: string): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(toDate(value));
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone: what "today" means to the user. */
export function dateInTimeZone(value: string | Date, timeZone?: string): string {
  const format = cached(`ymd|${timeZone ?? ''}`, () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }));
  const parts = format.formatToParts(toDate(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * «через 2 часа», «3 дня назад», «вчера» — relative to `now`, in whole minutes/hours/days.
 * Days are counted as calendar days in the user's time zone.
 */
export function formatRelative(value: string | Date, locale: string, now: Date = new Date(), timeZone?: string): string {
  const date = toDate(value);
  const rtf = cached(`r|${locale}`, () => new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' }));
  const diffMin = Math.round((date.getTime() - now.getTime()) / 60_000);
  if (Math.abs(diffMin) < 60) return rtf.format(diffMin, 'minute');
  const diffHours = Math.round(diffMin / 60);
  const days = Math.round((Date.parse(dateInTimeZone(date, timeZone)) - Date.parse(dateInTimeZone(now, timeZone))) / 86_400_000);
  if (Math.abs(diffHours) < 24 && days === 0) return rtf.format(diffHours, 'hour');
  return rtf.format(days, 'day');
}
