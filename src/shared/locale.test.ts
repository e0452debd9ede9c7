import { describe, expect, it } from 'vitest';
import { asLocale, parseLocale } from './locale.js';

describe('workspace locale', () => {
  it('reads a language given by a person, Russian when unset', () => {
    expect(parseLocale('--locale', undefined)).toBe('ru');
    expect(parseLocale('--locale', '  ')).toBe('ru');
    expect(parseLocale('--locale', 'en')).toBe('en');
    expect(parseLocale('VORONKA_LOCALE', ' EN ')).toBe('en');
    expect(parseLocale('--locale', 'ru')).toBe('ru');
  });

  it('names the setting and the choices when the language is unknown', () => {
    expect(() => parseLocale('VORONKA_LOCALE', 'english')).toThrow('VORONKA_LOCALE must be one of ru, en, got "english"');
    expect(() => parseLocale('--locale', 'ru-RU')).toThrow('--locale must be one of ru, en, got "ru-RU"');
  });

  it('treats a stored language it has no defaults for as Russian', () => {
    expect(asLocale('en')).toBe('en');
    expect(asLocale('de')).toBe('ru');
    expect(asLocale(null)).toBe('ru');
  });
});
