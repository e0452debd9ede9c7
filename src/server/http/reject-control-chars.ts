import type { FastifyInstance } from 'fastify';
import { toFieldPath } from '../error-handler.js';
import { validationFailed } from '../errors.js';

/**
 * Text the databases cannot store faithfully is refused at the door, with the field's path, so
 * both databases answer the same 400 instead of storing what a later query cannot read:
 * - U+0000: PostgreSQL cannot store it in text, and no CRM field needs it;
 * - unpaired UTF-16 surrogates (`"\ud800"` in JSON): not Unicode text at all; SQLite would store
 *   invalid UTF-8 and PostgreSQL a replacement that breaks JSON reads of the record (custom-field
 *   filters, the board) for everyone.
 * Values and object keys of the query, the body and the path parameters are all checked.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type Problem = { path: Array<string | number>; message: string };

function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode text (it holds an unpaired UTF-16 surrogate)';
  return null;
}

const printableKey = (k: string) => k.replace(/\u0000/g, '\\0').replace(/[\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

function findBadText(value: unknown, path: Array<string | number>, depth = 0): Problem | null {
  if (depth > 64) return null;
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { path, message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findBadText(value[i], [...path, i], depth + 1);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyMessage = textProblem(k);
      if (keyMessage) return { path: [...path, printableKey(k)], message: keyMessage };
      const hit = findBadText(v, [...path, k], depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

export function installControlCharGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [['query', req.query], ['body', req.body], ['params', req.params]] as const) {
      const hit = findBadText(value, []);
      if (hit) throw validationFailed([{ path: toFieldPath(hit.path) || where, message: hit.message }]);
    }
  });
}
