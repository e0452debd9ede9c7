import type { Schemas } from '../../api/types';

// The robots screen's pure parts: the robot types' parameter forms read from their JSON Schema,
// the field catalogue conditions and placeholders name (as src/modules/automation/field-catalogue.ts),
// the operators per type (conditions.ts OPS_BY_TYPE), and the server's field errors by form part.

export type Robot = Schemas['Robot'];
export type RobotType = Schemas['RobotType'];
export type RobotRun = Schemas['RobotRun'];
export type RobotDryRun = Schemas['RobotDryRun'];
export type RobotApplyResult = Schemas['RobotApplyResult'];

export type CatalogueType = 'string' | 'number' | 'money' | 'date' | 'datetime' | 'boolean' | 'enum' | 'list';
export type ConditionOp = 'eq' | 'neq' | 'gt' | 'lt' | 'contains' | 'empty' | 'not_empty' | 'in' | 'between';

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

/** The base fields of the catalogue (field-catalogue.ts BASE_FIELDS), by path. */
export const BASE_FIELDS: Readonly<Record<string, CatalogueType>> = {
  'deal.id': 'number',
  'deal.title': 'string',
  'deal.amount': 'money',
  'deal.currency': 'string',
  'deal.pipelineId': 'enum',
  'deal.stageId': 'enum',
  'deal.stageSemantic': 'enum',
  'deal.responsibleId': 'enum',
  'deal.sourceId': 'enum',
  'deal.lossReasonId': 'enum',
  'deal.closeDate': 'date',
  'deal.probability': 'number',
  'deal.tags': 'list',
  'deal.comment': 'string',
  'deal.closed': 'boolean',
  'deal.overdue': 'boolean',
  'deal.noNextStep': 'boolean',
  'deal.stageChangedAt': 'datetime',
  'deal.createdAt': 'datetime',
  'contact.firstName': 'string',
  'contact.lastName': 'string',
  'contact.middleName': 'string',
  'contact.fullName': 'string',
  'contact.position': 'string',
  'contact.birthday': 'date',
  'contact.typeId': 'enum',
  'contact.sourceId': 'enum',
  'contact.comment': 'string',
  'contact.phone': 'string',
  'contact.email': 'string',
  'company.name': 'string',
  'company.typeId': 'enum',
  'company.industryId': 'enum',
  'company.website': 'string',
  'company.address': 'string',
  'company.comment': 'string',
  'company.phone': 'string',
  'company.email': 'string',
  'responsible.name': 'string',
  'responsible.email': 'string',
  'responsible.phone': 'string',
  'responsible.position': 'string',
};

/** The base fields of a lead status's robots (field-catalogue.ts BASE_FIELDS.lead and .responsible). */
export const LEAD_FIELDS: Readonly<Record<string, CatalogueType>> = {
  'lead.id': 'number',
  'lead.title': 'string',
  'lead.statusId': 'enum',
  'lead.statusSemantic': 'enum',
  'lead.responsibleId': 'enum',
  'lead.sourceId': 'enum',
  'lead.amount': 'money',
  'lead.currency': 'string',
  'lead.firstName': 'string',
  'lead.lastName': 'string',
  'lead.middleName': 'string',
  'lead.companyName': 'string',
  'lead.position': 'string',
  'lead.comment': 'string',
  'lead.phone': 'string',
  'lead.email': 'string',
  'lead.createdAt': 'datetime',
  'responsible.name': 'string',
  'responsible.email': 'string',
  'responsible.phone': 'string',
  'responsible.position': 'string',
};

/** The records whose robots the screen shows: a pipeline's deal stages, or the lead statuses. */
export type RobotEntity = 'deal' | 'lead';

/** The fields offered first in the placeholder picker. */
export const PLACEHOLDER_FIELDS = [
  'deal.title',
  'deal.amount',
  'deal.closeDate',
  'deal.comment',
  'contact.fullName',
  'contact.firstName',
  'contact.phone',
  'contact.email',
  'company.name',
  'responsible.name',
  'responsible.phone',
] as const;

