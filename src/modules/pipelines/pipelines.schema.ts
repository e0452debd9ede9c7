import { z } from 'zod';
import { idParam } from '../../server/http/list-query.js';
import { MAX_STAGES } from './stage-rules.js';

// zod schemas of the pipelines API (request side); reused for OpenAPI.

const id = z.number().int().positive().max(2 ** 31 - 1);
const version = z.number().int().min(1).max(2 ** 31 - 1);
// Control characters (NUL above all, which PostgreSQL text cannot hold) have no place in a label.
const name = z.string().trim().min(1).max(100).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const sort = z.number().int().min(0).max(1_000_000);
export const stageSemantic = z.enum(['in_progress', 'success', 'failure']);
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
  .transform((c) => c.toLowerCase());

export const stageInput = z.strictObject({
  name,
  color,
  semantic: stageSemantic,
  /** defaults to true for failure stages, false otherwise */
  requiresLossReason: z.boolean().optional(),
});
export type StageInput = z.infer<typeof stageInput>;

export const pipelineCreateBody = z.strictObject({
  name,
  sort: sort.optional(),
  isDefault: z.boolean().optional(),
  /** the stages in board order; without them the pipeline gets a basic set */
  stages: z.array(stageInput).min(1).max(MAX_STAGES).optional(),
});
export type PipelineCreateInput = z.infer<typeof pipelineCreateBody>;

export const pipelinePatchBody = z.strictObject({
  name: name.optional(),
  sort: sort.optional(),
  /** true makes this the default pipeline; to change the default, set it on another one */
  isDefault: z.boolean().optional(),
  version: version.optional(),
});
export type PipelinePatchInput = z.infer<typeof pipelinePatchBody>;

export const stageCreateBody = stageInput.extend({
  /** 0-based place in the board order; default: after the last stage of the same kind */
  position: z.number().int().min(0).max(MAX_STAGES).optional(),
});
export type StageCreateInput = z.infer<typeof stageCreateBody>;

export const stagePatchBody = z.strictObject({
  name: name.optional(),
  color: color.optional(),
  semantic: stageSemantic.optional(),
  requiresLossReason: z.boolean().optional(),
  version: version.optional(),
});
export type StagePatchInput = z.infer<typeof stagePatchBody>;

export const stageReorderBody = z.strictObject({
  stageIds: z.array(id).min(1).max(MAX_STAGES),
});

export const stageDeleteQuery = z.strictObject({ moveTo: idParam.optional() });
/** a DELETE without a body arrives as null */
export const stageDeleteBody = z.strictObject({ moveToStageId: id.optional() }).nullish();

/** the pipeline reads take no parameters: anything sent is a 400, as on every list */
export const noQuery = z.strictObject({});

export const pipelineParams = z.object({ id: idParam });
export const stageParams = z.object({ id: idParam, stageId: idParam });
