import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from './errors.js';
import { isRetryableConflict } from '../db/locks.js';

/** `/contacts/0/phone` → `contacts[0].phone` (the path style of API.md). */
export function toFieldPath(segments: Array<string | number>): string {
  return segments
    .map((s, i) => (typeof s === 'number' || /^\d+$/.test(String(s)) ? `[${s}]` : i === 0 ? String(s) : `.${s}`))
    .join('');
}

function validationFields(error: FastifyError & { validation: unknown[]; validationContext?: string }): FieldError[] {
  const fields: FieldError[] = [];
  for (const v of error.validation as Array<{ instancePath: string; message: string; params?: { keys?: string[] } }>) {
    const segments = v.instancePath.split('/').filter(Boolean);
    if (v.params?.keys?.length) {
      for (const key of v.params.keys) fields.push({ path: toFieldPath([...segments, key]), message: 'is not a known field' });
    } else {
      fields.push({ path: toFieldPath(segments) || (error.validationContext ?? 'body'), message: v.message });
    }
  }
  return fields;
}

interface DbError {
  code?: string;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const send = (status: number, code: string, message: string, fields: FieldError[] = [], extra: Record<string, unknown> = {}) =>
      reply.status(status).send({ error: { code, message, fields, ...extra } });

    if (err instanceof AppError) return send(err.status, err.code, err.message, err.fields, err.extra);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = validationFields(err as FastifyError & { validation: unknown[]; validationContext?: string });
      const where = (err as { validationContext?: string }).validationContext ?? 'request';
      return send(400, 'validation_failed', `Invalid ${where}: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}`.slice(0, 1000), fields);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(413, 'payload_too_large', 'The request body is too large');
    const dbCode = (err as DbError).code;
    if (dbCode === '23505' || dbCode === 'SQLITE_CONSTRAINT_UNIQUE' || dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return send(409, 'conflict', 'A record with these values already exists');
    }
    // PostgreSQL deadlock_detected / serialization_failure: two transactions crossed; nothing was written
    if (isRetryableConflict(err)) {
      return send(409, 'conflict', 'The record was being changed by another request at the same moment; try again');
    }
    if (dbCode === '23503' || dbCode === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      return send(400, 'validation_failed', 'A referenced record does not exist');
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(err.statusCode, err.statusCode === 429 ? 'rate_limited' : 'bad_request', err.message);
    }
    req.log.error({ err }, 'unhandled error');
    return send(500, 'internal', 'Internal server error');
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}`, fields: [] } }));
}