/** The same for a lead status's robots. */
export const LEAD_PLACEHOLDER_FIELDS = ['lead.title', 'lead.firstName', 'lead.lastName', 'lead.companyName', 'lead.phone', 'lead.email', 'lead.amount', 'lead.comment', 'responsible.name', 'responsible.phone'] as const;

/** The placeholder picker's first fields for the catalogue at hand (a lead's or a deal's). */
export const placeholderFields = (catalogue: readonly CatalogueEntry[]): readonly string[] =>
  catalogue.some((c) => c.path.startsWith('lead.')) ? LEAD_PLACEHOLDER_FIELDS : PLACEHOLDER_FIELDS;

/** The robot types that may sit on a deal stage or on a lead status. */
export const typesFor = (types: readonly RobotType[], entity: RobotEntity): RobotType[] => types.filter((t) => t.entities.includes(entity));

export interface CatalogueEntry {
  path: string;
  type: CatalogueType;
  /** a custom field's name (base fields are named by the i18n keys automation.fields.<path>) */
  name?: string;
  choices?: Array<{ id: string | number; label: string }>;
}

interface CustomDef {
  entity: string;
  code: string;
  name: string;
  type: string;
  options: { choices?: Array<{ id: string | number; label: string }> };
}

/** A custom field's type in the catalogue (catalogueFieldOf). */
export function customType(type: string): CatalogueType {
  switch (type) {
    case 'string':
    case 'text':
      return 'string';
    case 'list':
    case 'user':
    case 'record':
      return 'enum';
    case 'multilist':
      return 'list';
    default:
      return type as CatalogueType;
  }
}

export function buildCatalogue(custom: readonly CustomDef[], of: RobotEntity = 'deal'): CatalogueEntry[] {
  const out: CatalogueEntry[] = Object.entries(of === 'lead' ? LEAD_FIELDS : BASE_FIELDS).map(([path, type]) => ({ path, type }));
  const entities: readonly string[] = of === 'lead' ? ['lead'] : ['deal', 'contact', 'company'];
  for (const d of custom) {
    if (!entities.includes(d.entity)) continue;
    out.push({ path: `${d.entity}.custom.${d.code}`, type: customType(d.type), name: d.name, choices: d.options.choices });
  }
  return out;
}

// ── parameter forms from JSON Schema ──

type Json = Record<string, unknown>;

/** How a parameter is edited. */
export type ParamWidget =
  | { kind: 'text'; multiline: boolean; maxLength?: number }
  | { kind: 'enum'; values: string[] }
  | { kind: 'number'; integer: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'person' }
  | { kind: 'people' }
  | { kind: 'deadline' }
  | { kind: 'stage' }
  | { kind: 'lossReason' }
  | { kind: 'users' }
  /** userIds beside departmentId (change_responsible): a list of users or a department's members, edited as one */
  | { kind: 'pool' }
  | { kind: 'json' };

export interface ParamField {
  key: string;
  required: boolean;
  nullable: boolean;
  /** a text with {{placeholders}} */
  template: boolean;
  widget: ParamWidget;
  default?: unknown;
}

/** The non-null branch of `anyOf: [X, {type: null}]`, and whether null was one. */
function unwrapNull(s: Json): { schema: Json; nullable: boolean } {
  const any = s.anyOf as Json[] | undefined;
  if (Array.isArray(any)) {
    const rest = any.filter((x) => x.type !== 'null');
    if (rest.length === 1 && rest.length < any.length) return { schema: { ...rest[0], default: s.default }, nullable: true };
  }
  return { schema: s, nullable: false };
}

