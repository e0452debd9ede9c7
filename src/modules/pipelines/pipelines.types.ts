import type { StageSemantic } from './defaults.js';

/** A stage as the API and other modules see it. */
export interface Stage {
  id: number;
  pipelineId: number;
  name: string;
  color: string;
  semantic: StageSemantic;
  sort: number;
  requiresLossReason: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  isDefault: boolean;
  /** in board order */
  stages: Stage[];
  createdAt: string;
  updatedAt: string;
  version: number;
}
