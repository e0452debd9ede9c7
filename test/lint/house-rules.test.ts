// The house rules that `npm run lint` checks must fail on a violation, not pass silently because a
// pattern stopped matching: dependency-cruiser runs with the project's own configurations over a small
// source tree that breaks each rule (and shows the allowed shapes beside), and ESLint lints snippets
// with the project's eslint.config.js.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableOwners } from '../../eslint.house-rules.js';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The fixture tree: file → source. Imports use `.js` like the real code does. */
const tree: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }),
  // deals: a repository, a row mapper, a service over them
  'src/modules/deals/deals.repo.ts': "export const dealRows = () => [] as Array<{ id: number }>;\n",
  'src/modules/deals/deals.mapper.ts': "import { dealRows } from './deals.repo.js';\nexport const toDeal = () => dealRows()[0];\n",
  'src/modules/deals/deals.service.ts':
    "import { toDeal } from './deals.mapper.js';\nimport { auditNote } from '../audit/audit.service.js';\nexport const getDeal = () => (auditNote(), toDeal());\n",
  'src/modules/deals/deals.types.ts': 'export type DealId = number;\n',
  // audit: calls nothing back — allowed one-way dependency deals → audit
  'src/modules/audit/audit.service.ts': "import { fail } from '../../server/errors.js';\nexport const auditNote = () => fail;\n",
  // leads: uses deals' service (allowed) and, in two files, deals' repository and mapper (forbidden)
  'src/modules/leads/leads.service.ts': "import { getDeal } from '../deals/deals.service.js';\nexport const convert = () => getDeal();\n",
  'src/modules/leads/reads-deal-rows.ts': "import { dealRows } from '../deals/deals.repo.js';\nexport const peek = () => dealRows();\n",
  'src/modules/leads/maps-deal-rows.ts': "import { toDeal } from '../deals/deals.mapper.js';\nexport const peek2 = () => toDeal();\n",
  // contacts ⇄ activities: a cycle between modules, one side of it a type-only import
  'src/modules/contacts/contacts.service.ts': "import { plan } from '../activities/activities.service.js';\nexport const touch = () => plan();\n",
  'src/modules/activities/activities.service.ts':
    "import type { ContactRef } from '../contacts/contact-ref.js';\nexport const plan = (c?: ContactRef) => c;\n",
  'src/modules/contacts/contact-ref.ts': 'export type ContactRef = { id: number };\n',
  // server plumbing imported by a module and the app importing modules: not a cycle between modules
  'src/server/errors.ts': 'export const fail = 1;\n',
  'src/server/app.ts': "import { convert } from '../modules/leads/leads.service.js';\nexport const app = () => convert();\n",
  // ...but the server reaching into a repository is forbidden
  'src/server/start.ts': "import { dealRows } from '../modules/deals/deals.repo.js';\nexport const start = () => dealRows();\n",
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'voronka-depcruise-'));
  for (const [file, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs depcruise as `npm run lint` does (its text reporter, whose exit code counts the errors) with one of
 * the project's configurations over the fixture tree; each violation as "rule: from → to".
 */
async function depcruise(config: string): Promise<{ exitCode: number; violations: string[] }> {
  const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  let stdout: string;
  let exitCode = 0;
  try {
    ({ stdout } = await run(process.execPath, [bin, 'src', '--config', path.join(root, config)], { cwd: dir }));
  } catch (e) {
    ({ stdout, code: exitCode } = e as { stdout: string; code: number });
  }
  // "  error rule: from → " then the next module (on the same line, or the next for a cycle)
  const violations = [...stdout.matchAll(/^\s*error (\S+): (\S+) →\s+(\S+)/gm)].map(([, rule, from, to]) => `${rule}: ${from} → ${to}`);
  return { exitCode, violations: violations.sort() };
}

describe('dependency rules (dependency-cruiser)', () => {
  it("forbids importing another module's repository or row mapper, from a module or from the server", async () => {
    const { exitCode, violations } = await depcruise('.dependency-cruiser.cjs');
    expect(violations).toEqual([
      'no-other-modules-table-access: src/modules/leads/maps-deal-rows.ts → src/modules/deals/deals.mapper.ts',
      'no-other-modules-table-access: src/modules/leads/reads-deal-rows.ts → src/modules/deals/deals.repo.ts',
      'no-table-access-outside-modules: src/server/start.ts → src/modules/deals/deals.repo.ts',
    ]);
    expect(exitCode).not.toBe(0);
  });

  it('forbids cycles between modules, type-only imports included, and not one-way dependencies or the server', async () => {
    const { exitCode, violations } = await depcruise('.dependency-cruiser-modules.cjs');
    expect(violations).toEqual([
      'no-module-cycles: src/modules/activities → src/modules/contacts',
      'no-module-cycles: src/modules/contacts → src/modules/activities',
    ]);
    expect(exitCode).not.toBe(0);
  });
});

describe('ESLint house rules', () => {
  const eslint = new ESLint({ cwd: root });
  const lint = async (code: string, file = 'web/src/lint-fixture.tsx') => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result.messages.map((m) => `${m.line}: ${m.ruleId ?? 'directive'}`);
  };
  const hook = (directive: string) =>
    [
      "import { useEffect } from 'react';",
      'export function useLog(value: string, log: (v: string) => void) {',
      '  useEffect(() => {',
      '    log(value);',
      ...(directive ? [`    ${directive}`] : []),
      '  }, [value]);',
      '}',
      '',
    ].join('\n');

  it("reports a hook's missing dependencies in the web app", async () => {
    expect(await lint(hook(''))).toEqual(['5: react-hooks/exhaustive-deps']);
  });

  it('takes a disable only with its reason, and reports one that silences nothing', async () => {
    expect(await lint(hook('// eslint-disable-next-line react-hooks/exhaustive-deps'))).toEqual(['5: house/disable-needs-reason']);
    expect(await lint(hook('// eslint-disable-next-line react-hooks/exhaustive-deps -- logs once per value'))).toEqual([]);
    const stale = hook('').replace('}, [value]);', '}, [value, log]); // eslint-disable-line react-hooks/exhaustive-deps -- stale');
    expect(await lint(stale)).toEqual(['5: directive']);
  });

  it("reports a query of another module's table, and only that", async () => {
    const query = [
      "import type { Kysely } from 'kysely';",
      "import type { Database } from '../../db/schema.js';",
      'export const q = (db: Kysely<Database>) =>',
      "  db.selectFrom('leads as l')",
      "    .innerJoin('deals as d', 'd.lead_id', 'l.id')",
      "    .leftJoin('lead_status_history', 'lead_status_history.lead_id', 'l.id')",
      "    .select('l.id');",
      '',
    ].join('\n');
    expect(await lint(query, 'src/modules/leads/lint-fixture.ts')).toEqual(['5: house/own-tables']);
    expect(await lint(query, 'src/modules/deals/lint-fixture.ts')).toEqual(['4: house/own-tables', '6: house/own-tables']);
    // outside src/modules (the CLI, tests) the rule does not apply
    expect(await lint(query, 'src/cli/lint-fixture.ts')).toEqual([]);
  });
});

describe('table owners (read from src/db/schema.ts)', () => {
  it('every table of the database has an owning module, so the own-tables rule covers all of them', () => {
    const schema = readFileSync(path.join(root, 'src/db/schema.ts'), 'utf8');
    const tables = [...schema.slice(schema.indexOf('export interface Database {')).matchAll(/^\s+(\w+): \w+;/gm)].map(([, t]) => t);
    const owners = tableOwners(schema);
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((t) => !owners.has(t))).toEqual([]);
    expect(owners.get('deal_stage_history')).toBe('deals');
    expect(owners.get('lead_status_history')).toBe('leads');
    expect(owners.get('sessions')).toBe('auth');
  });
});
