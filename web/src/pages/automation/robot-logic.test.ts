import { describe, expect, it } from 'vitest';
import { buildCatalogue, cleanParams, errorAt, fromCondition, initialParams, insertAt, paramFields, placeholderFields, reorderPatches, toCondition, typesFor, type Robot, type RobotType } from './robot-logic';

const planActivity = {
  texts: ['subject', 'description'],
  paramsSchema: {
    type: 'object',
    properties: {
      activityType: { type: 'string', enum: ['call', 'meeting', 'email', 'task'] },
      subject: { type: 'string', minLength: 1, maxLength: 500 },
      description: { default: null, anyOf: [{ type: 'string', maxLength: 20000 }, { type: 'null' }] },
      assignee: { default: { kind: 'responsible' }, oneOf: [] },
      deadline: { default: null, anyOf: [{ anyOf: [] }, { type: 'null' }] },
    },
    required: ['activityType', 'subject'],
  },
};

describe('robot forms from JSON Schema', () => {
  it('picks a widget per parameter, the known shapes by name', () => {
    const fields = paramFields(planActivity);
    expect(fields.map((f) => [f.key, f.widget.kind, f.template, f.nullable])).toEqual([
      ['activityType', 'enum', false, false],
      ['subject', 'text', true, false],
      ['description', 'text', true, true],
      ['assignee', 'person', false, false],
      ['deadline', 'deadline', false, true],
    ]);
    expect(fields[2]!.widget).toMatchObject({ multiline: true });
    expect(fields[1]!.widget).toMatchObject({ multiline: false });
    expect(initialParams(fields)).toEqual({ activityType: 'call', description: null, assignee: { kind: 'responsible' }, deadline: null });
    expect(cleanParams(fields, { activityType: 'call', subject: 'x', description: '' })).toEqual({ activityType: 'call', subject: 'x', description: null });
  });

  it('edits change_responsible’s users or department as one pool', () => {
    const changeResponsible = {
      texts: [],
      paramsSchema: {
        type: 'object',
        properties: {
          userIds: { default: [], type: 'array', items: { type: 'integer' } },
          departmentId: { default: null, anyOf: [{ type: 'integer' }, { type: 'null' }] },
          includeSubdepartments: { default: false, type: 'boolean' },
          mode: { default: 'fixed', type: 'string', enum: ['fixed', 'round_robin', 'least_loaded'] },
        },
      },
    };
    const fields = paramFields(changeResponsible);
    expect(fields.map((f) => [f.key, f.widget.kind])).toEqual([
      ['userIds', 'pool'],
      ['mode', 'enum'],
    ]);
    expect(cleanParams(fields, { ...initialParams(fields), departmentId: 7, includeSubdepartments: true, mode: 'round_robin' })).toEqual({
      userIds: [],
      departmentId: 7,
      includeSubdepartments: true,
      mode: 'round_robin',
    });
    expect(cleanParams(fields, { userIds: [3, 4] })).toEqual({ userIds: [3, 4], departmentId: null, includeSubdepartments: false });
  });

  it('places server errors at a field or under it', () => {
    const errors = { 'params.to.userIds': 'gone', 'condition.all[0].field': 'no field' };
    expect(errorAt(errors, 'params.to')).toBe('gone');
    expect(errorAt(errors, 'condition.all[0].field')).toBe('no field');
    expect(errorAt(errors, 'params.t')).toBeUndefined();
  });
});

