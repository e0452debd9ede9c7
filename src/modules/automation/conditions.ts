import { z } from 'zod';
import type { FieldError } from '../../server/errors.js';
import { canonicalDecimal, isCalendarDate, normalizeDateTime } from '../custom-fields/custom-field-values.js';
import type { CatalogueField, CatalogueType, FieldCatalogue, RecordValues } from './field-catalogue.js';

// A robot's optional condition: AND/OR groups over catalogue fields (field-catalogue.ts).
// The language and its semantics are documented in docs/automation-conditions.md; in short:
//
//   node  = { all: node[] } | { any: node[] } | { field, op, value? }
//   ops   = eq neq gt lt contains empty not_empty in between
//
// - Empty: null, a missing path, a string that is blank after trimming, an empty list. `empty`
//   and `not_empty` test it; `neq` is exactly `not eq`, so an empty value is "not equal" to
//   anything; every other operator is false on an empty value.
// - Strings compare trimmed and case-insensitively (eq, neq, contains, in).
// - Numbers compare exactly as decimals ("12.50" = 12.5); no floating-point rounding.
// - Money compares its minor units and needs the same currency: against another currency eq, gt,
//   lt and between are false (and neq true).
// - Dates are YYYY-MM-DD, compared as calendar dates; datetimes are ISO 8601 with an offset,
//   compared as instants.
// - enum (one id) and list (several ids: multi-select, tags) compare ids exactly; `in` on an enum
//   is "one of", on a list "shares at least one"; `contains` on a list is "has this id".
// - between is inclusive at both ends: value [from, to] with from ≤ to.

export const CONDITION_OPS = ['eq', 'neq', 'gt', 'lt', 'contains', 'empty', 'not_empty', 'in', 'between'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface ConditionLeaf {
  field: string;
  op: ConditionOp;
  value?: unknown;
}
export type ConditionNode = ConditionLeaf | { all: ConditionNode[] } | { any: ConditionNode[] };

/** At most this deep (a group in a group in …) and this many leaves: a condition is read by people. */
export const CONDITION_MAX_DEPTH = 5;
export const CONDITION_MAX_LEAVES = 50;

const FIELD_PATH = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9_]*){1,2}$/;

const leafSchema = z.strictObject({
  field: z.string().regex(FIELD_PATH, 'must be a field path like deal.amount or deal.custom.region'),
  op: z.enum(CONDITION_OPS),
  value: z.unknown().optional(),
});

export const conditionSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([leafSchema, z.strictObject({ all: z.array(conditionSchema).min(1).max(CONDITION_MAX_LEAVES) }), z.strictObject({ any: z.array(conditionSchema).min(1).max(CONDITION_MAX_LEAVES) })]),
);

/** Operators each type allows. */
export const OPS_BY_TYPE: Readonly<Record<CatalogueType, readonly ConditionOp[]>> = {
  string: ['eq', 'neq', 'contains', 'in', 'empty', 'not_empty'],
  number: ['eq', 'neq', 'gt', 'lt', 'between', 'in', 'empty', 'not_empty'],
  money: ['eq', 'neq', 'gt', 'lt', 'between', 'empty', 'not_empty'],
  date: ['eq', 'neq', 'gt', 'lt', 'between', 'empty', 'not_empty'],
  datetime: ['eq', 'neq', 'gt', 'lt', 'between', 'empty', 'not_empty'],
  boolean: ['eq', 'neq', 'empty', 'not_empty'],
  enum: ['eq', 'neq', 'in', 'empty', 'not_empty'],
  list: ['contains', 'in', 'empty', 'not_empty'],
};

const isLeaf = (n: ConditionNode): n is ConditionLeaf => 'field' in n;
const childrenOf = (n: ConditionNode): ConditionNode[] => ('all' in n ? n.all : 'any' in n ? n.any : []);

/** The catalogue paths a condition reads (which linked records a run must load). */
export const conditionFields = (n: ConditionNode): string[] => (isLeaf(n) ? [n.field] : childrenOf(n).flatMap(conditionFields));

// ---------------------------------------------------------------------------------------------
// Scalars: one normalised form per type, shared by validation (condition values) and evaluation
// (record values), so that what was checked at save time is what is compared at run time.