export function paramFields(type: Pick<RobotType, 'paramsSchema' | 'texts'>): ParamField[] {
  const schema = type.paramsSchema as Json;
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  // a pool of users or a department: `userIds` edits the three keys, the other two have no field of their own
  const pool = 'userIds' in props && 'departmentId' in props;
  return Object.entries(props)
    .filter(([key]) => !(pool && POOL_PARTS.includes(key)))
    .map(([key, raw]) => {
      const { schema: s, nullable } = unwrapNull(raw);
      const widget: ParamWidget = pool && key === 'userIds' ? { kind: 'pool' } : widgetOf(key, s);
      return { key, required: required.has(key), nullable, template: type.texts.includes(key), widget, default: raw.default };
    });
}

/** The keys the pool widget edits beside `userIds`. */
export const POOL_PARTS = ['departmentId', 'includeSubdepartments'];

export interface PoolValue {
  userIds: number[];
  departmentId: number | null;
  includeSubdepartments: boolean;
}

/** The pool of a robot's parameters. */
export function poolOf(params: Record<string, unknown>): PoolValue {
  return {
    userIds: Array.isArray(params.userIds) ? (params.userIds as number[]) : [],
    departmentId: typeof params.departmentId === 'number' ? params.departmentId : null,
    includeSubdepartments: params.includeSubdepartments === true,
  };
}

function widgetOf(key: string, s: Json): ParamWidget {
  if (key === 'assignee') return { kind: 'person' };
  if (key === 'to') return { kind: 'people' };
  if (key === 'deadline') return { kind: 'deadline' };
  if (key === 'stageId') return { kind: 'stage' };
  if (key === 'lossReasonId') return { kind: 'lossReason' };
  if (Array.isArray(s.enum)) return { kind: 'enum', values: s.enum as string[] };
  switch (s.type) {
    case 'string':
      return { kind: 'text', multiline: typeof s.maxLength !== 'number' || s.maxLength > 500, maxLength: s.maxLength as number | undefined };
    case 'integer':
    case 'number':
      return { kind: 'number', integer: s.type === 'integer', min: (s.minimum as number | undefined) ?? (typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : undefined), max: s.maximum as number | undefined };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      if ((s.items as Json | undefined)?.type === 'integer') return { kind: 'users' };
      return { kind: 'json' };
    default:
      return { kind: 'json' };
  }
}

/** Starting values of a new robot's parameters: each field's default, else empty. */
export function initialParams(fields: ParamField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.default !== undefined) out[f.key] = f.default;
    else if (f.widget.kind === 'enum' && f.required) out[f.key] = f.widget.values[0];
    else if (f.widget.kind === 'users') out[f.key] = [];
    else if (f.widget.kind === 'json') out[f.key] = {};
  }
  return out;
}

/** The parameters as sent: empty optional texts are left out (or null), empty numbers too. */
export function cleanParams(fields: ParamField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.widget.kind === 'pool') {
      Object.assign(out, poolOf(values));
      continue;
    }
    const v = values[f.key];
    if (v === undefined || v === '' || (v === null && !f.nullable)) {
      if (f.nullable && v === '') out[f.key] = null;
      continue;
    }
    out[f.key] = v;
  }
  return out;
}

// ── server errors by form part ──

/** The message of the first error at `path` or under it (`params.to` takes `params.to.userIds`). */
export function errorAt(errors: Record<string, string>, path: string): string | undefined {
  for (const [p, m] of Object.entries(errors)) if (p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) return m;
  return undefined;
}

/** The errors no field of the form shows. */
export function unplacedErrors(errors: Record<string, string>, placed: (path: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([p]) => !placed(p))
    .map(([p, m]) => `${p}: ${m}`);
}

// ── conditions ──

export interface ConditionRow {
  field: string;
  op: ConditionOp;
  /** as typed: a text, a number, 'true'/'false'; `in` comma-separated; `between` two parts */
  value: string;
  value2: string;
}
export interface ConditionGroup {
  mode: 'all' | 'any';
  rows: ConditionRow[];
}

export const NO_VALUE_OPS: readonly ConditionOp[] = ['empty', 'not_empty'];

