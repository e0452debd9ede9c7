import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../lib/source-files';

// Every form of the app validates itself and says what is wrong at the field in the interface's
// language; a form without `noValidate` lets the browser stop the submit with its own bubble in
// the browser's language («Please fill out this field.» on the board's quick form, in a Russian
// interface) for a `required` input, and our message never shows.

/** The opening tag that starts at `from`, up to its `>` outside of `{…}` (arrow functions have `=>`). */
function openingTag(src: string, from: number): string {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '>' && depth === 0) return src.slice(from, i + 1);
  }
  return src.slice(from);
}

describe('forms', () => {
  it('every form opts out of the browser’s own validation (noValidate)', () => {
    const root = join(__dirname, '..');
    const missing: string[] = [];
    for (const file of sourceFiles(root, '.tsx')) {
      const src = readFileSync(file, 'utf8');
      // a <form …> element or a component rendered as one, up to the end of its opening tag
      for (const m of src.matchAll(/<(?:form\b|[A-Z]\w*\b)/g)) {
        const tag = openingTag(src, m.index);
        if (!tag.startsWith('<form') && !/\bcomponent="form"/.test(tag)) continue;
        if (!/\bnoValidate\b/.test(tag)) missing.push(`${relative(root, file)}: ${tag.slice(0, 80).replace(/\s+/g, ' ')}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