describe('conditions', () => {
  const typeOf = (p: string) => (p === 'deal.amount' ? 'money' : p === 'deal.probability' ? 'number' : 'string') as never;
  it('builds the tree the API takes and reads it back', () => {
    const tree = toCondition(
      {
        mode: 'any',
        rows: [
          { field: 'deal.amount', op: 'gt', value: '1000,50', value2: '' },
          { field: 'deal.probability', op: 'between', value: '10', value2: '50' },
          { field: 'contact.firstName', op: 'in', value: 'Анна, Олег', value2: '' },
          { field: 'deal.comment', op: 'empty', value: 'x', value2: '' },
        ],
      },
      typeOf,
    );
    expect(tree).toEqual({
      any: [
        { field: 'deal.amount', op: 'gt', value: { amount: 100050, currency: 'RUB' } },
        { field: 'deal.probability', op: 'between', value: [10, 50] },
        { field: 'contact.firstName', op: 'in', value: ['Анна', 'Олег'] },
        { field: 'deal.comment', op: 'empty' },
      ],
    });
    expect(fromCondition(tree).rows.map((r) => [r.field, r.op, r.value, r.value2])).toEqual([
      ['deal.amount', 'gt', '1000.5', ''],
      ['deal.probability', 'between', '10', '50'],
      ['contact.firstName', 'in', 'Анна, Олег', ''],
      ['deal.comment', 'empty', '', ''],
    ]);
    expect(toCondition({ mode: 'all', rows: [] }, typeOf)).toBeUndefined();
  });
});

it('inserts a placeholder at the cursor', () => {
  expect(insertAt('Привет, !', '{{contact.firstName}}', 8, 8)).toEqual({ value: 'Привет, {{contact.firstName}}!', cursor: 29 });
  expect(insertAt('abc', 'X', null, null)).toEqual({ value: 'abcX', cursor: 4 });
});

it('reorders by giving each robot its index, patching only those that change', () => {
  const r = (id: number, position: number) => ({ id, position }) as Robot;
  expect(reorderPatches([r(1, 0), r(2, 1), r(3, 2)], 2, 1).map((p) => [p.robot.id, p.position])).toEqual([
    [3, 1],
    [2, 2],
  ]);
  expect(reorderPatches([r(1, 0), r(2, 0)], 0, 1).map((p) => [p.robot.id, p.position])).toEqual([[1, 1]]);
});

it('tells a nested condition from one group', async () => {
  const { isNestedCondition } = await import('./robot-logic');
  expect(isNestedCondition({ all: [{ field: 'deal.title', op: 'empty' }] })).toBe(false);
  expect(isNestedCondition({ all: [{ any: [{ field: 'deal.title', op: 'empty' }] }] })).toBe(true);
  expect(isNestedCondition(null)).toBe(false);
});

describe('the lead statuses’ robots', () => {
  const custom = [
    { entity: 'lead', code: 'budget', name: 'Бюджет', type: 'money', options: {} },
    { entity: 'deal', code: 'delivery', name: 'Доставка', type: 'date', options: {} },
  ];
  it('name the lead and its responsible, with the leads’ custom fields; deal robots name the deal, its client and responsible', () => {
    const lead = buildCatalogue(custom, 'lead').map((c) => c.path);
    expect(lead).toContain('lead.title');
    expect(lead).toContain('responsible.name');
    expect(lead).toContain('lead.custom.budget');
    expect(lead.some((p) => p.startsWith('deal.') || p.startsWith('contact.'))).toBe(false);
    const deal = buildCatalogue(custom).map((c) => c.path);
    expect(deal).toContain('deal.custom.delivery');
    expect(deal.some((p) => p.startsWith('lead.'))).toBe(false);
    expect(placeholderFields(buildCatalogue([], 'lead'))[0]).toBe('lead.title');
    expect(placeholderFields(buildCatalogue([]))[0]).toBe('deal.title');
  });
  it('offer the types made for leads only on lead statuses', () => {
    const types = [{ type: 'convert_lead', entities: ['lead'] }, { type: 'change_stage', entities: ['deal'] }, { type: 'add_comment', entities: ['deal', 'lead'] }] as unknown as RobotType[];
    expect(typesFor(types, 'lead').map((t) => t.type)).toEqual(['convert_lead', 'add_comment']);
    expect(typesFor(types, 'deal').map((t) => t.type)).toEqual(['change_stage', 'add_comment']);
  });
});
