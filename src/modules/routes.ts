import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../server/context.js';
import { authRoutes } from './auth/auth.routes.js';

/** Every module's HTTP routes, mounted under /api/v1. */
export const moduleRoutes: Array<(ctx: AppContext) => FastifyPluginAsyncZod> = [authRoutes];
