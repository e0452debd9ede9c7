import type { Pipeline, Stage } from './pipelines.types.js';
import type { PipelineRow, StageRow } from './pipelines.repo.js';

export const toStage = (r: StageRow): Stage => ({
  id: r.id,
  pipelineId: r.pipeline_id,
  name: r.name,
  color: r.color,
  semantic: r.semantic,
  sort: r.sort,
  requiresLossReason: r.requires_loss_reason === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export const toPipeline = (r: PipelineRow, stages: StageRow[]): Pipeline => ({
  id: r.id,
  name: r.name,
  sort: r.sort,
  isDefault: r.is_default === 1,
  stages: stages.filter((s) => s.pipeline_id === r.id).map(toStage),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});
