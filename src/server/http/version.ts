import type { FastifyRequest } from 'fastify';
import { fieldInvalid } from '../errors.js';

/**
 * Optimistic concurrency: a PATCH names the version it was based on, in the body
 * (`version`) or as `If-Match: "<version>"`.
 */
export function expectedVersion(req: FastifyRequest, bodyVersion: number | undefined): number {
  if (bodyVersion !== undefined) return bodyVersion;
  const header = req.headers['if-match'];
  const m = typeof header === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (m) return Number(m[1]);
  throw fieldInvalid('version', 'is required: send the version you edited (or an If-Match header)');
}
