import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITION_MAX_DEPTH, OPS_BY_TYPE, compareDecimal, conditionSchema, evaluate, validateCondition, type ConditionLeaf, type ConditionNode, type ConditionOp } from './conditions.js';
import { buildCatalogue, recordValues, type CatalogueType, type FieldCatalogue } from './field-catalogue.js';

// One field of every type, the catalogue the tests evaluate against.
const CAT: FieldCatalogue = {
  'deal.title': { type: 'string' },
  'deal.probability': { type: 'number' },
  'deal.amount': { type: 'money' },
  'deal.closeDate': { type: 'date' },
  'deal.createdAt': { type: 'datetime' },
  'deal.closed': { type: 'boolean' },
  'deal.stageId': { type: 'enum', choices: [{ id: 1, label: 'New' }, { id: 2, label: 'Work' }, { id: 3, label: 'Won' }] },
  'deal.custom.region': { type: 'enum', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }] },
  'deal.custom.services': { type: 'list', choices: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }] },
};

// ---------------------------------------------------------------------------------------------
// The reference evaluator: the documented semantics written out as plainly as possible, sharing
// no code with conditions.ts (numbers through BigInt, strings through trim + toLowerCase).

const SCALE = 10n ** 12n;
function big(x: unknown): bigint {
  const s = String(x).trim();
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(i!) * SCALE + BigInt((f + '000000000000').slice(0, 12));
  return neg ? -v : v;
}
const norm = (s: unknown) => String(s).trim().toLowerCase();

function isEmptyRef(type: CatalogueType, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (type === 'list') return !Array.isArray(v) || v.length === 0;
  return typeof v === 'string' && v.trim() === '';
}

