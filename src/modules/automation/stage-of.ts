import type { Executor } from '../../server/context.js';
import { fieldInvalid } from '../../server/errors.js';
import type { RobotDeps } from './robot-deps.js';

/**
 * The stage a robot or trigger is saved on: `wanted` when given and different from where it is
 * (it must be a stage of the workspace: else 400 on `stageId`), otherwise where it is.
 */
export async function stageOf(
  deps: Pick<RobotDeps, 'pipelines'>,
  exec: Executor,
  ws: number,
  wanted: number | undefined,
  current?: { stage_id: number; pipeline_id: number | null },
): Promise<{ id: number; pipelineId: number }> {
  if (current && (wanted === undefined || wanted === current.stage_id)) return { id: current.stage_id, pipelineId: current.pipeline_id! };
  const s = wanted === undefined ? null : await deps.pipelines.getStage(exec, ws, wanted);
  if (!s) throw fieldInvalid('stageId', 'no such stage');
  return { id: s.id, pipelineId: s.pipelineId };
}
