/**
 * The largest money amount the API accepts, in minor units (kopecks, cents): 4 000 000 000,
 * i.e. 40 000 000.00 in major units — per deal, lead, product price, product row (its subtotal
 * and total) and custom money value.
 *
 * Why this figure (docs/api-conventions.md, "Money"): the database sums amounts — the board's
 * columns, deal_stage_totals buckets, lead-board sums — and those sums must neither overflow nor
 * lose a kopeck.
 * - Record ids are int4 (at most 2^31 − 1 records of a kind in a database), so no sum has more
 *   terms than that: (2^31 − 1) × 4·10^9 ≈ 8.6·10^18 < 2^63 − 1, the limit of PostgreSQL's
 *   bigint and SQLite's integer. No bucket or sum can ever overflow, on either database (an
 *   overflow turned a PostgreSQL bucket into a 500 on every later write into it, and SQLite's
 *   total into a REAL).
 * - JSON numbers are exact up to 2^53 − 1 ≈ 9.007·10^15, so a sum is exact for up to
 *   2^53 / 4·10^9 ≈ 2.25 million records at the cap — far more at real amounts.
 */
export const MONEY_MAX = 4_000_000_000;
export const MONEY_MAX_MESSAGE = `must be at most ${MONEY_MAX} minor units (${MONEY_MAX / 100} in major units)`;

const minorDigitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (RUB, USD: 2; JPY: 0), from Intl. */
export function minorDigits(currency: string): number {
  let d = minorDigitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    minorDigitsCache.set(currency, d);
  }
  return d;
}

/** Minor units as an exact decimal string: 123450 → "1234.50" (no floating point on the way). */
export function minorToDecimal(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amount < 0;
  const s = String(Math.abs(Math.trunc(amount))).padStart(digits + 1, '0');
  const body = digits ? `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}` : s;
  return negative ? `-${body}` : body;
}

/**
 * An amount in minor units written for people in a workspace language: Russian «1 234,50 ₽»
 * (the currency's sign after the number), English "RUB 1,234.50" (the ISO code first). The
 * spaces Intl puts in are no-break spaces (U+00A0), so an amount never breaks over two lines.
 */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(amount: number, currency: string, locale: 'ru' | 'en'): string {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: locale === 'ru' ? 'symbol' : 'code' });
    moneyFormats.set(key, f);
  }
  // Intl formats a decimal string exactly (no float rounding of large amounts)
  return f.format(minorToDecimal(amount, currency) as unknown as number);
}
