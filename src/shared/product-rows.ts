import { MONEY_MAX } from './money.js';

/**
 * Money arithmetic for deal product rows. Pure functions, no floats: all intermediate maths is bigint.
 *
 * Units
 * - Money is an integer number of kopecks (JS number, 0 … MONEY_MAX).
 * - Quantity is a decimal string, > 0, up to 3 fractional digits ("1.5").
 * - A percent discount is a decimal string 0–100 with up to 2 fractional digits ("12.5").
 * - An amount discount is an integer string of kopecks taken off the whole row (not per unit).
 *
 * Rounding (ties away from zero, "half-up", to the kopeck; invoicing-ru.md §4.4)
 * 1. subtotal = round(price × quantity)
 * 2. discount = round(subtotal × percent / 100), or the amount as given; it must not exceed the subtotal.
 *    Subtotal and discount are in the price's basis: with VAT if vatIncluded, without VAT otherwise.
 * 3. amount  = subtotal − discount
 * 4. VAT included: total = amount, vatAmount = round(total × rate / (100 + rate)), net = total − vatAmount
 *    VAT added:    net = amount,   vatAmount = round(net × rate / 100),            total = net + vatAmount
 *    Rates "0" and "none": vatAmount = 0, net = total = amount.
 * VAT is computed per row and the document totals are plain sums of the rows (1C's default; the spec lets us
 * pick per-line or on-total, and requires the invoice total to equal the sum of lines). Hence, exactly:
 * total = net + vatAmount for every row, for the totals and for each VAT rate in vatByRate.
 *
 * Errors: an invalid input or a result above MONEY_MAX (src/shared/money.ts) throws a RangeError (the API maps it to 400).
 */

/** Allowed VAT rates: percent as a string, or "none" (без НДС). 22 % is the general rate from 2026. */
export const VAT_RATES = ['22', '20', '10', '7', '5', '0', 'none'] as const;
export type VatRate = (typeof VAT_RATES)[number];

export const QUANTITY_MAX_SCALE = 3;
export const PERCENT_MAX_SCALE = 2;

/** A positive decimal, no leading zeros, up to 3 fractional digits: "1", "0.5", "1.250". Rejects "0", "0.000". */
export const QUANTITY_PATTERN = /^(?!0(?:\.0{1,3})?$)(?:0|[1-9]\d*)(?:\.\d{1,3})?$/;
/** A percent from 0 to 100 with up to 2 fractional digits: "0", "12.5", "100.00". */
export const PERCENT_PATTERN = /^(?:100(?:\.0{1,2})?|[1-9]?\d(?:\.\d{1,2})?)$/;
/** A non-negative integer number of kopecks written as a string: "0", "15000". */
export const KOPECKS_PATTERN = /^(?:0|[1-9]\d*)$/;

export type RowDiscount = { type: 'percent'; value: string } | { type: 'amount'; value: string };

export interface RowInput {
  /** kopecks per unit, ≥ 0 */
  price: number;
  quantity: string;
  discount?: RowDiscount | null;
  vatRate: VatRate;
  /** true: price already includes VAT; false: VAT is added on top */
  vatIncluded: boolean;
}

export interface RowTotals {
  vatRate: VatRate;
  /** price × quantity before discount, in the price's basis */
  subtotal: number;
  discount: number;
  /** what the client pays for the row, VAT included */
  total: number;
  vatAmount: number;
  /** total without VAT */
  net: number;
}

export interface VatRateTotals {
  vatRate: VatRate;
  total: number;
  vatAmount: number;
  net: number;
}

export interface DocumentTotals {
  total: number;
  vatAmount: number;
  net: number;
  discount: number;
  /** one entry per rate present in the rows, in VAT_RATES order */
  vatByRate: VatRateTotals[];
}

export interface ExactDecimal {
  /** the value is units / 10^scale */
  units: bigint;
  scale: number;
}

const MAX_AMOUNT = BigInt(MONEY_MAX);
const DECIMAL_PATTERN = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

/** Parses a non-negative decimal string exactly; null if it is malformed or has more than maxScale fractional digits. */
export function parseDecimal(s: string, maxScale: number): ExactDecimal | null {
  const match = DECIMAL_PATTERN.exec(s);
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > maxScale) return null;
  return { units: BigInt(match[1] + fraction), scale: fraction.length };
}

