import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIMELINE_KINDS } from '../../../../src/modules/timeline/kinds';
import ru from '../../i18n/ru.json';
import en from '../../i18n/en.json';
import { KIND_COLOR, MOVE_REASONS } from './timeline-kinds';
import { sourceFiles } from '../../lib/source-files';

// A timeline entry the server can write must read as text in every language: the server's kinds
// are typed (TimelineEvent.kind: TimelineKind), the web renders exactly those (Timeline.tsx's
// bodies are typed by KIND_COLOR's keys), and here the two lists and the texts are compared.

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);

describe('timeline kinds', () => {
  it('the web renders exactly the kinds the server writes', () => {
    expect(Object.keys(KIND_COLOR).sort()).toEqual([...TIMELINE_KINDS].sort());
  });

  it.each([
    ['ru', ru],
    ['en', en],
  ])('every kind has its title in %s', (_lng, dict) => {
    for (const kind of TIMELINE_KINDS) expect(get(dict, `record.timeline.kind.${kind}`), kind).toEqual(expect.any(String));
  });

  it('every reason the server gives for a move has its text in ru and en', () => {
    // the reasons are literals in the modules that move deals and leads (stage removed, restore, conversion)
    const written = new Set<string>();
    for (const file of sourceFiles(join(__dirname, '../../../../src/modules'), '.ts')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\breason: '([a-z_]+)'/g)) written.add(m[1]!);
    }
    expect(written.size).toBeGreaterThan(0);
    expect([...written].sort()).toEqual([...MOVE_REASONS].sort());
    for (const dict of [ru, en]) for (const r of MOVE_REASONS) expect(get(dict, `record.timeline.reason.${r}`), r).toEqual(expect.any(String));
  });
});
