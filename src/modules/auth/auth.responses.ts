import { z } from 'zod';
import { itemsOf } from '../../server/http/responses.js';
import { userSchema } from '../users/users.responses.js';
import { ACTIONS, ENTITIES, LEVELS } from '../permissions/levels.js';
import { CAPABILITIES } from '../permissions/capabilities.js';

// zod schemas of the auth API (response side), named for the OpenAPI document.

export const loginSchema = z.object({ user: userSchema, csrfToken: z.string() }).meta({ id: 'Login' });

const level = z.enum(LEVELS);
const actionLevels = z.object(Object.fromEntries(ACTIONS.map((a) => [a, level])) as Record<(typeof ACTIONS)[number], typeof level>);

export const permissionsSchema = z
  .object({
    isAdmin: z.boolean(),
    /** rights beside the matrix the actor has (an administrator has all) */
    capabilities: z.array(z.enum(CAPABILITIES)),
    /** the actor's level per entity and action */
    entities: z.object(Object.fromEntries(ENTITIES.map((e) => [e, actionLevels])) as Record<(typeof ENTITIES)[number], typeof actionLevels>),
    /** deal levels granted per pipeline id, where they differ from `entities.deal` */
    dealPipelines: z.record(z.string(), z.record(z.string(), level)),
  })
  .meta({ id: 'Permissions' });

export const meSchema = z.object({ user: userSchema, csrfToken: z.string().nullable(), permissions: permissionsSchema }).meta({ id: 'Me' });

export const apiTokenSchema = z
  .object({ id: z.number().int(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .meta({ id: 'ApiToken' });
export const apiTokenListSchema = itemsOf(apiTokenSchema);

/** The token is shown once, in this answer. */
export const createdApiTokenSchema = z.object({ id: z.number().int(), name: z.string(), token: z.string(), createdAt: z.string() }).meta({ id: 'CreatedApiToken' });
