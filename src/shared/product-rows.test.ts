import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeRow,
  computeTotals,
  parseDecimal,
  PERCENT_PATTERN,
  QUANTITY_PATTERN,
  VAT_RATES,
  type RowDiscount,
  type RowInput,
  type VatRate,
} from './product-rows.js';
import { MONEY_MAX } from './money.js';

const row = (overrides: Partial<RowInput>): RowInput => ({
  price: 100_000,
  quantity: '1',
  discount: null,
  vatRate: 'none',
  vatIncluded: true,
  ...overrides,
});

describe('parseDecimal', () => {
  it('parses exactly, keeping the written scale', () => {
    expect(parseDecimal('1.500', 3)).toEqual({ units: 1500n, scale: 3 });
    expect(parseDecimal('0.005', 3)).toEqual({ units: 5n, scale: 3 });
    expect(parseDecimal('12', 2)).toEqual({ units: 12n, scale: 0 });
    expect(parseDecimal('123456789012345678901.25', 2)).toEqual({ units: 12345678901234567890125n, scale: 2 });
  });

  it.each(['', '1.2345', '-1', '01', '.5', '1.', '1e3', ' 1', '1,5', 'NaN'])('rejects %j', (s) => {
    expect(parseDecimal(s, 3)).toBeNull();
  });
});

