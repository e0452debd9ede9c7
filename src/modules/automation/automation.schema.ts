import { z } from 'zod';
import { idParam, limitSchema } from '../../server/http/list-query.js';
import { isoDateTime } from '../../server/http/dates.js';
import { timingSchema } from './timing.js';

// zod schemas of the automation API: robots of a stage, their runs (the automation log), dry runs
// and applying a robot to the records already in its stage. A robot's `params` are checked by its
// type's own schema (robot-types/), its `condition` against the field catalogue (conditions.ts).

export const RUN_STATUSES = ['waiting', 'done', 'skipped', 'cancelled', 'failed', 'uncertain'] as const;

const name = z.string().trim().min(1).max(200);

export const robotCreateBody = z.strictObject({
  /** lead: a robot of a lead status; `stageId` is then the status's id */
  entityType: z.enum(['deal', 'lead']).default('deal'),
  stageId: idParam,
  type: z.string().min(1).max(60),
  name: name.optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  condition: z.unknown().optional(),
  timing: timingSchema.default({ kind: 'immediate' }),
  leavePolicy: z.enum(['cancel', 'keep']).default('cancel'),
  enabled: z.boolean().default(true),
  /** where in the stage's order (0 = first); the end when absent */
  position: z.int().min(0).optional(),
});
export type RobotCreateInput = z.output<typeof robotCreateBody>;

export const robotPatchBody = z.strictObject({
  stageId: idParam.optional(),
  name: name.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  condition: z.unknown().optional(),
  timing: timingSchema.optional(),
  leavePolicy: z.enum(['cancel', 'keep']).optional(),
  enabled: z.boolean().optional(),
  position: z.int().min(0).optional(),
  version: z.number().int().min(1).optional(),
});
export type RobotPatchInput = Omit<z.output<typeof robotPatchBody>, 'version'>;

/** a pipeline's robots, or `entityType=lead` for the lead statuses' */
export const robotsQuery = z.union([z.strictObject({ pipelineId: idParam }), z.strictObject({ entityType: z.literal('lead') })]);
export const robotIdParams = z.strictObject({ id: idParam });
export const recordRunsParams = z.strictObject({ id: idParam });
export const runsQuery = z.strictObject({ limit: limitSchema.optional(), cursor: z.string().max(200).optional() });
export const logQuery = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  robotType: z.string().max(60).optional(),
  pipelineId: idParam.optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  limit: limitSchema.optional(),
  cursor: z.string().max(200).optional(),
});
export type LogQuery = z.output<typeof logQuery>;
export const dryRunBody = z.union([z.strictObject({ dealId: idParam }), z.strictObject({ leadId: idParam })]);
export const applyBody = z.strictObject({ preview: z.boolean().default(false) });
