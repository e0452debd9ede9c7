import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import ru from '../../i18n/ru.json';
import en from '../../i18n/en.json';
import { localizeFieldMessage } from './server-message';

async function tr(lng: 'ru' | 'en') {
  const i = createInstance();
  await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng, fallbackLng: 'ru', interpolation: { escapeValue: false } });
  return i.t;
}

describe('server field messages in the user’s language', () => {
  it('words the common zod messages and the requisites rules', async () => {
    const en = await tr('en');
    const ru = await tr('ru');
    expect(localizeFieldMessage(en, 'Too big: expected number to be <=100')).toBe('At most 100');
    expect(localizeFieldMessage(ru, 'Too big: expected number to be <=100')).toBe('Не больше 100');
    const inn = 'ИНН must be 10 digits (organisation) or 12 digits (individual)';
    expect(localizeFieldMessage(en, inn)).toBe('An INN is 10 digits (organisation) or 12 digits (individual)');
    expect(localizeFieldMessage(ru, inn)).toBe('ИНН — 10 цифр (организация) или 12 цифр (ИП)');
    expect(localizeFieldMessage(en, 'КПП must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits')).toMatch(/^A KPP is 9 characters/);
    expect(localizeFieldMessage(en, 'something else entirely')).toBe('something else entirely');
  });
});