/** −1/0/1, or null when the two cannot be compared (money in two currencies). */
function cmpRef(type: CatalogueType, a: unknown, b: unknown): number | null {
  switch (type) {
    case 'number': {
      const x = big(a);
      const y = big(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'money': {
      const x = a as { amount: number; currency: string };
      const y = b as { amount: number; currency: string };
      if (x.currency !== y.currency) return null;
      return x.amount < y.amount ? -1 : x.amount > y.amount ? 1 : 0;
    }
    case 'datetime': {
      const x = Date.parse(a as string);
      const y = Date.parse(b as string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string':
      return norm(a) === norm(b) ? 0 : null;
    case 'enum':
      return String(a) === String(b) ? 0 : null;
    default:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  }
}

function refLeaf(leaf: ConditionLeaf, rec: Record<string, unknown>): boolean {
  const type = CAT[leaf.field]!.type;
  const a = rec[leaf.field];
  if (leaf.op === 'empty') return isEmptyRef(type, a);
  if (leaf.op === 'not_empty') return !isEmptyRef(type, a);
  if (leaf.op === 'neq') return !refLeaf({ ...leaf, op: 'eq' }, rec);
  if (isEmptyRef(type, a)) return false;
  const v = leaf.value;
  if (type === 'list') {
    const items = (a as unknown[]).map(String);
    if (leaf.op === 'contains') return items.includes(String(v));
    if (leaf.op === 'in') return (v as unknown[]).some((x) => items.includes(String(x)));
    return false;
  }
  switch (leaf.op) {
    case 'eq':
      return cmpRef(type, a, v) === 0;
    case 'gt':
      return (cmpRef(type, a, v) ?? 0) > 0;
    case 'lt':
      return (cmpRef(type, a, v) ?? 0) < 0;
    case 'between': {
      const [lo, hi] = v as [unknown, unknown];
      const c1 = cmpRef(type, a, lo);
      const c2 = cmpRef(type, a, hi);
      return c1 !== null && c2 !== null && c1 >= 0 && c2 <= 0;
    }
    case 'contains':
      return norm(a).includes(norm(v));
    case 'in':
      return (v as unknown[]).some((x) => cmpRef(type, a, x) === 0);
    default:
      return false;
  }
}

function refEval(node: ConditionNode, rec: Record<string, unknown>): boolean {
  if ('all' in node) return node.all.every((n) => refEval(n, rec));
  if ('any' in node) return node.any.some((n) => refEval(n, rec));
  return refLeaf(node, rec);
}

// ---------------------------------------------------------------------------------------------
// Generators: small value domains so that equal, greater and empty values all come up often.

const recordDomain: Record<string, unknown[]> = {
  'deal.title': ['Москва', ' москва ', 'МОСКВА поставка', 'Kazan', 'kaz', '', '   ', null],
  'deal.probability': [0, 5, '5', '5.0', '-2.5', 12.5, '12.50', '99999999999999999999.5', null],
  'deal.amount': [{ amount: 0, currency: 'RUB' }, { amount: 100_000, currency: 'RUB' }, { amount: 250_050, currency: 'RUB' }, { amount: 100_000, currency: 'USD' }, null],
  'deal.closeDate': ['2026-01-01', '2026-02-28', '2026-12-31', '2027-01-01', null],
  'deal.createdAt': ['2026-01-01T00:00:00.000Z', '2026-01-01T03:00:00+03:00', '2026-06-30T23:59:59Z', '2027-01-01T00:00:00+03:00', null],
  'deal.closed': [true, false, null],
  'deal.stageId': [1, 2, 3, null],
  'deal.custom.region': ['a', 'b', 'c', null, ''],
  'deal.custom.services': [[], ['a'], ['b', 'c'], ['a', 'b', 'c'], null],
};

const valueDomain: Record<string, unknown[]> = {
  'deal.title': ['москва', 'Kazan', 'KAZ', ' поставка ', 'нет такого'],
  'deal.probability': [0, 5, '-2.5', '12.5', 100, '99999999999999999999.4', '99999999999999999999.6'],
  'deal.amount': [{ amount: 0, currency: 'RUB' }, { amount: 100_000, currency: 'RUB' }, { amount: 200_000, currency: 'RUB' }, { amount: 100_000, currency: 'USD' }],
  'deal.closeDate': ['2026-01-01', '2026-06-15', '2026-12-31', '2027-01-01'],
  'deal.createdAt': ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59Z', '2026-12-31T21:00:00Z', '2026-03-01T12:00:00+05:00'],
  'deal.closed': [true, false],
  'deal.stageId': [1, 2, 3],
  'deal.custom.region': ['a', 'b', 'c'],
  'deal.custom.services': ['a', 'b', 'c'],
};

const fields = Object.keys(CAT);
const pick = (xs: unknown[]) => fc.constantFrom(...xs);

const leafArb: fc.Arbitrary<ConditionLeaf> = fc.constantFrom(...fields).chain((field) =>
  fc.constantFrom(...OPS_BY_TYPE[CAT[field]!.type]).chain((op): fc.Arbitrary<ConditionLeaf> => {
    const one = pick(valueDomain[field]!);
    if (op === 'empty' || op === 'not_empty') return fc.constant({ field, op });
    if (op === 'in') return fc.array(one, { minLength: 1, maxLength: 3 }).map((value) => ({ field, op, value }));
    if (op === 'between') return fc.tuple(one, one).map((value) => ({ field, op, value }));
    return one.map((value) => ({ field, op, value }));
  }),
);

const treeArb: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((all) => ({ all })),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((any) => ({ any })),
  ),
})).node;

const recordArb = fc.record(Object.fromEntries(fields.map((f) => [f, pick(recordDomain[f]!)]))) as fc.Arbitrary<Record<string, unknown>>;

function nodeAt(tree: ConditionNode, at: string): ConditionNode {
  let node = tree;
  for (const [, key, i] of at.matchAll(/\.(all|any)\[(\d+)\]/g)) node = (node as Record<string, ConditionNode[]>)[key!]![Number(i)]!;
  return node;
}

