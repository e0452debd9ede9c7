// The project's own ESLint rules (plugin `house` in eslint.config.js).
import { readFileSync } from 'node:fs';

/**
 * Which module owns each table, read from src/db/schema.ts: its `// --- <module> module ...` comments
 * head the group of row types that module owns, and `interface Database` names each table's row type.
 */
export function tableOwners(schemaText) {
  const ownerOfType = new Map();
  const owners = new Map();
  let module = null;
  let inDatabase = false;
  for (const line of schemaText.split('\n')) {
    const group = /^\/\/ --- ([a-z-]+) module\b/.exec(line);
    if (group) module = group[1];
    const type = /^export interface (\w+)/.exec(line);
    if (type) {
      inDatabase = type[1] === 'Database';
      if (!inDatabase && module) ownerOfType.set(type[1], module);
    }
    const table = inDatabase && /^\s+(\w+): (\w+);/.exec(line);
    if (table && ownerOfType.has(table[2])) owners.set(table[1], ownerOfType.get(table[2]));
  }
  return owners;
}

// Kysely's query builder methods whose first argument names a table (or an array of them), as
// 'table' or 'table as alias'.
const TABLE_METHODS = new Set([
  'selectFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto', 'using',
  'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin',
]);

function tableNames(node) {
  if (!node) return [];
  if (node.type === 'ArrayExpression') return node.elements.flatMap(tableNames);
  const text =
    node.type === 'Literal' && typeof node.value === 'string'
      ? node.value
      : node.type === 'TemplateLiteral' && node.expressions.length === 0
        ? node.quasis[0].value.cooked
        : null;
  return text === null ? [] : [{ node, table: text.trim().split(/\s+as\s+/i)[0] }];
}

export const house = {
  rules: {
    // A rule switched off for a line must say why, after ` -- ` (ESLint's own syntax for a directive's
    // description): `// eslint-disable-next-line react-hooks/exhaustive-deps -- runs once per answer: ...`.
    'disable-needs-reason': {
      meta: {
        type: 'problem',
        schema: [],
        messages: { missing: 'Say why the rule is off here: add " -- <reason>" to the directive.' },
      },
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

    // "A module owns its tables; other modules call its service": a query in src/modules/<m>/ names only
    // tables that src/db/schema.ts puts in <m>'s group. Options: { schema: path of schema.ts,
    // allow: { '<module>': { '<table>': '<why this module may read that table>' } } }.
    'own-tables': {
      meta: {
        type: 'problem',
        schema: [
          {
            type: 'object',
            properties: { schema: { type: 'string' }, allow: { type: 'object' } },
            required: ['schema'],
            additionalProperties: false,
          },
        ],
        messages: {
          foreign: "Table '{{table}}' belongs to the {{owner}} module: call its service instead of querying it from {{module}}.",
        },
      },
      create(context) {
        const module = /(?:^|\/)src\/modules\/([^/]+)\//.exec(context.filename.replaceAll('\\', '/'))?.[1];
        if (!module) return {};
        const { schema, allow = {} } = context.options[0];
        const owners = tableOwners(readFileSync(schema, 'utf8'));
        return {
          CallExpression(call) {
            const callee = call.callee;
            if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
            if (!TABLE_METHODS.has(callee.property.name)) return;
            for (const { node, table } of tableNames(call.arguments[0])) {
              const owner = owners.get(table);
              if (owner && owner !== module && !allow[module]?.[table]) {
                context.report({ node, messageId: 'foreign', data: { table, owner, module } });
              }
            }
          },
        };
      },
    },
  },
};
