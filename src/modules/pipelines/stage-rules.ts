import type { StageSemantic } from './defaults.js';

// The shape every pipeline keeps after every edit, checked before anything is written:
//   in_progress…, success, failure…
// - at least one in-progress stage (new deals start there),
// - exactly one success stage,
// - at least one failure stage,
// - the closing stages come after every in-progress one, success before the failures.

export const MAX_STAGES = 50;

export interface StageShape {
  semantic: StageSemantic;
  requiresLossReason?: boolean;
}

export interface StageRuleViolation {
  /** the rule's name for clients (see ruleViolation) */
  rule: 'too_many_stages' | 'loss_reason_only_failure' | 'stage_needs_in_progress' | 'stage_one_success' | 'stage_needs_failure' | 'stage_order';
  params?: Record<string, number>;
  message: string;
  /** the stage (position in the given order) that breaks the rule, or null for the list as a whole */
  index: number | null;
  /** the stage field at fault, when one stage is at fault */
  field: 'semantic' | 'requiresLossReason' | null;
}

const RANK: Record<StageSemantic, number> = { in_progress: 0, success: 1, failure: 2 };

export function checkStageOrder(stages: StageShape[]): StageRuleViolation | null {
  if (stages.length > MAX_STAGES) return { rule: 'too_many_stages', params: { max: MAX_STAGES }, message: `A pipeline has at most ${MAX_STAGES} stages`, index: null, field: null };
  for (const [i, s] of stages.entries()) {
    if (s.requiresLossReason && s.semantic !== 'failure') return { rule: 'loss_reason_only_failure', message: 'Only a failure stage can require a loss reason', index: i, field: 'requiresLossReason' };
  }
  const successes = stages.flatMap((s, i) => (s.semantic === 'success' ? [i] : []));
  if (!stages.some((s) => s.semantic === 'in_progress')) return { rule: 'stage_needs_in_progress', message: 'A pipeline needs at least one in-progress stage', index: null, field: null };
  if (successes.length === 0) return { rule: 'stage_one_success', message: 'A pipeline needs exactly one success stage; it has none', index: null, field: null };
  if (successes.length > 1) return { rule: 'stage_one_success', message: 'A pipeline needs exactly one success stage; it has several', index: successes[1]!, field: 'semantic' };
  if (!stages.some((s) => s.semantic === 'failure')) return { rule: 'stage_needs_failure', message: 'A pipeline needs at least one failure stage', index: null, field: null };
  for (let i = 1; i < stages.length; i++) {
    if (RANK[stages[i]!.semantic] < RANK[stages[i - 1]!.semantic]) {
      return {
        rule: 'stage_order',
        message: 'Stages go in the order: in-progress stages, then the success stage, then the failure stages',
        index: i,
        field: 'semantic',
      };
    }
  }
  return null;
}

/** Where a new stage goes when no position is given: in-progress after the last in-progress one, failure at the end. */
export function naturalPosition(stages: StageShape[], semantic: StageSemantic): number {
  if (semantic === 'failure') return stages.length;
  const lastOfRank = stages.reduce((at, s, i) => (RANK[s.semantic] <= RANK[semantic] ? i + 1 : at), 0);
  return lastOfRank;
}