describe('condition evaluation against the reference evaluator', () => {
  it('gives the same result for any condition and record', () => {
    fc.assert(
      fc.property(treeArb, recordArb, (tree, rec) => {
        expect(evaluate(tree, rec, CAT).result).toBe(refEval(tree, rec));
      }),
      { numRuns: 3000 },
    );
  });

  it('names, when false, a leaf that is false on its own, and nothing when true', () => {
    fc.assert(
      fc.property(treeArb, recordArb, (tree, rec) => {
        const e = evaluate(tree, rec, CAT);
        if (e.result) {
          expect(e.failed).toEqual([]);
          expect(e.explanation).toBeNull();
          return;
        }
        expect(e.failed.length).toBeGreaterThan(0);
        for (const f of e.failed) {
          const leaf = nodeAt(tree, f.at) as ConditionLeaf;
          expect(leaf.field).toBe(f.field);
          expect(refLeaf(leaf, rec)).toBe(false);
        }
        expect(e.explanation).toContain(e.failed[0]!.at);
        expect(e.explanation).toContain(e.failed[0]!.field);
      }),
      { numRuns: 1000 },
    );
  });

  it('evaluates a condition the same after validation normalised it', () => {
    fc.assert(
      fc.property(treeArb, recordArb, (tree, rec) => {
        const checked = validateCondition(tree, CAT);
        fc.pre(checked.ok); // between with from > to is refused
        if (checked.ok) expect(evaluate(checked.condition, rec, CAT).result).toBe(evaluate(tree, rec, CAT).result);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the zod schema (the OpenAPI shape) on every well-formed tree', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        expect(conditionSchema.safeParse(tree).success).toBe(true);
      }),
    );
  });

  it('compares decimals exactly, like BigInt arithmetic', () => {
    const dec = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), fc.integer({ min: 0, max: 9999 })).map(([neg, i, f]) => {
      const frac = String(f).padStart(4, '0').replace(/0+$/, '');
      const body = frac ? `${i}.${frac}` : `${i}`;
      return neg && body !== '0' ? `-${body}` : body;
    });
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        const x = big(a);
        const y = big(b);
        expect(compareDecimal(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------

const rec = {
  'deal.title': '  Поставка оборудования ',
  'deal.probability': '12.50',
  'deal.amount': { amount: 150_000_00, currency: 'RUB' },
  'deal.closeDate': '2026-12-31',
  'deal.createdAt': '2026-12-31T21:30:00.000Z',
  'deal.closed': false,
  'deal.stageId': 2,
  'deal.custom.region': 'b',
  'deal.custom.services': ['a', 'c'],
};
const ev = (field: string, op: ConditionOp, value?: unknown) => evaluate(value === undefined ? { field, op } : { field, op, value }, rec, CAT).result;

describe('each operator on each type', () => {
  it.each<[string, ConditionOp, unknown, boolean]>([
    ['deal.title', 'eq', 'поставка ОБОРУДОВАНИЯ', true],
    ['deal.title', 'neq', 'поставка', true],
    ['deal.title', 'contains', 'ОБОРУД', true],
    ['deal.title', 'contains', 'ремонт', false],
    ['deal.title', 'in', ['ремонт', 'Поставка оборудования'], true],
    ['deal.probability', 'eq', 12.5, true],
    ['deal.probability', 'gt', '12.49', true],
    ['deal.probability', 'lt', 12.5, false],
    ['deal.probability', 'between', [12.5, 13], true],
    ['deal.probability', 'in', [1, '12.500'], true],
    ['deal.amount', 'gt', { amount: 100_000_00, currency: 'RUB' }, true],
    ['deal.amount', 'lt', { amount: 100_000_00, currency: 'RUB' }, false],
    ['deal.amount', 'eq', { amount: 150_000_00, currency: 'RUB' }, true],
    ['deal.amount', 'eq', { amount: 150_000_00, currency: 'USD' }, false],
    ['deal.amount', 'gt', { amount: 1, currency: 'USD' }, false],
    ['deal.amount', 'neq', { amount: 150_000_00, currency: 'USD' }, true],
    ['deal.amount', 'between', [{ amount: 150_000_00, currency: 'RUB' }, { amount: 200_000_00, currency: 'RUB' }], true],
    ['deal.closeDate', 'eq', '2026-12-31', true],
    ['deal.closeDate', 'gt', '2026-12-30', true],
    ['deal.closeDate', 'between', ['2027-01-01', '2027-12-31'], false],
    ['deal.createdAt', 'eq', '2027-01-01T00:30:00+03:00', true],
    ['deal.createdAt', 'lt', '2027-01-01T00:00:00Z', true],
    ['deal.createdAt', 'gt', '2027-01-01T00:31:00+03:00', false],
    ['deal.closed', 'eq', false, true],
    ['deal.closed', 'neq', false, false],
    ['deal.stageId', 'eq', 2, true],
    ['deal.stageId', 'in', [1, 3], false],
    ['deal.custom.region', 'in', ['a', 'b'], true],
    ['deal.custom.region', 'neq', 'b', false],
    ['deal.custom.services', 'contains', 'c', true],
    ['deal.custom.services', 'contains', 'b', false],
    ['deal.custom.services', 'in', ['b', 'c'], true],
    ['deal.custom.services', 'in', ['b'], false],
  ])('%s %s %j → %s', (field, op, value, expected) => {
    expect(ev(field, op, value)).toBe(expected);
  });

  it('treats null, a missing field, a blank string and an empty list as empty', () => {
    const empty = { 'deal.title': '   ', 'deal.custom.services': [], 'deal.amount': null };
    for (const field of ['deal.title', 'deal.custom.services', 'deal.amount', 'deal.closeDate']) {
      expect(evaluate({ field, op: 'empty' }, empty, CAT).result).toBe(true);
      expect(evaluate({ field, op: 'not_empty' }, empty, CAT).result).toBe(false);
    }
    // every comparison is false on an empty value, except neq (the negation of eq)
    expect(evaluate({ field: 'deal.title', op: 'contains', value: 'a' }, empty, CAT).result).toBe(false);
    expect(evaluate({ field: 'deal.amount', op: 'lt', value: { amount: 1, currency: 'RUB' } }, empty, CAT).result).toBe(false);
    expect(evaluate({ field: 'deal.closeDate', op: 'neq', value: '2026-01-01' }, empty, CAT).result).toBe(true);
    expect(ev('deal.title', 'not_empty')).toBe(true);
  });

  it('is false for a field that left the catalogue since the robot was saved', () => {
    const e = evaluate({ field: 'deal.custom.gone', op: 'empty' }, rec, CAT);
    expect(e.result).toBe(false);
    expect(e.failed[0]!.field).toBe('deal.custom.gone');
  });
});

describe('the explanation', () => {
  it('names the first false part of an all group, with the value', () => {
    const tree: ConditionNode = {
      all: [
        { field: 'deal.stageId', op: 'eq', value: 2 },
        { field: 'deal.amount', op: 'gt', value: { amount: 200_000_00, currency: 'RUB' } },
        { field: 'deal.closed', op: 'eq', value: true },
      ],
    };
    const e = evaluate(tree, rec, CAT);
    expect(e.result).toBe(false);
    expect(e.failed).toEqual([{ at: 'condition.all[1]', field: 'deal.amount', op: 'gt', value: { amount: 200_000_00, currency: 'RUB' }, actual: { amount: 150_000_00, currency: 'RUB' } }]);
    expect(e.explanation).toBe('condition false at condition.all[1]: deal.amount > 20000000 RUB — the value is 15000000 RUB');
  });

  it('names every alternative of a false any group, the first one first', () => {
    const tree: ConditionNode = { any: [{ field: 'deal.custom.region', op: 'eq', value: 'a' }, { all: [{ field: 'deal.closeDate', op: 'empty' }] }] };
    const e = evaluate(tree, rec, CAT);
    expect(e.failed.map((f) => f.at)).toEqual(['condition.any[0]', 'condition.any[1].all[0]']);
    expect(e.explanation).toBe('condition false at condition.any[0]: deal.custom.region = "a" — the value is "b" (and 1 more alternative false)');
  });

  it('is null when the condition holds', () => {
    expect(evaluate({ any: [{ field: 'deal.closed', op: 'eq', value: true }, { field: 'deal.stageId', op: 'eq', value: 2 }] }, rec, CAT)).toEqual({ result: true, failed: [], explanation: null });
  });
});

describe('validation when a robot is saved', () => {
  it('names unknown fields, operators outside the type and wrongly typed values by path', () => {
    const r = validateCondition(
      {
        all: [
          { field: 'deal.titel', op: 'eq', value: 'x' },
          { any: [{ field: 'deal.amount', op: 'contains', value: 'x' }, { field: 'deal.amount', op: 'gt', value: 1000 }] },
          { field: 'deal.closeDate', op: 'between', value: ['2026-12-31', '2026-01-01'] },
          { field: 'deal.custom.region', op: 'in', value: ['a', 'z'] },
          { field: 'deal.createdAt', op: 'gt', value: '2026-01-01T10:00' },
          { field: 'deal.closed', op: 'empty', value: true },
          { field: 'deal.title', op: 'eq' },
        ],
      },
      CAT,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      'condition.all[0].field',
      'condition.all[1].any[0].op',
      'condition.all[1].any[1].value',
      'condition.all[2].value',
      'condition.all[3].value[1]',
      'condition.all[4].value',
      'condition.all[5].value',
      'condition.all[6].value',
    ]);
    expect(r.errors[0]!.message).toBe('unknown field deal.titel');
    expect(r.errors[1]!.message).toContain('contains is not an operator of a money field');
    expect(r.errors[2]!.message).toContain('{ amount, currency }');
    expect(r.errors[3]!.message).toBe('from must not be after to');
    expect(r.errors[4]!.message).toContain('is not one of the choices');
  });

  it('refuses malformed trees with the path of the problem', () => {
    const r = validateCondition({ all: [{ field: 'deal.title', op: 'like', value: 'x' }] }, CAT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ path: 'condition.all[0].op', message: expect.stringContaining('must be one of eq, neq') }]);
    const empty = validateCondition({ all: [] }, CAT);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors[0]!.path).toBe('condition.all');
    let deep: ConditionNode = { field: 'deal.closed', op: 'empty' };
    for (let i = 0; i < CONDITION_MAX_DEPTH; i++) deep = { all: [deep] };
    const d = validateCondition(deep, CAT);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.errors[0]!.message).toContain('nested at most');
    const cur = validateCondition({ field: 'deal.amount', op: 'between', value: [{ amount: 1, currency: 'RUB' }, { amount: 2, currency: 'USD' }] }, CAT);
    expect(cur).toEqual({ ok: false, errors: [{ path: 'condition.value', message: 'from and to must be in the same currency' }] });
    expect(validateCondition({ field: 'deal.title', op: 'eq', value: 'x', extra: 1 }, CAT)).toEqual({ ok: false, errors: [{ path: 'condition.extra', message: expect.stringContaining('unknown key') }] });
    expect(validateCondition({ all: [{ field: 'deal.title', op: 'eq', value: 'x' }], any: [] }, CAT)).toEqual({ ok: false, errors: [{ path: 'condition', message: 'a group has only all: [...]' }] });
    expect(validateCondition('deal.amount > 5', CAT)).toEqual({ ok: false, errors: [{ path: 'condition', message: expect.stringContaining('must be { all: [...] }') }] });
    expect(validateCondition({ __proto__: { x: 1 }, field: 'constructor', op: 'empty' }, CAT).ok).toBe(false);
  });

  it('normalises values: trimmed strings, canonical decimals, UTC datetimes', () => {
    const r = validateCondition({ all: [{ field: 'deal.title', op: 'eq', value: '  Москва ' }, { field: 'deal.probability', op: 'in', value: ['05.50', 3] }, { field: 'deal.createdAt', op: 'lt', value: '2027-01-01T00:00:00+03:00' }] }, CAT);
    expect(r).toEqual({
      ok: true,
      condition: { all: [{ field: 'deal.title', op: 'eq', value: 'Москва' }, { field: 'deal.probability', op: 'in', value: ['5.5', '3'] }, { field: 'deal.createdAt', op: 'lt', value: '2026-12-31T21:00:00.000Z' }] },
    });
  });
});

