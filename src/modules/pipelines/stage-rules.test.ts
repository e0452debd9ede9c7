import { describe, expect, it } from 'vitest';
import { checkStageOrder, MAX_STAGES, naturalPosition, type StageShape } from './stage-rules.js';
import type { StageSemantic } from './defaults.js';

const shape = (...semantics: StageSemantic[]): StageShape[] => semantics.map((semantic) => ({ semantic }));

describe('checkStageOrder', () => {
  it('accepts in-progress…, success, failure…', () => {
    expect(checkStageOrder(shape('in_progress', 'success', 'failure'))).toBeNull();
    expect(checkStageOrder(shape('in_progress', 'in_progress', 'in_progress', 'success', 'failure', 'failure'))).toBeNull();
  });

  it('needs an in-progress stage', () => {
    expect(checkStageOrder(shape('success', 'failure'))?.message).toMatch(/in-progress/);
  });

  it('needs exactly one success stage', () => {
    expect(checkStageOrder(shape('in_progress', 'failure'))).toMatchObject({ index: null, message: expect.stringMatching(/none/) });
    expect(checkStageOrder(shape('in_progress', 'success', 'success', 'failure'))).toMatchObject({ index: 2, message: expect.stringMatching(/several/) });
  });

  it('needs at least one failure stage', () => {
    expect(checkStageOrder(shape('in_progress', 'success'))?.message).toMatch(/failure/);
  });

  it('refuses closing stages before in-progress ones and failures before success', () => {
    expect(checkStageOrder(shape('in_progress', 'success', 'in_progress', 'failure'))).toMatchObject({ index: 2 });
    expect(checkStageOrder(shape('in_progress', 'failure', 'success'))).toMatchObject({ index: 2 });
    expect(checkStageOrder(shape('success', 'in_progress', 'failure'))).toMatchObject({ index: 1 });
  });

  it('lets only failure stages require a loss reason', () => {
    const stages: StageShape[] = [{ semantic: 'in_progress', requiresLossReason: true }, { semantic: 'success' }, { semantic: 'failure' }];
    expect(checkStageOrder(stages)).toMatchObject({ index: 0, message: expect.stringMatching(/loss reason/) });
    expect(checkStageOrder([{ semantic: 'in_progress' }, { semantic: 'success' }, { semantic: 'failure', requiresLossReason: true }])).toBeNull();
  });

  it('caps the number of stages', () => {
    const many = shape(...Array<StageSemantic>(MAX_STAGES - 1).fill('in_progress'), 'success', 'failure');
    expect(checkStageOrder(many)?.message).toMatch(/at most/);
  });
});

describe('naturalPosition', () => {
  const base = shape('in_progress', 'in_progress', 'success', 'failure', 'failure');
  it('puts a new in-progress stage after the last in-progress one', () => {
    expect(naturalPosition(base, 'in_progress')).toBe(2);
  });
  it('puts a new failure stage at the end', () => {
    expect(naturalPosition(base, 'failure')).toBe(5);
  });
  it('keeps the result valid for the usual additions', () => {
    for (const semantic of ['in_progress', 'failure'] as const) {
      const next = [...base];
      next.splice(naturalPosition(base, semantic), 0, { semantic });
      expect(checkStageOrder(next)).toBeNull();
    }
  });
});
