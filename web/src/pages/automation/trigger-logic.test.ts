import { describe, expect, it } from 'vitest';
import { cleanTriggerParams, initialTriggerParams, isWatchedField, triggerParamFields } from './trigger-logic';

// the parameter schemas as the server sends them (z.toJSONSchema of trigger-types.ts, io: 'input')
const activityDone = { paramsSchema: { type: 'object', properties: { activityType: { default: null, anyOf: [{ type: 'string', enum: ['call', 'meeting', 'email', 'task'] }, { type: 'null' }] } }, additionalProperties: false } };
const fieldChanged = { paramsSchema: { type: 'object', properties: { field: { type: 'string', pattern: '^deal\\.[A-Za-z0-9_.]+$' }, value: { type: ['string', 'number', 'boolean', 'null'] } }, required: ['field'], additionalProperties: false } };
const responsibleChanged = { paramsSchema: { type: 'object', properties: { userId: { default: null, anyOf: [{ type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 }, { type: 'null' }] } }, additionalProperties: false } };
const idle = { paramsSchema: { type: 'object', properties: { days: { type: 'integer', minimum: 1, maximum: 365 } }, required: ['days'], additionalProperties: false } };

describe('trigger forms from JSON Schema', () => {
  it('picks a widget per parameter', () => {
    expect(triggerParamFields(activityDone).map((f) => [f.key, f.widget, f.nullable, f.required])).toEqual([['activityType', { kind: 'enum', values: ['call', 'meeting', 'email', 'task'] }, true, false]]);
    expect(triggerParamFields(fieldChanged).map((f) => [f.key, f.widget.kind, f.required])).toEqual([
      ['field', 'dealField', true],
      ['value', 'value', false],
    ]);
    expect(triggerParamFields(responsibleChanged).map((f) => [f.key, f.widget.kind])).toEqual([['userId', 'user']]);
    expect(triggerParamFields(idle).map((f) => [f.key, f.widget])).toEqual([['days', { kind: 'number', integer: true, min: 1, max: 365 }]]);
  });

  it('starts from the defaults and sends what is filled in: «any» as null, an empty value left out', () => {
    const a = triggerParamFields(activityDone);
    expect(initialTriggerParams(a)).toEqual({ activityType: null });
    expect(cleanTriggerParams(a, { activityType: null })).toEqual({ activityType: null });
    expect(cleanTriggerParams(a, { activityType: 'call' })).toEqual({ activityType: 'call' });
    const f = triggerParamFields(fieldChanged);
    expect(cleanTriggerParams(f, { field: 'deal.comment', value: '' })).toEqual({ field: 'deal.comment' });
    expect(cleanTriggerParams(f, { field: 'deal.comment', value: 'go' })).toEqual({ field: 'deal.comment', value: 'go' });
    expect(cleanTriggerParams(triggerParamFields(idle), {})).toEqual({});
  });

  it('offers the deal fields whose changes are recorded', () => {
    expect(['deal.amount', 'deal.responsibleId', 'deal.custom.region'].every(isWatchedField)).toBe(true);
    expect(['deal.stageId', 'deal.createdAt', 'contact.phone'].some(isWatchedField)).toBe(false);
  });
});
