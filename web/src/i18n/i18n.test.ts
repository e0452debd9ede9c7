import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import ru from './ru.json';
import en from './en.json';

async function t(lng: 'ru' | 'en') {
  const i = createInstance();
  await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng, fallbackLng: 'ru', interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** keys with plural suffixes folded together: count.deals_few → count.deals */
const base = (all: string[]) => [...new Set(all.map((k) => k.replace(PLURAL, '')))].sort();

describe('translations', () => {
  it('ru and en have the same keys (plural forms aside)', () => {
    expect(base(keys(en))).toEqual(base(keys(ru)));
  });

  it('every Russian plural key has the one/few/many forms, every English one/other', () => {
    const ruPlural = keys(ru).filter((k) => PLURAL.test(k));
    for (const b of base(ruPlural)) for (const form of ['one', 'few', 'many', 'other']) expect(ruPlural).toContain(`${b}_${form}`);
    const enPlural = keys(en).filter((k) => PLURAL.test(k));
    for (const b of base(enPlural)) for (const form of ['one', 'other']) expect(enPlural).toContain(`${b}_${form}`);
  });

  it('no value is empty', () => {
    for (const [name, dict] of Object.entries({ ru, en })) {
      const get = (path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], dict);
      for (const k of keys(dict)) expect(String(get(k)).trim(), `${name}: ${k}`).not.toBe('');
    }
  });

  it('Russian plural forms: 1 сделка, 2 сделки, 5 сделок, 11 сделок, 21 сделка, 22 сделки, 1,5 сделки', async () => {
    const tr = await t('ru');
    const cases: Array<[number, string]> = [
      [0, '0 сделок'],
      [1, '1 сделка'],
      [2, '2 сделки'],
      [4, '4 сделки'],
      [5, '5 сделок'],
      [11, '11 сделок'],
      [12, '12 сделок'],
      [14, '14 сделок'],
      [21, '21 сделка'],
      [22, '22 сделки'],
      [25, '25 сделок'],
      [101, '101 сделка'],
      [111, '111 сделок'],
      [1.5, '1.5 сделки'],
    ];
    for (const [n, text] of cases) expect(tr('count.deals', { count: n })).toBe(text);
    expect(tr('count.companies', { count: 3 })).toBe('3 компании');
    expect(tr('count.leads', { count: 7 })).toBe('7 лидов');
  });

  it('English plural forms: 1 deal, 2 deals, 0 deals', async () => {
    const tr = await t('en');
    expect(tr('count.deals', { count: 1 })).toBe('1 deal');
    expect(tr('count.deals', { count: 2 })).toBe('2 deals');
    expect(tr('count.deals', { count: 0 })).toBe('0 deals');
    expect(tr('count.companies', { count: 1 })).toBe('1 company');
  });
});
