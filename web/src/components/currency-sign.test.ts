import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../lib/source-files';

// Where a unit is shown beside a figure, a person reads the currency's sign («₽»), not its ISO code
// («RUB»): a screen renders <CurrencySign currency={…} /> or fmt.currencySymbol(…), never the code
// itself as text. (Amounts are formatted by fmt.money, which already uses the sign.)

describe('currency units', () => {
  it('no screen shows a currency code as the text of an element', () => {
    const root = join(__dirname, '..');
    const found: string[] = [];
    for (const file of sourceFiles(root, '.tsx')) {
      const name = relative(root, file);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/>\s*\{\s*[\w.]*[cC]urrency\s*\}\s*</.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
