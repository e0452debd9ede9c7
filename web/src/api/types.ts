// Shapes of API answers the shell uses. Screens add their own types next to their pages
// (or here when several screens share them). Field names follow API.md (camelCase).
// Where they mirror the API they come from openapi.gen.ts, generated from the server's OpenAPI
// document (`npm run gen:api-types`), so that they cannot drift from what the server answers.

import type { components } from './openapi.gen';

/** The named schemas of the API's OpenAPI document (the servers' zod response schemas, src/modules/<module>/<module>.responses.ts). */
export type Schemas = components['schemas'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** A user as the API shows it (roleIds only to administrators and the user). */
export type User = Schemas['User'];

/** A permission level: what part of the records the user may touch. */
export type Level = Schemas['Role']['permissions'][number]['level'];

/** entities.deal.read === 'all' etc.; dealPipelines: per pipeline id, the deal permissions where a role sets them per pipeline */
export type Permissions = Schemas['Permissions'];

export type Me = Schemas['Me'];

export interface Money {
  amount: number;
  currency: string;
}