describe('the catalogue', () => {
  it('holds the base fields and custom fields by code, and flattens API records into its paths', () => {
    const cat = buildCatalogue([
      { entity: 'deal', code: 'region', type: 'list', options: { choices: [{ id: 'msk', label: 'Москва' }] } },
      { entity: 'contact', code: 'vip', type: 'boolean', options: {} },
      { entity: 'lead', code: 'ignored', type: 'string', options: {} },
    ]);
    expect(cat['deal.custom.region']).toEqual({ type: 'enum', choices: [{ id: 'msk', label: 'Москва' }] });
    expect(cat['contact.custom.vip']).toEqual({ type: 'boolean' });
    expect(cat['lead.custom.ignored']).toBeUndefined();
    expect(cat['deal.amount']).toEqual({ type: 'money' });
    const values = recordValues({
      deal: { title: 'T', amount: 500, currency: 'RUB', custom: { region: 'msk' }, version: 3 },
      contact: { firstName: 'Иван', phones: [{ value: '+79001234567' }], emails: [], custom: { vip: true } },
    });
    expect(values).toEqual({
      'deal.title': 'T',
      'deal.amount': { amount: 500, currency: 'RUB' },
      'deal.currency': 'RUB',
      'deal.custom.region': 'msk',
      'contact.firstName': 'Иван',
      'contact.phone': '+79001234567',
      'contact.email': null,
      'contact.custom.vip': true,
    });
    const e = evaluate({ all: [{ field: 'deal.custom.region', op: 'eq', value: 'msk' }, { field: 'contact.custom.vip', op: 'eq', value: true }, { field: 'company.name', op: 'empty' }] }, values, cat);
    expect(e.result).toBe(true);
  });
});
