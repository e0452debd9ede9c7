import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { safeEncode, type $ZodType } from 'zod/v4/core';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';

// Response schemas: every API route declares what it answers (zod, like the request side), so
// that the OpenAPI document says what the API returns and the web app's types are generated
// from it (npm run gen:api-types). Error answers share one schema, added to every route here.
//
// In production a response is written as is (JSON.stringify, no validation): the schemas are
// the contract and the documentation, and the integration suite proves they hold. With
// `strictResponses` (the test server; VORONKA_STRICT_RESPONSES=1) every response is checked
// against its route's schema for its status, fields the schema does not name included, and a
// mismatch fails the request with a 500 `response_invalid` naming the path.

const fieldError = z.object({ path: z.string(), message: z.string() });

/** `{ "error": { code, message, fields, … } }`: every 4xx and 5xx answer of the API. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'machine code: validation_failed, not_found, version_conflict, rule_violation, …' }),
      message: z.string(),
      fields: z.array(fieldError),
      /** version_conflict: the record as it is now */
      current: z.unknown().optional(),
      /** rule_violation: which rule, and its figures */
      rule: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  })
  .meta({ id: 'ApiError' });

/** 204: no body. */
export const noContent = z.undefined().meta({ description: 'No content' });

/** `{ items, nextCursor, total? }` of every list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int().optional() });

/** `{ items }` of a list that is not paged. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

const errorResponses = { '4xx': apiErrorSchema, '5xx': apiErrorSchema };

/** The API's routes: under /api/, but not the docs page's own files. */
export const isApiRoute = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');

export interface ApiRoute {
  method: string;
  url: string;
  schema: FastifySchema;
}
const registered = new WeakMap<FastifyInstance, ApiRoute[]>();

/** Every API route registered on the app (built by buildApp), with its schema: for the guard test. */
export const apiRoutes = (app: FastifyInstance): readonly ApiRoute[] => registered.get(app) ?? [];

/** The response schema a status is answered with, as Fastify picks it: exact, then `4xx`, then `default`. */
export function responseSchemaFor(schema: FastifySchema | undefined, status: number): unknown {
  const response = schema?.response as Record<string, unknown> | undefined;
  if (!response) return undefined;
  return response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response.default;
}

/** The first place where `actual` (what the handler returned) and `expected` (what the schema let through) differ. */
function firstDifference(actual: unknown, expected: unknown, path = ''): string {
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
      const a = (actual as Record<string, unknown>)[key];
      const e = (expected as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(a, e)) {
        const sub = Array.isArray(actual) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (!Object.hasOwn(expected, key)) return `${sub} is not in the schema`;
        return firstDifference(a, e, sub);
      }
    }
  }
  return `${path || 'the body'} differs from what the schema gives`;
}

const mismatch = (method: string, url: string, status: number | string, detail: string) =>
  new AppError(500, 'response_invalid', `The response of ${method} ${url} (${status}) does not match its schema: ${detail}`.slice(0, 2000));

/**
 * Installs the response side: the shared error schema on every API route, the serializer, and in
 * strict mode a check that every API response has a schema for its status.
 */
export function installResponseSchemas(app: FastifyInstance, strict: boolean): void {
  const routes: ApiRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isApiRoute(route.url)) return;
    const schema = (route.schema ??= {});
    schema.response = { ...errorResponses, ...(schema.response as object | undefined) };
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema });
  });

  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    if (!strict) return (data) => JSON.stringify(data);
    return (data) => {
      const plain: unknown = data === undefined ? null : JSON.parse(JSON.stringify(data));
      const result = safeEncode(schema as $ZodType, plain);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw mismatch(method, url, httpStatus ?? '?', `${issue?.path.join('.') || 'the body'}: ${issue?.message} (${result.error.issues.length} issue(s))`);
      }
      if (!isDeepStrictEqual(result.data, plain)) throw mismatch(method, url, httpStatus ?? '?', firstDifference(plain, result.data));
      return JSON.stringify(plain);
    };
  });

  if (!strict) return;
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    if (url === undefined || !isApiRoute(url) || reply.statusCode >= 400) return payload;
    if (responseSchemaFor(req.routeOptions.schema, reply.statusCode) === undefined) {
      throw mismatch(req.method, url, reply.statusCode, 'the route declares no response schema for this status');
    }
    return payload;
  });
}
