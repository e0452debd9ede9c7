import { z } from 'zod';
import { pageOf } from '../../server/http/responses.js';
import { RUN_STATUSES } from './automation.schema.js';

// zod schemas of the automation API's answers, named for the OpenAPI document.

const fieldError = z.object({ path: z.string(), message: z.string() });

export const robotTypeSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    description: z.string(),
    entities: z.array(z.enum(['deal', 'lead'])),
    effect: z.enum(['internal', 'external']).meta({ description: 'external: calls out (SMS, e-mail, webhook) with an idempotency key' }),
    texts: z.array(z.string()).meta({ description: 'the parameters that are texts with {{placeholders}}' }),
    secrets: z.array(z.string()).meta({ description: 'the parameters that are secrets: write-only (never answered; left out of a change, they are kept)' }),
    paramsSchema: z.record(z.string(), z.unknown()).meta({ description: 'the JSON Schema of its parameters (the editor builds its form from it)' }),
  })
  .meta({ id: 'RobotType' });

export const robotSchema = z
  .object({
    id: z.number().int(),
    entityType: z.enum(['deal', 'lead']).meta({ description: 'lead: a robot of a lead status (stageId is the status, pipelineId null)' }),
    pipelineId: z.number().int().nullable(),
    stageId: z.number().int(),
    position: z.number().int(),
    type: z.string(),
    name: z.string(),
    params: z.record(z.string(), z.unknown()).meta({ description: 'without its secrets (see secretsSet)' }),
    secretsSet: z.array(z.string()).meta({ description: 'the secret parameters that have a value (the values are never answered)' }),
    condition: z.unknown(),
    timing: z.record(z.string(), z.unknown()),
    leavePolicy: z.enum(['cancel', 'keep']),
    enabled: z.boolean(),
    problems: z.array(fieldError).meta({ description: 'what it refers to that is gone: runs are skipped with these reasons until fixed' }),
    builtIn: z.string().nullable().meta({ description: "a built-in rule ('convert_new_leads': the lead-less CRM mode converts every new lead): not editable or deletable; enabled says whether it acts now" }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Robot' });

export const runSchema = z
  .object({
    id: z.number().int(),
    robotId: z.number().int(),
    robotType: z.string(),
    robotName: z.string(),
    entityType: z.enum(['deal', 'lead']),
    entityId: z.number().int(),
    stageId: z.number().int(),
    status: z.enum(RUN_STATUSES),
    dueAt: z.string().nullable(),
    afterRunId: z.number().int().nullable(),
    reason: z.string().nullable().meta({ description: 'why it was skipped or cancelled' }),
    error: z.string().nullable().meta({ description: 'why it failed, after its last attempt' }),
    result: z
      .object({
        summary: z.string(),
        links: z.array(z.unknown()).optional(),
        details: z.record(z.string(), z.unknown()).optional(),
        uncertain: z.boolean().optional().meta({ description: 'an external effect that may or may not have happened and cannot be checked (SMS.ru, SMTP after a lost answer): never repeated' }),
      })
      .nullable(),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'RobotRun' });
export const runPageSchema = pageOf(runSchema);

export const dryRunSchema = z
  .object({ status: z.enum(['done', 'uncertain', 'skipped']), reason: z.string().nullable(), result: runSchema.shape.result })
  .meta({ id: 'RobotDryRun' });

export const applyResultSchema = z.object({ records: z.number().int(), planned: z.number().int() }).meta({ id: 'RobotApplyResult' });
