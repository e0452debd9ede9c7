// Shapes of the board API answers (GET /pipelines/{id}/board, …/board/{stageId}); see API.md.
// Pipelines and stages are the shared look-up shapes.

import type { Pipeline, Stage } from '../../api/lookups';

export type { Pipeline, Stage, StageSemantic } from '../../api/lookups';

/** A deal as a board card (the same shape as GET /deals items). */
export interface BoardDeal {
  id: number;
  title: string;
  pipelineId: number;
  stageId: number;
  stageSemantic: string;
  position: string;
  amount: number;
  currency: string;
  responsibleId: number;
  contactIds: number[];
  contactId: number | null;
  companyId: number | null;
  sourceId: number | null;
  lossReasonId: number | null;
  closeDate: string | null;
  tags: string[];
  closed: boolean;
  nextActivity: { id: number; deadline: string | null } | null;
  overdue: boolean;
  noNextStep: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface MoneySum {
  currency: string;
  amount: number;
}

export interface BoardColumn {
  stage: Stage;
  count: number;
  sums: MoneySum[];
  items: BoardDeal[];
  nextCursor: string | null;
}

export interface Board {
  pipeline: Pipeline;
  columns: BoardColumn[];
}

export interface ColumnPage {
  items: BoardDeal[];
  nextCursor: string | null;
}
