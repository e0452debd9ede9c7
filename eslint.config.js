// ESLint for the server (src/), the web app (web/src), the tests, the benchmarks and the scripts.
// Correctness rules only: no stylistic rules and no formatter — the code's layout is not checked here.
// `npm run lint` runs this, then dependency-cruiser for the module boundaries (.dependency-cruiser.cjs and
// .dependency-cruiser-modules.cjs). The project's own rules are in eslint.house-rules.js.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { house } from './eslint.house-rules.js';

export default defineConfig(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-results/**'] },
  {
    // A disable comment that no longer silences anything is an error, so stale ones cannot pile up.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { house },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'house/disable-needs-reason': 'error',
      // `_name` marks a parameter or binding kept on purpose (a callback's position, a rest sibling).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // The input checks reject control characters on purpose (src/server/http/reject-control-chars.ts and the
      // name schemas): a control character in those patterns is the point, not a typo.
      'no-control-regex': 'off',
    },
  },
  {
    // "No `any` in domain code" holds for src/ and web/src. Migrations take `Kysely<any>` as Kysely documents:
    // a migration must not depend on today's schema type. Tests and benchmarks read JSON answers loosely.
    files: ['src/db/migrate.ts', 'src/db/migrations/**', 'test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      // A module queries only the tables src/db/schema.ts lists under its name (eslint.house-rules.js),
      // in Kysely's builder (raw `sql` text is not read). An exception names the module, the table and why;
      // each one below is a small refactor left for later, not a pattern to copy.
      'house/own-tables': [
        'error',
        {
          schema: fileURLToPath(new URL('src/db/schema.ts', import.meta.url)),
          allow: {
            auth: {
              users: 'log-in and the password change read the credentials (e-mail, password hash, active) and write the hash; to move behind a users-module credentials function',
            },
            workspaces: {
              users: 'a new workspace inserts its first administrator in its own transaction (the users module has no actor-less create yet)',
              user_roles: 'the same first administrator gets the admin role',
            },
            deals: {
              timeline_entries: "a comment reads back the entry it has just written; timeline.record should return it",
            },
          },
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    // The two classic hooks rules. The plugin's React Compiler rules (its `recommended-latest`:
    // set-state-in-effect, refs, use-memo, ...) are not switched on yet: they report 28 places in
    // web/src today, mostly effects that copy props into form state — a change of its own.
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