type Money = { amount: number; currency: string };
type Scalar = string | number | boolean | Money;
type Parsed = { ok: true; value: Scalar } | { ok: false; message: string };

const okv = (value: Scalar): Parsed => ({ ok: true, value });
const badv = (message: string): Parsed => ({ ok: false, message });

function toDecimal(v: unknown): string | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    const s = String(v);
    return canonicalDecimal(/e/i.test(s) ? v.toFixed(10) : s);
  }
  return typeof v === 'string' ? canonicalDecimal(v) : null;
}

/** Compares canonical decimal strings exactly: −1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const na = a.startsWith('-');
  const nb = b.startsWith('-');
  if (na !== nb) return na ? -1 : 1;
  const [ai, af = ''] = (na ? a.slice(1) : a).split('.') as [string, string?];
  const [bi, bf = ''] = (nb ? b.slice(1) : b).split('.') as [string, string?];
  let c = ai.length !== bi.length ? Math.sign(ai.length - bi.length) : ai < bi ? -1 : ai > bi ? 1 : 0;
  if (c === 0) {
    const len = Math.max(af.length, bf.length);
    const pa = af.padEnd(len, '0');
    const pb = bf.padEnd(len, '0');
    c = pa < pb ? -1 : pa > pb ? 1 : 0;
  }
  return na ? -c : c;
}

const foldString = (s: string) => s.trim().toLowerCase();

/** A value of the field's type in its comparable form (record side or condition side). */
function parseScalar(field: CatalogueField, v: unknown): Parsed {
  switch (field.type) {
    case 'string':
      return typeof v === 'string' ? okv(foldString(v)) : typeof v === 'number' ? okv(String(v)) : badv('must be a string');
    case 'number': {
      const d = toDecimal(v);
      return d === null ? badv('must be a number or a decimal string like "12.5"') : okv(d);
    }
    case 'money': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return badv('must be { amount, currency } (amount in minor units)');
      const m = v as Record<string, unknown>;
      if (!Number.isSafeInteger(m.amount)) return badv('amount must be an integer number of minor units (kopecks)');
      if (typeof m.currency !== 'string' || !/^[A-Z]{3}$/.test(m.currency)) return badv('currency must be an ISO 4217 code like "RUB"');
      return okv({ amount: m.amount as number, currency: m.currency });
    }
    case 'date':
      if (typeof v === 'string' && isCalendarDate(v)) return okv(v);
      return badv('must be a date YYYY-MM-DD');
    case 'datetime': {
      const iso = typeof v === 'string' ? normalizeDateTime(v) : null;
      return iso ? okv(Date.parse(iso)) : badv('must be an ISO 8601 time with an offset, e.g. 2026-11-28T09:30:00Z');
    }
    case 'boolean':
      return typeof v === 'boolean' ? okv(v) : badv('must be true or false');
    case 'enum':
    case 'list': {
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) return badv('must be a choice id');
      const id = String(v);
      if (field.choices && !field.choices.some((c) => String(c.id) === id)) return badv(`is not one of the choices: ${field.choices.map((c) => c.id).join(', ')}`);
      return okv(id);
    }
  }
}

/** A record's value: null when empty, a list of ids for `list` fields, else one scalar. */
function recordValue(field: CatalogueField, v: unknown): Scalar | string[] | null {
  if (v === null || v === undefined) return null;
  if (field.type === 'list') {
    if (!Array.isArray(v)) return null;
    const ids = v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
    return ids.length ? ids : null;
  }
  if (typeof v === 'string' && v.trim() === '') return null;
  const p = parseScalar({ type: field.type }, v);
  return p.ok ? p.value : null;
}

