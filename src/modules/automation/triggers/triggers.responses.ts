import { z } from 'zod';

// zod schemas of the triggers API's answers, named for the OpenAPI document.

const fieldError = z.object({ path: z.string(), message: z.string() });

export const triggerTypeSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    description: z.string(),
    source: z.enum(['event', 'external']).meta({ description: 'event: fired by what happens to the deal; external: by a webhook call, the idle sweep or another module' }),
    secret: z.boolean().meta({ description: 'the trigger has a secret URL (an inbound webhook)' }),
    paramsSchema: z.record(z.string(), z.unknown()).meta({ description: 'the JSON Schema of its parameters (the editor builds its form from it)' }),
  })
  .meta({ id: 'TriggerType' });

export const triggerSchema = z
  .object({
    id: z.number().int(),
    entityType: z.literal('deal'),
    pipelineId: z.number().int(),
    stageId: z.number().int().meta({ description: 'the target: where the trigger moves the deal' }),
    type: z.string(),
    name: z.string(),
    params: z.record(z.string(), z.unknown()),
    condition: z.unknown(),
    allowBack: z.boolean(),
    enabled: z.boolean(),
    hookPath: z.string().nullable().meta({ description: 'an inbound webhook’s secret URL path (POST it with {"dealId": …}); administrators only' }),
    problems: z.array(fieldError).meta({ description: 'what it refers to that is gone or unknown' }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Trigger' });

export const triggerFiringSchema = z
  .object({
    id: z.number().int(),
    triggerId: z.number().int(),
    triggerType: z.string(),
    triggerName: z.string(),
    entityType: z.literal('deal'),
    entityId: z.number().int(),
    stageId: z.number().int().meta({ description: 'the trigger’s target stage' }),
    fromStageId: z.number().int().nullable().meta({ description: 'the stage the deal was in' }),
    status: z.enum(['moved', 'skipped', 'failed']),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'TriggerFiring' });

export const hookResultSchema = z
  .object({ status: z.enum(['moved', 'skipped', 'failed']), reason: z.string().nullable(), dealId: z.number().int() })
  .meta({ id: 'TriggerHookResult' });
