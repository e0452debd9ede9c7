import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connection.js';
import { systemClock, type Clock } from './clock.js';
import type { AppContext } from './context.js';
import { installErrorHandler } from './error-handler.js';
import { installAuthentication } from './authenticate.js';
import { installControlCharGuard } from './http/reject-control-chars.js';
import { installEmptyBodyAsObject } from './http/empty-body.js';
import { VERSION, fastifyTrustProxy, trustProxyFromEnv, type TrustProxy } from './config.js';
import { cspHeader, DOCS_CSP, installSecurityHeaders } from './security-headers.js';
import { createServices } from '../modules/services.js';
import { moduleRoutes } from '../modules/routes.js';
import { registerWebApp } from './web-app.js';
import { installResponseSchemas } from './http/responses.js';

export interface AppOptions {
  db: Db;
  clock?: Clock;
  logger?: Logger;
  /** the built web app to serve at `/` (default web/dist); false: API only */
  webRoot?: string | false;
  /** proxies in front of the server (TRUST_PROXY by default): a hop count, or their addresses */
  trustProxy?: TrustProxy;
  /**
   * Check every API response against its route's response schema and fail the request (500
   * `response_invalid`) on a mismatch, and every timeline entry's data against its kind's schema
   * (timeline/events.ts); on in the test server, or with VORONKA_STRICT_RESPONSES=1.
   */
  strictResponses?: boolean;
  /**
   * Let webhook robots call private, loopback and link-local addresses (src/shared/outbound-address.ts);
   * off by default, or VORONKA_WEBHOOK_ALLOW_PRIVATE=1. The test server allows them (its receivers are on 127.0.0.1).
   */
  allowPrivateWebhooks?: boolean;
}

const healthSchema = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() });

export async function buildApp(opts: AppOptions): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const log = opts.logger ?? pino({ level: 'silent' });
  const strict = opts.strictResponses ?? process.env.VORONKA_STRICT_RESPONSES === '1';
  const allowPrivateWebhooks = opts.allowPrivateWebhooks ?? process.env.VORONKA_WEBHOOK_ALLOW_PRIVATE === '1';
  const ctx = { db: opts.db, clock: opts.clock ?? systemClock, log, strict, allowPrivateWebhooks } as AppContext;
  ctx.services = createServices(ctx);

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: fastifyTrustProxy(opts.trustProxy ?? trustProxyFromEnv()),
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installResponseSchemas(app, strict);
  installErrorHandler(app);
  installEmptyBodyAsObject(app);
  installControlCharGuard(app);
  await app.register(cookie);
  await installSecurityHeaders(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Voronka CRM API', version: VERSION, description: 'REST API of Voronka. Conventions: see API.md in the repository.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (POST /api/v1/api-tokens)' },
          session: { type: 'apiKey', in: 'cookie', name: 'voronka_session', description: 'Set by POST /api/v1/auth/login' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The csrfToken returned by POST /api/v1/auth/login; required on cookie-authenticated writes' },
        },
      },
      security: [{ bearer: [] }, { session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: cspHeader(DOCS_CSP) });

  installAuthentication(app, ctx);

  app.get('/api/health', { schema: { hide: true, response: { 200: healthSchema } } }, async () => ({ status: 'ok' as const, database: ctx.db.dialect, version: VERSION }));
  app.get('/api/openapi.json', { schema: { hide: true, response: { 200: z.record(z.string(), z.unknown()) } } }, async () => app.swagger() as unknown as Record<string, unknown>);

  await app.register(
    async (api) => {
      for (const routes of moduleRoutes) await api.register(routes(ctx));
    },
    { prefix: '/api/v1' },
  );
  if (opts.webRoot !== false) await registerWebApp(app, opts.webRoot);
  return { app, ctx };
}
