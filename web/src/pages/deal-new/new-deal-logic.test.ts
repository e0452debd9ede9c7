import { describe, expect, it } from 'vitest';
import type { Pipeline, Stage } from '../../api/lookups';
import { initialNewDeal, newDealBody } from './new-deal-logic';

const at = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const stage = (id: number, sort: number, semantic: Stage['semantic'] = 'in_progress'): Stage => ({ id, pipelineId: 0, name: `S${id}`, color: '', semantic, sort, requiresLossReason: false, version: 1, ...at });
const pipelines: Pipeline[] = [
  { id: 1, name: 'Продажи', sort: 1, isDefault: true, version: 1, ...at, stages: [stage(11, 2), stage(10, 1), stage(12, 3, 'success')] },
  { id: 2, name: 'Сервис', sort: 2, isDefault: false, version: 1, ...at, stages: [stage(20, 1), stage(21, 2)] },
];
const me = { id: 7, currency: 'RUB' };

describe('the «Новая сделка» form', () => {
  it('starts from the address: the client, the pipeline and stage asked for, else the default pipeline’s first open stage', () => {
    expect(initialNewDeal(new URLSearchParams('contactId=5'), pipelines, me)).toMatchObject({ pipelineId: '1', stageId: '10', contactIds: [5], companyId: null, responsibleId: '7', currency: 'RUB' });
    expect(initialNewDeal(new URLSearchParams('companyId=9&pipelineId=2&stageId=21'), pipelines, me)).toMatchObject({ pipelineId: '2', stageId: '21', contactIds: [], companyId: 9 });
    // a closed stage, a stage of another pipeline or junk is not where a deal starts
    expect(initialNewDeal(new URLSearchParams('stageId=12&contactId=abc'), pipelines, me)).toMatchObject({ stageId: '10', contactIds: [] });
  });

  it('builds the body with the amount in minor units, and refuses an empty title or a bad amount', () => {
    const f = { ...initialNewDeal(new URLSearchParams('contactId=5'), pipelines, me), title: ' Поставка ', amount: '1 500,50' };
    expect(newDealBody(f)).toEqual({
      body: { title: 'Поставка', amount: 150050, currency: 'RUB', pipelineId: 1, stageId: 10, responsibleId: 7, contactIds: [5], companyId: null },
      errors: {},
    });
    expect(newDealBody({ ...f, title: ' ', amount: 'много' }).errors).toEqual({ title: 'required', amount: 'badAmount' });
  });
});
