import type { Selectable } from 'kysely';
import type { DealsTable } from '../../db/schema.js';
import type { StageSemantic } from '../pipelines/defaults.js';

export type DealRow = Selectable<DealsTable>;

export interface DealLinks {
  contactIds: number[];
  observerIds: number[];
}

/** The API shape of a deal: the same for single reads, list items and board cards. */
export interface Deal {
  id: number;
  title: string;
  pipelineId: number;
  stageId: number;
  stageSemantic: StageSemantic;
  position: string;
  amount: number;
  currency: string;
  responsibleId: number;
  createdById: number;
  observerIds: number[];
  /** every linked contact, the primary one first */
  contactIds: number[];
  /** the primary contact */
  contactId: number | null;
  companyId: number | null;
  sourceId: number | null;
  lossReasonId: number | null;
  leadId: number | null;
  closeDate: string | null;
  probability: number | null;
  tags: string[];
  comment: string | null;
  closed: boolean;
  closedAt: string | null;
  stageChangedAt: string;
  nextActivity: { id: number; deadline: string | null } | null;
  /** the earliest planned activity's deadline has passed */
  overdue: boolean;
  /** an in-progress deal with no planned activity */
  noNextStep: boolean;
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export function toDeal(row: DealRow, links: DealLinks | undefined, nowIso: string): Deal {
  return {
    id: row.id,
    title: row.title,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    stageSemantic: row.stage_semantic as StageSemantic,
    position: row.position,
    amount: Number(row.amount),
    currency: row.currency,
    responsibleId: row.responsible_id,
    createdById: row.created_by_id,
    observerIds: links?.observerIds ?? [],
    contactIds: links?.contactIds ?? (row.contact_id !== null ? [row.contact_id] : []),
    contactId: row.contact_id,
    companyId: row.company_id,
    sourceId: row.source_id,
    lossReasonId: row.loss_reason_id,
    leadId: row.lead_id,
    closeDate: row.close_date,
    probability: row.probability,
    tags: parseJson<string[]>(row.tags, []),
    comment: row.comment,
    closed: row.closed === 1,
    closedAt: row.closed_at,
    stageChangedAt: row.stage_changed_at,
    nextActivity: row.next_activity_id !== null ? { id: row.next_activity_id, deadline: row.next_activity_deadline } : null,
    overdue: row.next_activity_deadline !== null && row.next_activity_deadline < nowIso,
    noNextStep: row.stage_semantic === 'in_progress' && row.next_activity_id === null,
    custom: parseJson<Record<string, unknown>>(row.custom, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** A deal row's stage-history facts (stage-history.ts), as it stands. */
export const stageEntry = (r: Pick<DealRow, 'id' | 'pipeline_id' | 'stage_id' | 'stage_semantic' | 'responsible_id' | 'amount' | 'currency'>) => ({
  dealId: r.id,
  pipelineId: r.pipeline_id,
  stageId: r.stage_id,
  semantic: r.stage_semantic,
  responsibleId: r.responsible_id,
  amount: Number(r.amount),
  currency: r.currency,
});
