// Shapes of the board API answers (GET /pipelines/{id}/board, …/board/{stageId}); see API.md.

export type StageSemantic = 'in_progress' | 'success' | 'failure';

export interface Stage {
  id: number;
  pipelineId: number;
  name: string;
  color: string;
  semantic: StageSemantic | string;
  sort: number;
  requiresLossReason: boolean;
  version: number;
}

export interface Pipeline {
  id: number;
  name: string;
  sort: number;
  isDefault: boolean;
  stages: Stage[];
  version: number;
}

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

export interface ReferenceItem {
  id: number;
  name: string;
  active?: boolean;
  sort?: number;
}
