import { z } from 'zod';
import { idParam } from '../../../server/http/list-query.js';

// zod schemas of the triggers API. A trigger's `params` are checked by its type's own schema
// (trigger-types.ts), its `condition` against the field catalogue (conditions.ts).

const name = z.string().trim().min(1).max(200);

export const triggerCreateBody = z.strictObject({
  /** the target: the stage the trigger moves deals to */
  stageId: idParam,
  type: z.string().min(1).max(60),
  name: name.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  condition: z.unknown().optional(),
  /** let the trigger move a deal to an earlier stage (off by default) */
  allowBack: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type TriggerCreateInput = z.output<typeof triggerCreateBody>;

export const triggerPatchBody = z.strictObject({
  stageId: idParam.optional(),
  name: name.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  condition: z.unknown().optional(),
  allowBack: z.boolean().optional(),
  enabled: z.boolean().optional(),
  /** a new secret URL for an inbound webhook (the old one stops working) */
  rotateToken: z.boolean().optional(),
  version: z.number().int().min(1).optional(),
});
export type TriggerPatchInput = Omit<z.output<typeof triggerPatchBody>, 'version'>;

export const triggersQuery = z.strictObject({ pipelineId: idParam });
export const triggerIdParams = z.strictObject({ id: idParam });
export const hookParams = z.strictObject({ token: z.string().max(200) });
/** what an outside system posts to a webhook: the deal's id; anything else it sends is ignored */
export const hookBody = z.looseObject({ dealId: idParam });