describe('patterns for the API schema', () => {
  it('QUANTITY_PATTERN accepts positive decimals with up to 3 fractional digits', () => {
    for (const ok of ['1', '1.5', '0.001', '1.250', '1000000']) expect(QUANTITY_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['0', '0.0', '0.000', '-1', '1.2345', '01', '.5', '1.', '1e3', ''])
      expect(QUANTITY_PATTERN.test(bad), bad).toBe(false);
  });

  it('PERCENT_PATTERN accepts 0–100 with up to 2 fractional digits', () => {
    for (const ok of ['0', '0.5', '12.5', '99.99', '100', '100.00']) expect(PERCENT_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['100.01', '101', '12.345', '-1', '05', '', '1.'])
      expect(PERCENT_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('computeRow: hand-checked examples', () => {
  it('3 × 1 000,00 ₽ with 22 % added on top: VAT 660,00, total 3 660,00', () => {
    expect(computeRow(row({ quantity: '3', vatRate: '22', vatIncluded: false }))).toEqual({
      vatRate: '22', subtotal: 300_000, discount: 0, net: 300_000, vatAmount: 66_000, total: 366_000,
    });
  });

  it('1 220,00 ₽ with 22 % included: VAT 220,00, net 1 000,00', () => {
    expect(computeRow(row({ price: 122_000, vatRate: '22', vatIncluded: true }))).toEqual({
      vatRate: '22', subtotal: 122_000, discount: 0, net: 100_000, vatAmount: 22_000, total: 122_000,
    });
  });

  it('1.5 kg × 333,33 ₽ = 499,995 rounds half-up to 500,00; 22 % included gives VAT 90,16', () => {
    // 50 000 × 22 / 122 = 9 016.39… → 9 016
    expect(computeRow(row({ price: 33_333, quantity: '1.5', vatRate: '22' }))).toEqual({
      vatRate: '22', subtotal: 50_000, discount: 0, net: 40_984, vatAmount: 9_016, total: 50_000,
    });
  });

  it('12.5 % off 3 × 3,33 ₽ rounds the discount half-up, then 20 % is added', () => {
    // subtotal 999; discount 999 × 0.125 = 124.875 → 125; net 874; VAT 874 × 0.2 = 174.8 → 175
    expect(
      computeRow(row({ price: 333, quantity: '3', discount: { type: 'percent', value: '12.5' }, vatRate: '20', vatIncluded: false })),
    ).toEqual({ vatRate: '20', subtotal: 999, discount: 125, net: 874, vatAmount: 175, total: 1_049 });
  });

  it('an amount discount is taken off the whole row, before VAT is extracted', () => {
    // 2 × 500,00 = 1 000,00; minus 150,00 = 850,00; VAT 85 000 × 22 / 122 = 15 327.87… → 15 328
    expect(
      computeRow(row({ price: 50_000, quantity: '2', discount: { type: 'amount', value: '15000' }, vatRate: '22' })),
    ).toEqual({ vatRate: '22', subtotal: 100_000, discount: 15_000, net: 69_672, vatAmount: 15_328, total: 85_000 });
  });

  it('"none" and "0" carry no VAT, whether the price includes it or not', () => {
    for (const vatRate of ['none', '0'] as const) {
      for (const vatIncluded of [true, false]) {
        expect(computeRow(row({ quantity: '2', vatRate, vatIncluded }))).toEqual({
          vatRate, subtotal: 200_000, discount: 0, net: 200_000, vatAmount: 0, total: 200_000,
        });
      }
    }
  });

  it('rounds exact halves of a kopeck up in VAT too', () => {
    // added: 25 × 22 / 100 = 5.5 → 6; included: 3 × 20 / 120 = 0.5 → 1
    expect(computeRow(row({ price: 25, vatRate: '22', vatIncluded: false })).vatAmount).toBe(6);
    expect(computeRow(row({ price: 3, vatRate: '20', vatIncluded: true }))).toMatchObject({ vatAmount: 1, net: 2, total: 3 });
  });

  it('a 100 % discount and a zero price give an all-zero row', () => {
    const zero = { subtotal: 0, discount: 0, net: 0, vatAmount: 0, total: 0 };
    expect(computeRow(row({ price: 0, vatRate: '22', vatIncluded: false }))).toMatchObject(zero);
    expect(computeRow(row({ discount: { type: 'percent', value: '100' }, vatRate: '22' }))).toMatchObject({
      ...zero, subtotal: 100_000, discount: 100_000,
    });
  });

  // invoicing-ru.md §4.4, "Worked values"
  it.each([
    { price: 100_000, vatRate: '22', vatIncluded: true, vat: 18_033, total: 100_000 },
    { price: 12_200, vatRate: '22', vatIncluded: true, vat: 2_200, total: 12_200 },
    { price: 12_345_678, vatRate: '22', vatIncluded: true, vat: 2_226_270, total: 12_345_678 },
    { price: 100_000, vatRate: '22', vatIncluded: false, vat: 22_000, total: 122_000 },
    { price: 12_345_678, vatRate: '22', vatIncluded: false, vat: 2_716_049, total: 15_061_727 },
    { price: 100_000, vatRate: '10', vatIncluded: true, vat: 9_091, total: 100_000 },
    { price: 100_000, vatRate: '5', vatIncluded: true, vat: 4_762, total: 100_000 },
    { price: 100_000, vatRate: '7', vatIncluded: true, vat: 6_542, total: 100_000 },
  ] as const)('spec: $price kopecks, $vatRate %, included=$vatIncluded → VAT $vat', ({ price, vatRate, vatIncluded, vat, total }) => {
    expect(computeRow(row({ price, vatRate, vatIncluded }))).toMatchObject({ vatAmount: vat, total, net: total - vat });
  });
});

describe('computeRow: rejected input', () => {
  it.each(['0', '0.000', '-1', '1.2345', '1e3', '', '.5'])('quantity %j', (quantity) => {
    expect(() => computeRow(row({ quantity }))).toThrow(/quantity must be a positive decimal/);
  });

  it.each([-1, 1.5, Number.NaN, MONEY_MAX + 1, Number.MAX_SAFE_INTEGER + 2])('price %s', (price) => {
    expect(() => computeRow(row({ price }))).toThrow(RangeError);
  });

  it.each<RowDiscount>([
    { type: 'percent', value: '100.01' },
    { type: 'percent', value: '12.345' },
    { type: 'percent', value: '-5' },
    { type: 'amount', value: '-1' },
    { type: 'amount', value: '1.5' },
    { type: 'amount', value: '100001' },
  ])('discount %j', (discount) => {
    expect(() => computeRow(row({ discount }))).toThrow(RangeError);
  });

  it('an amount discount above the row subtotal names both figures', () => {
    expect(() => computeRow(row({ discount: { type: 'amount', value: '100001' } }))).toThrow(
      'amount discount 100001 exceeds the row subtotal 100000',
    );
  });

  it('an unknown VAT rate', () => {
    expect(() => computeRow(row({ vatRate: '18' as VatRate }))).toThrow('unknown VAT rate "18"');
  });

  it('a subtotal or a total beyond MONEY_MAX', () => {
    expect(() => computeRow(row({ price: MONEY_MAX, quantity: '1.001' }))).toThrow(/row subtotal exceeds the largest supported amount/);
    // the subtotal fits, the total with 22 % added on top does not
    expect(() => computeRow(row({ price: MONEY_MAX - 1, vatRate: '22', vatIncluded: false }))).toThrow(/row total exceeds the largest supported amount/);
    // exactly at the limit: MONEY_MAX passes, one kopeck more throws
    expect(computeRow(row({ price: MONEY_MAX, vatRate: '22' })).total).toBe(MONEY_MAX);
    expect(computeRow(row({ price: MONEY_MAX / 2, quantity: '2' })).total).toBe(MONEY_MAX);
    expect(() => computeRow(row({ price: MONEY_MAX / 2 + 1, quantity: '2' }))).toThrow(/row subtotal exceeds/);
  });
});

describe('computeTotals', () => {
  it('sums the rows and breaks VAT down per rate in VAT_RATES order', () => {
    const rows = [
      computeRow(row({ price: 10_000, vatRate: '10', vatIncluded: false })), // net 10 000, VAT 1 000
      computeRow(row({ quantity: '3', vatRate: '22', vatIncluded: false })), // net 300 000, VAT 66 000
      computeRow(row({ price: 5_000, vatRate: 'none' })), // 5 000
      computeRow(row({ price: 122_000, vatRate: '22', discount: { type: 'amount', value: '12200' } })), // 109 800 incl. 19 800
    ];
    expect(computeTotals(rows)).toEqual({
      total: 11_000 + 366_000 + 5_000 + 109_800,
      vatAmount: 1_000 + 66_000 + 19_800,
      net: 10_000 + 300_000 + 5_000 + 90_000,
      discount: 12_200,
      vatByRate: [
        { vatRate: '22', total: 475_800, vatAmount: 85_800, net: 390_000 },
        { vatRate: '10', total: 11_000, vatAmount: 1_000, net: 10_000 },
        { vatRate: 'none', total: 5_000, vatAmount: 0, net: 5_000 },
      ],
    });
  });

  it('of no rows is all zero', () => {
    expect(computeTotals([])).toEqual({ total: 0, vatAmount: 0, net: 0, discount: 0, vatByRate: [] });
  });

  it('throws a RangeError when the sum exceeds MONEY_MAX', () => {
    const big = computeRow(row({ price: MONEY_MAX }));
    expect(() => computeTotals([big, big])).toThrow(/document total exceeds the largest supported amount/);
  });
});

// --- properties ---

const formatDecimal = (units: bigint, scale: number): string => {
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const quantityArb = fc
  .record({ units: fc.bigInt(1n, 10n ** 4n), scale: fc.integer({ min: 0, max: 3 }) })
  .map(({ units, scale }) => formatDecimal(units, scale));
const percentArb = fc
  .record({ units: fc.bigInt(0n, 10_000n), scale: fc.constant(2) })
  .map(({ units, scale }) => formatDecimal(units, scale));
const vatRateArb = fc.constantFrom(...VAT_RATES);

/** A valid row: an amount discount is capped at the row subtotal. */
const rowArb: fc.Arbitrary<RowInput> = fc
  .record({
    price: fc.integer({ min: 0, max: 15_000 }), // up to 150 ₽; × quantity (≤ 10 000) + 22 %, twenty such rows stay below MONEY_MAX
    quantity: quantityArb,
    vatRate: vatRateArb,
    vatIncluded: fc.boolean(),
    discount: fc.oneof(
      fc.constant(null),
      percentArb.map((value) => ({ type: 'percent' as const, value })),
      fc.bigInt(0n, 10n ** 15n).map((amount) => ({ type: 'amount' as const, amount })),
    ),
  })
  .map(({ discount, ...rest }): RowInput => {
    if (discount === null || discount.type === 'percent') return { ...rest, discount };
    const subtotal = BigInt(computeRow({ ...rest, discount: null }).subtotal);
    const capped = discount.amount < subtotal ? discount.amount : subtotal;
    return { ...rest, discount: { type: 'amount', value: capped.toString() } };
  });

describe('properties', () => {
  it('parseDecimal reads back what formatDecimal wrote', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 10n ** 30n), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        expect(parseDecimal(formatDecimal(units, scale), 6)).toEqual({ units, scale });
      }),
    );
  });

  it('total = net + vatAmount; all figures are non-negative safe integers; no VAT for "none"/"0"', () => {
    fc.assert(
      fc.property(rowArb, (input) => {
        const r = computeRow(input);
        expect(r.total).toBe(r.net + r.vatAmount);
        for (const value of [r.subtotal, r.discount, r.total, r.vatAmount, r.net]) {
          expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
        }
        expect(r.discount).toBeLessThanOrEqual(r.subtotal);
        if (input.vatRate === 'none' || input.vatRate === '0') expect(r.vatAmount).toBe(0);
        expect(input.vatIncluded ? r.total : r.net).toBe(r.subtotal - r.discount);
      }),
    );
  });

  it('every rounding is to the nearest kopeck (error at most half a kopeck)', () => {
    fc.assert(
      fc.property(rowArb, (input) => {
        const r = computeRow(input);
        const qty = parseDecimal(input.quantity, 3)!;
        const abs = (x: bigint) => (x < 0n ? -x : x);
        const withinHalf = (rounded: number, numerator: bigint, denominator: bigint) =>
          2n * abs(BigInt(rounded) * denominator - numerator) <= denominator;
        expect(withinHalf(r.subtotal, BigInt(input.price) * qty.units, 10n ** BigInt(qty.scale))).toBe(true);
        const rate = input.vatRate === 'none' ? 0n : BigInt(input.vatRate);
        const vatNumerator = BigInt(input.vatIncluded ? r.total : r.net) * rate;
        expect(withinHalf(r.vatAmount, vatNumerator, input.vatIncluded ? 100n + rate : 100n)).toBe(true);
      }),
    );
  });

  it('more quantity never costs less', () => {
    fc.assert(
      fc.property(rowArb, fc.bigInt(0n, 10n ** 6n), (input, extraThousandths) => {
        const qty = parseDecimal(input.quantity, 3)!;
        const moreUnits = qty.units * 10n ** BigInt(3 - qty.scale) + extraThousandths;
        const more = computeRow({ ...input, quantity: formatDecimal(moreUnits, 3) });
        const less = computeRow(input);
        expect(more.total).toBeGreaterThanOrEqual(less.total);
        expect(more.net).toBeGreaterThanOrEqual(less.net);
      }),
    );
  });

  it('an amount discount above the subtotal is rejected', () => {
    fc.assert(
      fc.property(rowArb, fc.integer({ min: 1, max: 1_000_000 }), (input, excess) => {
        const { subtotal } = computeRow({ ...input, discount: null });
        const discount: RowDiscount = { type: 'amount', value: String(subtotal + excess) };
        expect(() => computeRow({ ...input, discount })).toThrow(RangeError);
      }),
    );
  });

  it('computeTotals is the exact sum of the rows, and so is its per-rate breakdown', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), (inputs) => {
        const rows = inputs.map(computeRow);
        const totals = computeTotals(rows);
        const sum = <T>(of: readonly T[], pick: (item: T) => number) => of.reduce((acc, item) => acc + pick(item), 0);
        expect(totals.total).toBe(sum(rows, (r) => r.total));
        expect(totals.vatAmount).toBe(sum(rows, (r) => r.vatAmount));
        expect(totals.net).toBe(sum(rows, (r) => r.net));
        expect(totals.discount).toBe(sum(rows, (r) => r.discount));
        expect(totals.total).toBe(totals.net + totals.vatAmount);
        expect(totals.vatByRate.map((b) => b.vatRate)).toEqual(VAT_RATES.filter((v) => rows.some((r) => r.vatRate === v)));
        for (const b of totals.vatByRate) {
          const ofRate = rows.filter((r) => r.vatRate === b.vatRate);
          expect(b.total).toBe(sum(ofRate, (r) => r.total));
          expect(b.vatAmount).toBe(sum(ofRate, (r) => r.vatAmount));
          expect(b.net).toBe(sum(ofRate, (r) => r.net));
          expect(b.total).toBe(b.net + b.vatAmount);
        }
        expect(sum(totals.vatByRate, (b) => b.total)).toBe(totals.total);
      }),
    );
  });
});
