import { describe, expect, it } from 'vitest';
import { nameKey, normalizeEmail, normalizePhone, phoneQueryDigits, phoneSearchTerms, searchNeedles } from '../../shared/communications.js';
import { recordNumber } from '../../server/http/text.js';

describe('normalizePhone', () => {
  it.each([
    ['+7 (916) 123-45-67', '+79161234567'],
    ['8 916 123 45 67', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['+7 495 123-45-67 доб. 123', '+74951234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('reads %s as %s', (raw, e164) => {
    expect(normalizePhone(raw)).toBe(e164);
  });

  it('reads local numbers in the given region', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958')).toBeNull();
  });

  it.each(['', '   ', '123', 'not a phone', '8-800-FLOWERS', '+7 916 123', '1'.repeat(60)])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });

  it('gives search terms with and without the plus', () => {
    expect(phoneSearchTerms('+79161234567')).toEqual(['+79161234567', '79161234567']);
    expect(phoneQueryDigits('8 (916) 123-45-67')).toBe('79161234567');
    expect(phoneQueryDigits('иванов')).toBeNull();
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ivan.Petrov@Example.RU ')).toBe('ivan.petrov@example.ru');
  });

  it.each(['', 'ivan', 'ivan@', '@example.ru', 'ivan@example', 'iv an@example.ru', 'a@b..ru', `${'a'.repeat(250)}@example.ru`])('refuses %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('nameKey', () => {
  it('lower-cases Cyrillic, folds ё and collapses spaces', () => {
    expect(nameKey(['  Семёнов ', 'ИВАН', null, ''])).toBe('семенов иван');
    expect(nameKey([undefined, null])).toBe('');
  });
});

describe('nameOrders', () => {
  it('gives every word order of short names, the name itself for long ones', async () => {
    const { nameOrders } = await import('./communications.service.js');
    expect(nameOrders('иван петров').sort()).toEqual(['иван петров', 'петров иван']);
    expect(nameOrders('a b c')).toHaveLength(6);
    expect(nameOrders('a b c d')).toEqual(['a b c d']);
    expect(nameOrders('')).toEqual([]);
  });
});

describe('searchNeedles', () => {
  it.each([
    ['Иванов', ['иванов']],
    ['+7 (912) 345-67-89', ['+7 (912) 345-67-89', '79123456789']],
    ['89123456789', ['89123456789', '79123456789']],
    ['912 345', ['912 345', '912345']],
    ['8 912 345', ['8 912 345', '8912345', '7912345']],
    ['8 91', ['8 91', '891']],
    ['12', ['12']],
    ['ivan@Example.ru', ['ivan@example.ru']],
    ['ООО 12-34', ['ооо 12-34']],
  ])('looks for %j as %j', (q, needles) => {
    expect(searchNeedles(q)).toEqual(needles);
  });
});

describe('recordNumber', () => {
  it.each([
    ['123', 123],
    ['#123', 123],
    ['№ 123', 123],
    [' №123 ', 123],
    ['0', null],
    ['12a', null],
    ['912 345', null],
    ['2147483648', null],
    ['-5', null],
  ])('reads %j as %j', (q, n) => {
    expect(recordNumber(q)).toBe(n);
  });
});
