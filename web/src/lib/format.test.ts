import { describe, expect, it } from 'vitest';
import {
  currencyDigits,
  dateInTimeZone,
  formatDate,
  formatDateTime,
  formatMoney,
  currencySymbol,
  formatMoneySums,
  formatNumber,
  formatPercent,
  formatRelative,
  formatTime,
  minorToDecimalString,
  parseMoney,
  percentSuffix,
} from './format';
import { pluralCategory, pluralForm } from './plural';

/** non-breaking spaces shown as plain ones, for readable expectations */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('currency symbols', () => {
  it('gives the sign a person reads, in either language, and keeps the code of a currency without one', () => {
    expect(currencySymbol('RUB', 'ru')).toBe('₽');
    expect(currencySymbol('RUB', 'en')).toBe('₽');
    expect(currencySymbol('USD', 'ru')).toBe('$');
    expect(currencySymbol('EUR', 'en')).toBe('€');
    expect(currencySymbol('KZT', 'ru')).toBe('₸');
    expect(currencySymbol('XYZ', 'ru')).toBe('XYZ');
  });
});

describe('money', () => {
  it('formats roubles in Russian as «1 234 567,89 ₽» with non-breaking spaces', () => {
    const s = formatMoney(123456789, 'RUB', 'ru');
    expect(plain(s)).toBe('1 234 567,89 ₽');
    expect(s).not.toMatch(/ /); // never breaks a sum across lines
  });

  it('formats in English with the narrow symbol', () => {
    expect(formatMoney(123456789, 'RUB', 'en')).toBe('₽1,234,567.89');
    expect(formatMoney(1999, 'USD', 'en')).toBe('$19.99');
  });

  it('is exact for sums beyond float precision of a division by 100', () => {
    expect(plain(formatMoney(9007199254740991, 'RUB', 'ru'))).toBe('90 071 992 547 409,91 ₽');
    expect(plain(formatMoney(1, 'RUB', 'ru'))).toBe('0,01 ₽');
    expect(plain(formatMoney(-5, 'RUB', 'ru'))).toBe('-0,05 ₽');
    expect(plain(formatMoney(0, 'RUB', 'ru'))).toBe('0,00 ₽');
  });

  it('uses the currency minor units (JPY has none)', () => {
    expect(currencyDigits('RUB')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(plain(formatMoney(1000, 'JPY', 'ru'))).toBe('1 000 ¥');
  });

  it('drops zero kopecks on request, keeps non-zero ones', () => {
    expect(plain(formatMoney(150000, 'RUB', 'ru', { compactZeroFraction: true }))).toBe('1 500 ₽');
    expect(plain(formatMoney(150050, 'RUB', 'ru', { compactZeroFraction: true }))).toBe('1 500,50 ₽');
  });

  it('joins sums in several currencies', () => {
    expect(plain(formatMoneySums([{ currency: 'RUB', amount: 150000 }, { currency: 'USD', amount: 2000 }], 'ru', { compactZeroFraction: true }))).toBe(
      '1 500 ₽ + 20 $',
    );
    expect(formatMoneySums([], 'ru')).toBe('');
  });

  it('minorToDecimalString', () => {
    expect(minorToDecimalString(123456, 2)).toBe('1234.56');
    expect(minorToDecimalString(5, 2)).toBe('0.05');
    expect(minorToDecimalString(-5, 2)).toBe('-0.05');
    expect(minorToDecimalString(42, 0)).toBe('42');
    expect(minorToDecimalString(1n, 3)).toBe('0.001');
  });

  it('parses what people type into minor units', () => {
    expect(parseMoney('1 234,56')).toBe(123456);
    expect(parseMoney('1\u00a0234,56')).toBe(123456);
    expect(parseMoney('1234.5')).toBe(123450);
    expect(parseMoney('1 234 567 ₽')).toBe(123456700);
    expect(parseMoney('  15000  ')).toBe(1500000);
    expect(parseMoney('-10')).toBe(-1000);
    expect(parseMoney('12', 'JPY')).toBe(12);
    expect(parseMoney('1,234')).toBeNull(); // three fraction digits for roubles: ambiguous, refused
    expect(parseMoney('abc')).toBeNull();
    expect(parseMoney('')).toBeNull();
    expect(parseMoney('1.2.3')).toBeNull();
    expect(parseMoney('99999999999999999999')).toBeNull();
  });

  it('round-trips: parse(format(x)) === x in both languages', () => {
    for (const x of [0, 1, 99, 100, 123456789, 5_000_000_00]) {
      expect(parseMoney(formatMoney(x, 'RUB', 'ru'))).toBe(x);
      expect(parseMoney(formatMoney(x, 'RUB', 'en').replace(/,/g, ''))).toBe(x);
    }
  });
});

describe('numbers', () => {
  it('formats by locale', () => {
    expect(plain(formatNumber(1234567.5, 'ru'))).toBe('1 234 567,5');
    expect(formatNumber(1234567.5, 'en')).toBe('1,234,567.5');
    expect(plain(formatNumber('1.5', 'ru'))).toBe('1,5');
    expect(plain(formatPercent(0.256, 'ru'))).toBe('25,6 %');
    expect(formatPercent(0.256, 'en')).toBe('25.6%');
    expect(plain(percentSuffix('ru'))).toBe(' %');
    expect(percentSuffix('en')).toBe('%');
  });
});

describe('dates and times', () => {
  const instant = '2026-11-28T22:30:00.000Z';

  it('shows a calendar date as the same day in every time zone', () => {
    expect(formatDate('2026-11-28', 'ru', 'Asia/Vladivostok')).toBe('28.11.2026');
    expect(formatDate('2026-11-28', 'ru', 'America/Los_Angeles')).toBe('28.11.2026');
    expect(formatDate('2026-11-28', 'en')).toBe('28/11/2026');
    expect(formatDate('2026-11-28', 'ru', undefined, 'long')).toBe('28 ноября 2026 г.');
    expect(formatDate('2026-11-28', 'en', undefined, 'medium')).toBe('28 Nov 2026');
  });

  it('shows an instant in the user time zone', () => {
    expect(formatDate(instant, 'ru', 'Europe/Moscow')).toBe('29.11.2026');
    expect(formatDate(instant, 'ru', 'Europe/London')).toBe('28.11.2026');
    expect(formatDateTime('2026-11-28T09:30:00.000Z', 'ru', 'Europe/Moscow')).toBe('28.11.2026, 12:30');
    expect(formatDateTime('2026-11-28T09:30:00.000Z', 'en', 'Asia/Yekaterinburg')).toBe('28/11/2026, 14:30');
    expect(formatTime('2026-11-28T21:05:00.000Z', 'ru', 'Europe/Moscow')).toBe('00:05');
    expect(dateInTimeZone(instant, 'Europe/Moscow')).toBe('2026-11-29');
    expect(dateInTimeZone(instant, 'UTC')).toBe('2026-11-28');
  });

  it('relative times count calendar days in the user time zone', () => {
    const now = new Date('2026-11-28T09:00:00.000Z');
    expect(formatRelative('2026-11-28T11:00:00.000Z', 'ru', now, 'Europe/Moscow')).toBe('через 2 часа');
    expect(formatRelative('2026-11-27T09:00:00.000Z', 'ru', now, 'Europe/Moscow')).toBe('вчера');
    expect(formatRelative('2026-11-25T09:00:00.000Z', 'ru', now, 'Europe/Moscow')).toBe('3 дня назад');
    expect(formatRelative('2026-11-28T08:50:00.000Z', 'en', now)).toBe('10 minutes ago');
    expect(formatRelative('2026-12-03T08:50:00.000Z', 'en', now)).toBe('in 5 days');
    // 23:30 Moscow yesterday is "yesterday" at 00:30 Moscow, though only an hour ago
    expect(formatRelative('2026-11-27T20:30:00.000Z', 'ru', new Date('2026-11-27T21:30:00.000Z'), 'Europe/Moscow')).toBe('вчера');
  });
});

describe('plural rules', () => {
  it('Russian categories', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 1.5].map((n) => pluralCategory(n, 'ru'))).toEqual(['one', 'few', 'many', 'many', 'one', 'few', 'many', 'other']);
    const forms = { one: 'сделка', few: 'сделки', many: 'сделок', other: 'сделки' };
    expect([1, 2, 5].map((n) => `${n} ${pluralForm(n, 'ru', forms)}`)).toEqual(['1 сделка', '2 сделки', '5 сделок']);
  });
  it('English categories', () => {
    expect([0, 1, 2].map((n) => pluralCategory(n, 'en'))).toEqual(['other', 'one', 'other']);
    expect(pluralForm(3, 'en', { one: 'deal', other: 'deals' })).toBe('deals');
  });
});