function compare(type: CatalogueType, a: Scalar, b: Scalar): number | null {
  switch (type) {
    case 'number':
      return compareDecimal(a as string, b as string);
    case 'money': {
      const ma = a as Money;
      const mb = b as Money;
      return ma.currency === mb.currency ? Math.sign(ma.amount - mb.amount) : null;
    }
    case 'datetime':
      return Math.sign((a as number) - (b as number));
    default:
      return a < b ? -1 : a > b ? 1 : a === b ? 0 : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation (when a robot is saved)

export type ConditionCheck = { ok: true; condition: ConditionNode } | { ok: false; errors: FieldError[] };

/**
 * Checks a condition against the catalogue: its shape, then per leaf an unknown field, an
 * operator the field's type does not have, a missing or wrongly typed value. Errors carry paths
 * such as `condition.all[1].any[0].value`. On success, the condition comes back with its values
 * normalised (trimmed strings, canonical decimals, UTC datetimes).
 */
export function validateCondition(input: unknown, catalogue: FieldCatalogue, prefix = 'condition'): ConditionCheck {
  const errors: FieldError[] = [];
  const shaped = checkShape(input, prefix, errors);
  if (!shaped || errors.length) return { ok: false, errors };
  let leaves = 0;
  const walk = (node: ConditionNode, path: string, depth: number): ConditionNode => {
    if (!isLeaf(node)) {
      if (depth >= CONDITION_MAX_DEPTH) errors.push({ path, message: `groups may be nested at most ${CONDITION_MAX_DEPTH} deep` });
      const key = 'all' in node ? 'all' : 'any';
      return { [key]: childrenOf(node).map((c, i) => walk(c, `${path}.${key}[${i}]`, depth + 1)) } as ConditionNode;
    }
    leaves += 1;
    const field = Object.prototype.hasOwnProperty.call(catalogue, node.field) ? catalogue[node.field] : undefined;
    if (!field) {
      errors.push({ path: `${path}.field`, message: `unknown field ${node.field}` });
      return node;
    }
    if (!OPS_BY_TYPE[field.type].includes(node.op)) {
      errors.push({ path: `${path}.op`, message: `${node.op} is not an operator of a ${field.type} field; use one of ${OPS_BY_TYPE[field.type].join(', ')}` });
      return node;
    }
    const value = checkLeafValue(field, node, `${path}.value`, errors);
    return value === undefined ? { field: node.field, op: node.op } : { field: node.field, op: node.op, value };
  };
  const condition = walk(shaped, prefix, 1);
  if (leaves > CONDITION_MAX_LEAVES) errors.push({ path: prefix, message: `a condition may have at most ${CONDITION_MAX_LEAVES} comparisons` });
  return errors.length ? { ok: false, errors } : { ok: true, condition };
}

const SHAPE_MESSAGE = 'must be { all: [...] }, { any: [...] } or { field, op, value }';

/** The tree's shape (what conditionSchema says), checked by hand so that each error has its exact path. */
function checkShape(input: unknown, path: string, errors: FieldError[]): ConditionNode | null {
  if (!input || typeof input !== 'object' || Array.isArray(input) || Object.getPrototypeOf(input) !== Object.prototype) {
    errors.push({ path, message: SHAPE_MESSAGE });
    return null;
  }
  const obj = input as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.includes('all') || keys.includes('any')) {
    const key = keys.includes('all') ? 'all' : 'any';
    if (keys.length !== 1) {
      errors.push({ path, message: `a group has only ${key}: [...]` });
      return null;
    }
    const list = obj[key];
    if (!Array.isArray(list) || list.length === 0) {
      errors.push({ path: `${path}.${key}`, message: 'must be a non-empty list of conditions' });
      return null;
    }
    if (list.length > CONDITION_MAX_LEAVES) {
      errors.push({ path: `${path}.${key}`, message: `must have at most ${CONDITION_MAX_LEAVES} conditions` });
      return null;
    }
    const children = list.map((c, i) => checkShape(c, `${path}.${key}[${i}]`, errors));
    return children.every((c) => c !== null) ? ({ [key]: children } as ConditionNode) : null;
  }
  const extra = keys.find((k) => k !== 'field' && k !== 'op' && k !== 'value');
  if (extra !== undefined) {
    errors.push({ path: `${path}.${extra}`, message: `unknown key; ${SHAPE_MESSAGE}` });
    return null;
  }
  let ok = true;
  if (typeof obj.field !== 'string' || !FIELD_PATH.test(obj.field)) {
    errors.push({ path: `${path}.field`, message: 'must be a field path like deal.amount or deal.custom.region' });
    ok = false;
  }
  if (typeof obj.op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(obj.op)) {
    errors.push({ path: `${path}.op`, message: `must be one of ${CONDITION_OPS.join(', ')}` });
    ok = false;
  }
  if (!ok) return null;
  const leaf: ConditionLeaf = { field: obj.field as string, op: obj.op as ConditionOp };
  if (obj.value !== undefined) leaf.value = obj.value;
  return leaf;
}

/** The comparable value as stored in a normalised condition (a datetime as ISO text, not ms). */
function storedScalar(field: CatalogueField, raw: unknown, parsed: Scalar): unknown {
  if (field.type === 'string' && typeof raw === 'string') return raw.trim();
  if (field.type === 'datetime') return new Date(parsed as number).toISOString();
  if ((field.type === 'enum' || field.type === 'list') && typeof raw === 'number') return raw;
  return parsed;
}

function checkLeafValue(field: CatalogueField, leaf: ConditionLeaf, path: string, errors: FieldError[]): unknown {
  const scalar = (raw: unknown, at: string): unknown => {
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
      errors.push({ path: at, message: 'is required' });
      return raw;
    }
    const p = parseScalar(field, raw);
    if (!p.ok) {
      errors.push({ path: at, message: p.message });
      return raw;
    }
    return storedScalar(field, raw, p.value);
  };
  switch (leaf.op) {
    case 'empty':
    case 'not_empty':
      if (leaf.value !== undefined) errors.push({ path, message: `${leaf.op} takes no value` });
      return undefined;
    case 'in': {
      if (!Array.isArray(leaf.value) || leaf.value.length === 0) {
        errors.push({ path, message: 'must be a non-empty list of values' });
        return leaf.value;
      }
      if (leaf.value.length > 500) {
        errors.push({ path, message: 'must have at most 500 values' });
        return leaf.value;
      }
      return leaf.value.map((v, i) => scalar(v, `${path}[${i}]`));
    }
    case 'between': {
      if (!Array.isArray(leaf.value) || leaf.value.length !== 2) {
        errors.push({ path, message: 'must be [from, to]' });
        return leaf.value;
      }
      const before = errors.length;
      const out = [scalar(leaf.value[0], `${path}[0]`), scalar(leaf.value[1], `${path}[1]`)];
      if (errors.length === before) {
        const a = parseScalar(field, out[0]);
        const b = parseScalar(field, out[1]);
        if (a.ok && b.ok) {
          const c = compare(field.type, a.value, b.value);
          if (c === null) errors.push({ path, message: 'from and to must be in the same currency' });
          else if (c > 0) errors.push({ path, message: 'from must not be after to' });
        }
      }
      return out;
    }
    default:
      return scalar(leaf.value, path);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation (when a robot fires)

/** A comparison that came out false, for the automation log. */
export interface FailedLeaf {
  /** where in the condition: `condition.all[1].any[0]` */
  at: string;
  field: string;
  op: ConditionOp;
  value?: unknown;
  /** the record's value (null when empty) */
  actual: unknown;
}

export interface Evaluation {
  result: boolean;
  /**
   * Why it is false: the comparisons that failed, in order. For an `all` group, the first child
   * that was false (the rest are not evaluated); for an `any` group, every child. The first entry
   * is "the part that made it false". Empty when the result is true.
   */
  failed: FailedLeaf[];
  /** one line for the log, or null when the result is true */
  explanation: string | null;
}

/**
 * Evaluates a condition (validated with the same catalogue) on a record. A leaf whose field left
 * the catalogue since the robot was saved is false and named in the explanation; never throws on
 * data.
 */
export function evaluate(tree: ConditionNode, record: RecordValues, catalogue: FieldCatalogue, prefix = 'condition'): Evaluation {
  const walk = (node: ConditionNode, at: string): FailedLeaf[] => {
    if (isLeaf(node)) return evaluateLeaf(node, record, catalogue) ? [] : [failure(node, at, record)];
    if ('all' in node) {
      for (let i = 0; i < node.all.length; i++) {
        const f = walk(node.all[i]!, `${at}.all[${i}]`);
        if (f.length) return f;
      }
      return [];
    }
    const failed: FailedLeaf[] = [];
    for (let i = 0; i < node.any.length; i++) {
      const f = walk(node.any[i]!, `${at}.any[${i}]`);
      if (!f.length) return [];
      failed.push(...f);
    }
    return failed;
  };
  const failed = walk(tree, prefix);
  return { result: failed.length === 0, failed, explanation: failed.length ? explain(failed) : null };
}

function failure(leaf: ConditionLeaf, at: string, record: RecordValues): FailedLeaf {
  const actual = Object.prototype.hasOwnProperty.call(record, leaf.field) ? (record[leaf.field] ?? null) : null;
  return leaf.value === undefined ? { at, field: leaf.field, op: leaf.op, actual } : { at, field: leaf.field, op: leaf.op, value: leaf.value, actual };
}

const OP_TEXT: Record<ConditionOp, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  lt: '<',
  contains: 'contains',
  empty: 'is empty',
  not_empty: 'is not empty',
  in: 'in',
  between: 'between',
};

const show = (v: unknown): string => {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'object' && !Array.isArray(v) && 'amount' in v && 'currency' in v) return `${String((v as Money).amount)} ${String((v as Money).currency)}`;
  return JSON.stringify(v);
};

