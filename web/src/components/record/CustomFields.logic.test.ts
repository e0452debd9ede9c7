import { describe, expect, it } from 'vitest';
import { customBody, fromDraft, moneyCurrency, toDraft } from './CustomFields.logic';

const ru = { locale: 'ru', timeZone: 'Europe/Moscow' };
const inRub = { currency: 'RUB', timeZone: 'Europe/Moscow' };

describe('custom field drafts', () => {
  it('shows stored values in their inputs', () => {
    expect(toDraft({ type: 'money' }, { amount: 150050, currency: 'RUB' }, ru)).toBe('1500,50');
    expect(toDraft({ type: 'money' }, { amount: 150000, currency: 'USD' }, { locale: 'en' })).toBe('1500.00');
    expect(toDraft({ type: 'datetime' }, '2026-11-28T06:30:00.000Z', ru)).toBe('2026-11-28T09:30');
    expect(toDraft({ type: 'boolean' }, false, ru)).toBe('false');
    expect(toDraft({ type: 'boolean' }, undefined, ru)).toBeNull();
    expect(toDraft({ type: 'multilist' }, ['a', 'b'], ru)).toEqual(['a', 'b']);
    expect(toDraft({ type: 'user' }, 7, ru)).toBe('7');
    expect(toDraft({ type: 'string' }, null, ru)).toBe('');
  });

  it('turns what was typed into the stored format', () => {
    expect(fromDraft({ type: 'number' }, ' 1 234,5 ', inRub)).toEqual({ value: '1234.5' });
    expect(fromDraft({ type: 'money' }, '15 000,50', inRub)).toEqual({ value: { amount: 1500050, currency: 'RUB' } });
    expect(fromDraft({ type: 'datetime' }, '2026-11-28T09:30', inRub)).toEqual({ value: '2026-11-28T06:30:00.000Z' });
    expect(fromDraft({ type: 'boolean' }, 'true', inRub)).toEqual({ value: true });
    expect(fromDraft({ type: 'record' }, '12', inRub)).toEqual({ value: 12 });
    expect(fromDraft({ type: 'string' }, '  Москва ', inRub)).toEqual({ value: 'Москва' });
  });

  it('clears a field left empty and rejects what does not parse', () => {
    expect(fromDraft({ type: 'string' }, '  ', inRub)).toEqual({ value: null });
    expect(fromDraft({ type: 'multilist' }, [], inRub)).toEqual({ value: null });
    expect(fromDraft({ type: 'list' }, null, inRub)).toEqual({ value: null });
    expect(fromDraft({ type: 'number' }, '12 шт', inRub)).toEqual({ error: 'badNumber' });
    expect(fromDraft({ type: 'money' }, '10,505', inRub)).toEqual({ error: 'badMoney' });
    expect(fromDraft({ type: 'datetime' }, 'завтра', inRub)).toEqual({ error: 'badDate' });
  });

  it('types money in the stored currency, else the record’s', () => {
    expect(moneyCurrency({ amount: 1, currency: 'USD' }, 'RUB')).toBe('USD');
    expect(moneyCurrency(null, 'EUR')).toBe('EUR');
  });

  it('builds a create request’s custom values: filled fields only, errors by path', () => {
    const defs = [
      { code: 'city', type: 'string' as const },
      { code: 'budget', type: 'money' as const },
      { code: 'size', type: 'number' as const },
      { code: 'vip', type: 'boolean' as const },
    ];
    expect(customBody(defs, { city: 'Казань', budget: '', vip: 'true' }, inRub)).toEqual({ custom: { city: 'Казань', vip: true }, errors: {} });
    expect(customBody(defs, { size: 'много' }, inRub).errors).toEqual({ 'custom.size': 'badNumber' });
  });
});
