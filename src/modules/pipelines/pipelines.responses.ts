import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { stageSemantic } from './pipelines.schema.js';

// zod schemas of the pipelines API (response side): the OpenAPI document and the web's generated types.

export const stageSchema = z
  .object({
    id: z.number().int(),
    pipelineId: z.number().int(),
    name: z.string(),
    color: z.string(),
    semantic: stageSemantic,
    sort: z.number().int(),
    requiresLossReason: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Stage' });

export const pipelineSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    sort: z.number().int(),
    isDefault: z.boolean(),
    /** in board order */
    stages: z.array(stageSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Pipeline' });

export const pipelinePageSchema = pageOf(pipelineSchema);
export const stagePageSchema = pageOf(stageSchema);