const scalar = (type: CatalogueType, text: string): unknown => {
  const s = text.trim();
  switch (type) {
    case 'number':
      return s === '' ? s : Number(s.replace(',', '.'));
    case 'money': {
      const n = Number(s.replace(/\s/g, '').replace(',', '.'));
      return { amount: Number.isFinite(n) ? Math.round(n * 100) : s, currency: 'RUB' };
    }
    case 'boolean':
      return s === 'true';
    case 'enum':
    case 'list':
      return /^\d+$/.test(s) ? Number(s) : s;
    default:
      return s;
  }
};

const unscalar = (v: unknown): string => {
  if (v && typeof v === 'object' && 'amount' in v) return String((v as { amount: number }).amount / 100);
  return v === undefined || v === null ? '' : String(v);
};

/** The condition tree the API takes, or undefined for no condition. */
export function toCondition(group: ConditionGroup, typeOf: (path: string) => CatalogueType): unknown {
  const rows = group.rows.filter((r) => r.field);
  if (rows.length === 0) return undefined;
  const leaves = rows.map((r) => {
    const type = typeOf(r.field);
    if (NO_VALUE_OPS.includes(r.op)) return { field: r.field, op: r.op };
    if (r.op === 'in')
      return {
        field: r.field,
        op: r.op,
        value: r.value
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .map((x) => scalar(type === 'list' ? 'enum' : type, x)),
      };
    if (r.op === 'between') return { field: r.field, op: r.op, value: [scalar(type, r.value), scalar(type, r.value2)] };
    return { field: r.field, op: r.op, value: scalar(r.op === 'contains' && type === 'list' ? 'enum' : type, r.value) };
  });
  return { [group.mode]: leaves };
}

/** True for a condition the builder cannot show as one group (a group in a group, made through the API). */
export function isNestedCondition(c: unknown): boolean {
  if (!c || typeof c !== 'object') return false;
  const node = c as Record<string, unknown>;
  const items = node.all ?? node.any;
  return Array.isArray(items) && items.some((x) => x && typeof x === 'object' && !('field' in x));
}

/** A saved condition as the builder's one group (leaves only; see isNestedCondition). */
export function fromCondition(c: unknown): ConditionGroup {
  if (!c || typeof c !== 'object') return { mode: 'all', rows: [] };
  const node = c as Record<string, unknown>;
  const mode = 'any' in node ? 'any' : 'all';
  const items = (Array.isArray(node[mode]) ? node[mode] : 'field' in node ? [node] : []) as Array<Record<string, unknown>>;
  return {
    mode,
    rows: items
      .filter((x) => typeof x.field === 'string')
      .map((x) => {
        const v = x.value;
        const op = x.op as ConditionOp;
        if (op === 'between' && Array.isArray(v)) return { field: x.field as string, op, value: unscalar(v[0]), value2: unscalar(v[1]) };
        if (Array.isArray(v)) return { field: x.field as string, op, value: v.map(unscalar).join(', '), value2: '' };
        return { field: x.field as string, op, value: unscalar(v), value2: '' };
      }),
  };
}

/** Puts `text` into `value` at the cursor (or over the selection); returns the new value and cursor. */
export function insertAt(value: string, text: string, start: number | null, end: number | null): { value: string; cursor: number } {
  const s = start ?? value.length;
  const e = end ?? s;
  return { value: value.slice(0, s) + text + value.slice(e), cursor: s + text.length };
}

/** New positions after moving robot `from` to index `to` in its stage: the robots whose position changes. */
export function reorderPatches(robots: readonly Robot[], from: number, to: number): Array<{ robot: Robot; position: number }> {
  const list = [...robots];
  const [moved] = list.splice(from, 1);
  if (!moved) return [];
  list.splice(to, 0, moved);
  return list.map((robot, position) => ({ robot, position })).filter((x) => x.robot.position !== x.position);
}