function explain(failed: FailedLeaf[]): string {
  const f = failed[0]!;
  const cond = f.value === undefined ? `${f.field} ${OP_TEXT[f.op]}` : `${f.field} ${OP_TEXT[f.op]} ${show(f.value)}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more alternative${failed.length > 2 ? 's' : ''} false)` : '';
  return `condition false at ${f.at}: ${cond} — the value is ${show(f.actual)}${more}`;
}

/** One comparison on a record; false for a field the catalogue no longer has. */
export function evaluateLeaf(leaf: ConditionLeaf, record: RecordValues, catalogue: FieldCatalogue): boolean {
  const field = Object.prototype.hasOwnProperty.call(catalogue, leaf.field) ? catalogue[leaf.field] : undefined;
  if (!field || !OPS_BY_TYPE[field.type].includes(leaf.op)) return false;
  const raw = Object.prototype.hasOwnProperty.call(record, leaf.field) ? record[leaf.field] : undefined;
  const actual = recordValue(field, raw);
  if (leaf.op === 'empty') return actual === null;
  if (leaf.op === 'not_empty') return actual !== null;
  if (leaf.op === 'neq') return !evaluateLeaf({ ...leaf, op: 'eq' }, record, catalogue);
  if (actual === null) return false;
  // condition values are compared in the same normalised form as record values (choices are not
  // re-checked: a choice removed since saving simply matches nothing)
  const open: CatalogueField = { type: field.type };
  const want = (v: unknown): Scalar | null => {
    const p = parseScalar(open, v);
    return p.ok ? p.value : null;
  };
  if (field.type === 'list') {
    const ids = actual as string[];
    if (leaf.op === 'contains') {
      const w = want(leaf.value);
      return w !== null && ids.includes(w as string);
    }
    if (leaf.op === 'in') return Array.isArray(leaf.value) && leaf.value.some((v) => ids.includes(want(v) as string));
    return false;
  }
  const a = actual as Scalar;
  switch (leaf.op) {
    case 'eq': {
      const w = want(leaf.value);
      return w !== null && compare(field.type, a, w) === 0;
    }
    case 'gt':
    case 'lt': {
      const w = want(leaf.value);
      const c = w === null ? null : compare(field.type, a, w);
      return c !== null && (leaf.op === 'gt' ? c > 0 : c < 0);
    }
    case 'between': {
      if (!Array.isArray(leaf.value) || leaf.value.length !== 2) return false;
      const lo = want(leaf.value[0]);
      const hi = want(leaf.value[1]);
      if (lo === null || hi === null) return false;
      const c1 = compare(field.type, a, lo);
      const c2 = compare(field.type, a, hi);
      return c1 !== null && c2 !== null && c1 >= 0 && c2 <= 0;
    }
    case 'contains': {
      const w = want(leaf.value);
      return typeof w === 'string' && w !== '' && (a as string).includes(w);
    }
    case 'in':
      return Array.isArray(leaf.value) && leaf.value.some((v) => {
        const w = want(v);
        return w !== null && compare(field.type, a, w) === 0;
      });
    default:
      return false;
  }
}
