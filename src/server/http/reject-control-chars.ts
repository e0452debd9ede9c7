import type { FastifyInstance } from 'fastify';
import { toFieldPath } from '../error-handler.js';
import { validationFailed } from '../errors.js';

/**
 * PostgreSQL cannot store U+0000 in text, and no CRM field needs it; refusing it at the door
 * (with the field's path) keeps both databases answering the same 400 instead of a driver error.
 */
function findNul(value: unknown, path: Array<string | number>, depth = 0): Array<string | number> | null {
  if (depth > 64) return null;
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], [...path, i], depth + 1);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return [...path, k.replace(/\u0000/g, '\\0')];
      const hit = findNul(v, [...path, k], depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

export function installControlCharGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [['query', req.query], ['body', req.body], ['params', req.params]] as const) {
      const hit = findNul(value, []);
      if (hit) throw validationFailed([{ path: toFieldPath(hit) || where, message: 'must not contain the NUL character' }]);
    }
  });
}
