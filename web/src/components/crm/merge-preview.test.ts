import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import type { CustomField } from '../../api/lookups';
import ru from '../../i18n/ru.json';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { customValueText, type ValueTextContext } from '../record/field-text';
import { isEmptyValue, mergeCustom, mergeList, mergeScalar } from './merge-preview';

describe('merge preview', () => {
  it('keeps the survivor value and fills empty ones from the other record', () => {
    expect(mergeScalar('position', 'Директор', 'Менеджер')).toMatchObject({ result: 'Директор', from: 'survivor' });
    expect(mergeScalar('position', '  ', 'Менеджер')).toMatchObject({ result: 'Менеджер', from: 'source' });
    expect(mergeScalar('position', null, null)).toMatchObject({ result: '', from: 'none' });
  });

  it('unites phones and e-mails without repeating equal ones', () => {
    const show = (e: { value: string }) => e.value;
    const key = (e: { value: string }) => e.value.toLowerCase();
    const row = mergeList('emails', [{ value: 'a@x.ru' }], [{ value: 'A@x.ru' }, { value: 'b@x.ru' }], key, show);
    expect(row.result).toBe('a@x.ru, b@x.ru');
    expect(row.from).toBe('both');
    expect(mergeList('phones', [], [{ value: '1' }], key, show).from).toBe('source');
  });

  it('treats blank text and empty lists as empty', () => {
    expect(isEmptyValue('')).toBe(true);
    expect(isEmptyValue([])).toBe(true);
    expect(isEmptyValue(0)).toBe(false);
  });
});

describe('merge preview: custom fields', () => {
  const def = (code: string, name: string, type: CustomField['type'], options: CustomField['options'] = {}): CustomField => ({ id: code.length, entity: 'contact', code, name, type, required: false, options, sort: 0, createdAt: '', updatedAt: '', version: 1 });
  const defs = [
    def('city', 'Город', 'string'),
    def('segment', 'Сегмент', 'list', { choices: [{ id: 'opt', label: 'Опт' }, { id: 'retail', label: 'Розница' }] }),
    def('deposit', 'Залог', 'money'),
    def('partner', 'Партнёр', 'boolean'),
    def('met_on', 'Дата встречи', 'date'),
  ];
  // the card's own wording (customValueText) in Russian, as the dialog passes it
  async function show() {
    const i18n = createInstance();
    await i18n.init({ resources: { ru: { translation: ru } }, lng: 'ru', interpolation: { escapeValue: false } });
    const ctx: ValueTextContext = {
      t: i18n.t,
      fmt: { money: (a, c) => formatMoney(a, c, 'ru'), number: (n) => formatNumber(n, 'ru'), date: (d) => formatDate(d, 'ru'), dateTime: (d) => formatDateTime(d, 'ru') },
      currency: 'RUB',
      userLabel: String,
    };
    return (d: CustomField, v: unknown) => customValueText(d, v, ctx);
  }
  const byField = (rows: ReturnType<typeof mergeCustom>) => Object.fromEntries(rows.map((r) => [r.field, r]));

  it('keeps the survivor’s values, fills empty ones from the other record, named by the field', async () => {
    const rows = byField(mergeCustom(defs, { city: 'Пермь', partner: false }, { city: 'Казань', partner: true, met_on: '2024-03-05' }, await show()));
    expect(rows['custom.city']).toEqual({ field: 'custom.city', label: 'Город', survivor: 'Пермь', source: 'Казань', result: 'Пермь', from: 'survivor' });
    // «no» is a value too: the survivor's false stays, as on the server
    expect(rows['custom.partner']).toMatchObject({ label: 'Партнёр', survivor: 'Нет', source: 'Да', result: 'Нет', from: 'survivor' });
    expect(rows['custom.met_on']).toMatchObject({ label: 'Дата встречи', survivor: '', source: '05.03.2024', result: '05.03.2024', from: 'source' });
  });

  it('leaves out fields neither record has a value for, keeps the display order', async () => {
    const rows = mergeCustom(defs, { city: '  ', deposit: { amount: 150000, currency: 'RUB' } }, { segment: null }, await show());
    expect(rows.map((r) => r.field)).toEqual(['custom.deposit']);
    expect(rows[0]!.result.replace(/\s/g, ' ')).toBe('1 500,00 ₽');
  });

  it('shows a list value by its choice’s label', async () => {
    const [row] = mergeCustom(defs, {}, { segment: 'retail' }, await show());
    expect(row).toMatchObject({ field: 'custom.segment', label: 'Сегмент', survivor: '', source: 'Розница', result: 'Розница', from: 'source' });
  });
});
