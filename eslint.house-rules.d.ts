// Types of eslint.house-rules.js for the test that imports it (test/lint/house-rules.test.ts).
import type { ESLint } from 'eslint';

/** table name → the module that owns it, from src/db/schema.ts's `// --- <module> module` groups */
export function tableOwners(schemaText: string): Map<string, string>;
export const house: ESLint.Plugin;
