import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import ru from '../i18n/ru.json';
import en from '../i18n/en.json';
import { ApiError } from '../api/client';
import { errorMessage } from './errors';

async function tr(lng: 'ru' | 'en') {
  const i = createInstance();
  await i.init({ resources: { ru: { translation: ru }, en: { translation: en } }, lng, fallbackLng: 'ru', interpolation: { escapeValue: false } });
  return i.t;
}

/** Every rule name the server can refuse with: ruleViolation('<rule>', …) calls and the stage rules' union. */
function serverRules(): string[] {
  const rules = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/ruleViolation\(\s*'([a-z_]+)'/g)) rules.add(m[1]!);
        for (const m of text.matchAll(/rule: ((?:'[a-z_]+'\s*\|?\s*)+);/g)) for (const r of m[1]!.matchAll(/'([a-z_]+)'/g)) rules.add(r[1]!);
      }
    }
  };
  walk(join(process.cwd(), 'src'));
  return [...rules].sort();
}

describe('error messages in the user’s language', () => {
  it('words a rule the server names, with its figures, instead of the server’s English', async () => {
    const error = new ApiError(422, 'rule_violation', 'The stage holds 3 deal(s); move them…', [], { rule: 'stage_has_deals', params: { count: 3 } });
    expect(errorMessage(await tr('ru'), error)).toBe('На этапе есть сделки (3): перенесите их на другой этап, прежде чем менять его тип.');
    expect(errorMessage(await tr('en'), error)).toBe('The stage holds deals (3): move them to another stage before changing its type.');
  });

  it('falls back to the server’s wording for a rule it does not know', async () => {
    const error = new ApiError(422, 'rule_violation', 'A rule from a newer server', [], { rule: 'some_new_rule' });
    expect(errorMessage(await tr('ru'), error)).toBe('A rule from a newer server');
  });

  it('has a wording in both languages for every rule the server can name', () => {
    const rules = serverRules();
    expect(rules.length).toBeGreaterThan(20);
    const missing = (dict: { errors: { rules: Record<string, string> } }) => rules.filter((r) => !dict.errors.rules[r]);
    expect(missing(ru)).toEqual([]);
    expect(missing(en)).toEqual([]);
  });
});
