import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MONEY_MAX, formatMoney, minorToDecimal } from './money.js';

const NBSP = '\u00a0';

describe('money for people', () => {
  it.each([
    [123_450, 'RUB', 'ru', `1${NBSP}234,50${NBSP}₽`],
    [123_450, 'RUB', 'en', `RUB${NBSP}1,234.50`],
    [-5, 'RUB', 'ru', `-0,05${NBSP}₽`],
    [MONEY_MAX, 'RUB', 'ru', `40${NBSP}000${NBSP}000,00${NBSP}₽`],
    [1_999, 'USD', 'en', `USD${NBSP}19.99`],
    [1_999, 'JPY', 'en', `JPY${NBSP}1,999`],
  ] as const)('%i minor units of %s in %s → %s', (amount, currency, locale, expected) => {
    expect(formatMoney(amount, currency, locale)).toBe(expected);
  });

  it('turns minor units into an exact decimal, whatever the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MONEY_MAX, max: MONEY_MAX }), (amount) => {
        const d = minorToDecimal(amount, 'RUB');
        expect(d).toMatch(/^-?\d+\.\d{2}$/);
        expect(BigInt(d.replace('.', ''))).toBe(BigInt(amount));
      }),
    );
  });
});
