// ESLint for the server (src/), the web app (web/src), the tests, the benchmarks and the scripts.
// Correctness rules only: no stylistic rules and no formatter — the code's layout is not checked here.
// `npm run lint` runs this and dependency-cruiser (.dependency-cruiser.cjs, the module boundaries).
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// A rule switched off for a line must say why, after ` -- ` (ESLint's own syntax for a directive's
// description): `// eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per answer: ...`.
const house = {
  rules: {
    'disable-needs-reason': {
      meta: { type: 'problem', schema: [], messages: { missing: 'Say why the rule is off here: add " -- <reason>" to the directive.' } },
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              if (/^\s*eslint-disable/.test(comment.value) && !/\s--\s*\S/.test(comment.value)) {
                context.report({ loc: comment.loc, messageId: 'missing' });
              }
            }
          },
        };
      },
    },
  },
};

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
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
