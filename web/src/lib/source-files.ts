import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** For tests that read the source (never imported by the app): the files under `dir` whose names end with `ext`, test files left out. */
export function sourceFiles(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p, ext);
    return e.name.endsWith(ext) && !e.name.includes('.test.') ? [p] : [];
  });
}
