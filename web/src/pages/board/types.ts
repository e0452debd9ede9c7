// Shapes of the board API answers (GET /pipelines/{id}/board, …/board/{stageId}); see API.md.
// Pipelines and stages are the shared look-up shapes.

import type { BoardDealFields } from '../../api/deals';
import type { Pipeline, Stage } from '../../api/lookups';
import type { Schemas } from '../../api/types';

export type { Pipeline, Stage, StageSemantic } from '../../api/lookups';

/** A deal as a board card (the same shape as GET /deals items): the deal without what only its card shows. */
export type BoardDeal = BoardDealFields;

export type MoneySum = Schemas['BoardColumn']['sums'][number];

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