/** round(numerator / denominator), ties away from zero, for numerator ≥ 0 and denominator > 0. */
function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > MAX_AMOUNT) {
    throw new RangeError(`${what} exceeds the largest supported amount (${MONEY_MAX} kopecks)`);
  }
  return Number(value);
}

function rowSubtotal(price: number, quantity: string): bigint {
  if (!Number.isSafeInteger(price) || price < 0 || price > MONEY_MAX) {
    throw new RangeError(`price must be a non-negative integer of kopecks up to ${MONEY_MAX}, got ${price}`);
  }
  const qty = QUANTITY_PATTERN.test(quantity) ? parseDecimal(quantity, QUANTITY_MAX_SCALE) : null;
  if (!qty) throw new RangeError(`quantity must be a positive decimal with up to 3 fractional digits, got "${quantity}"`);
  return divideRoundHalfUp(BigInt(price) * qty.units, 10n ** BigInt(qty.scale));
}

function rowDiscount(subtotal: bigint, discount: RowDiscount | null | undefined): bigint {
  if (!discount) return 0n;
  if (discount.type === 'percent') {
    const percent = PERCENT_PATTERN.test(discount.value) ? parseDecimal(discount.value, PERCENT_MAX_SCALE) : null;
    if (!percent) throw new RangeError(`percent discount must be 0–100 with up to 2 decimals, got "${discount.value}"`);
    return divideRoundHalfUp(subtotal * percent.units, 100n * 10n ** BigInt(percent.scale));
  }
  if (!KOPECKS_PATTERN.test(discount.value)) {
    throw new RangeError(`amount discount must be a non-negative integer of kopecks, got "${discount.value}"`);
  }
  const amount = BigInt(discount.value);
  if (amount > subtotal) throw new RangeError(`amount discount ${amount} exceeds the row subtotal ${subtotal}`);
  return amount;
}

function vatPercent(vatRate: VatRate): bigint {
  if (!VAT_RATES.includes(vatRate)) throw new RangeError(`unknown VAT rate "${vatRate}"`);
  return vatRate === 'none' ? 0n : BigInt(vatRate);
}

export function computeRow(input: RowInput): RowTotals {
  const subtotal = rowSubtotal(input.price, input.quantity);
  toSafeNumber(subtotal, 'row subtotal');
  const discount = rowDiscount(subtotal, input.discount);
  const amount = subtotal - discount;
  const rate = vatPercent(input.vatRate);

  let net: bigint;
  let vatAmount: bigint;
  if (input.vatIncluded) {
    vatAmount = divideRoundHalfUp(amount * rate, 100n + rate);
    net = amount - vatAmount;
  } else {
    net = amount;
    vatAmount = divideRoundHalfUp(amount * rate, 100n);
  }
  return {
    vatRate: input.vatRate,
    subtotal: Number(subtotal),
    discount: Number(discount),
    total: toSafeNumber(net + vatAmount, 'row total'),
    vatAmount: Number(vatAmount),
    net: Number(net),
  };
}

/** Sums computed rows; every figure is the exact sum of the rows' figures. */
export function computeTotals(rows: readonly RowTotals[]): DocumentTotals {
  const zero = () => ({ total: 0n, vatAmount: 0n, net: 0n });
  const all = { ...zero(), discount: 0n };
  const byRate = new Map<VatRate, ReturnType<typeof zero>>();
  for (const row of rows) {
    const perRate = byRate.get(row.vatRate) ?? zero();
    byRate.set(row.vatRate, perRate);
    for (const sum of [all, perRate]) {
      sum.total += BigInt(row.total);
      sum.vatAmount += BigInt(row.vatAmount);
      sum.net += BigInt(row.net);
    }
    all.discount += BigInt(row.discount);
  }
  const toNumbers = (sum: ReturnType<typeof zero>) => ({
    total: toSafeNumber(sum.total, 'document total'),
    vatAmount: toSafeNumber(sum.vatAmount, 'document VAT'),
    net: toSafeNumber(sum.net, 'document net'),
  });
  return {
    ...toNumbers(all),
    discount: toSafeNumber(all.discount, 'document discount'),
    vatByRate: VAT_RATES.filter((rate) => byRate.has(rate)).map((rate) => ({
      vatRate: rate,
      ...toNumbers(byRate.get(rate)!),
    })),
  };
}
