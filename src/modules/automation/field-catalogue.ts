import type { FieldDefinition, FieldEntity } from '../custom-fields/custom-field-values.js';

// The fields a robot's condition and its texts may name, by path ('deal.amount',
// 'deal.custom.region', 'contact.firstName', 'responsible.name'), each with its type. The caller
// builds it from the base fields below and the workspace's custom fields; conditions.ts and
// templates.ts read nothing else, so a path outside the catalogue is refused when a robot is saved.
//
// Values of a record are given as a flat map from the same paths (`RecordValues`, built with
// `recordValues`): evaluation and rendering never walk an object graph, so a field can only be
// reached by a path the catalogue names.

export const CATALOGUE_TYPES = ['string', 'number', 'money', 'date', 'datetime', 'boolean', 'enum', 'list'] as const;
export type CatalogueType = (typeof CATALOGUE_TYPES)[number];

export interface CatalogueChoice {
  id: string | number;
  label: string;
}

export interface CatalogueField {
  type: CatalogueType;
  /** enum and list: the allowed ids (and labels shown in texts); absent = any id is accepted */
  choices?: readonly CatalogueChoice[];
}

export type FieldCatalogue = Readonly<Record<string, CatalogueField>>;

/** A record's values by catalogue path; a missing path or null is an empty value. */
export type RecordValues = Readonly<Record<string, unknown>>;

/** The base fields of a deal and of its linked contact, company and responsible user (API names). */
export const BASE_FIELDS: Readonly<Record<'deal' | 'contact' | 'company' | 'lead' | 'responsible', Readonly<Record<string, CatalogueField>>>> = {
  deal: {
    id: { type: 'number' },
    title: { type: 'string' },
    amount: { type: 'money' },
    currency: { type: 'string' },
    pipelineId: { type: 'enum' },
    stageId: { type: 'enum' },
    stageSemantic: {
      type: 'enum',
      choices: [
        { id: 'in_progress', label: 'in progress' },
        { id: 'success', label: 'success' },
        { id: 'failure', label: 'failure' },
      ],
    },
    responsibleId: { type: 'enum' },
    sourceId: { type: 'enum' },
    lossReasonId: { type: 'enum' },
    closeDate: { type: 'date' },
    probability: { type: 'number' },
    tags: { type: 'list' },
    comment: { type: 'string' },
    closed: { type: 'boolean' },
    overdue: { type: 'boolean' },
    noNextStep: { type: 'boolean' },
    stageChangedAt: { type: 'datetime' },
    createdAt: { type: 'datetime' },
  },
  contact: {
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    middleName: { type: 'string' },
    fullName: { type: 'string' },
    position: { type: 'string' },
    birthday: { type: 'date' },
    typeId: { type: 'enum' },
    sourceId: { type: 'enum' },
    comment: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  company: {
    name: { type: 'string' },
    typeId: { type: 'enum' },
    industryId: { type: 'enum' },
    website: { type: 'string' },
    address: { type: 'string' },
    comment: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  lead: {
    id: { type: 'number' },
    title: { type: 'string' },
    statusId: { type: 'enum' },
    statusSemantic: {
      type: 'enum',
      choices: [
        { id: 'in_progress', label: 'in progress' },
        { id: 'converted', label: 'converted' },
        { id: 'junk', label: 'junk' },
      ],
    },
    responsibleId: { type: 'enum' },
    sourceId: { type: 'enum' },
    amount: { type: 'money' },
    currency: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    middleName: { type: 'string' },
    companyName: { type: 'string' },
    position: { type: 'string' },
    comment: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    createdAt: { type: 'datetime' },
  },
  responsible: {
    name: { type: 'string' },
    email: { type: 'string' },
    phone: { type: 'string' },
    position: { type: 'string' },
  },
};

const ENTITY_PREFIX: Partial<Record<FieldEntity, 'deal' | 'contact' | 'company' | 'lead'>> = { deal: 'deal', contact: 'contact', company: 'company', lead: 'lead' };

/** The records a robot of a deal stage or of a lead status may name. */
const PREFIXES_OF: Readonly<Record<'deal' | 'lead', readonly string[]>> = { deal: ['deal', 'contact', 'company', 'responsible'], lead: ['lead', 'responsible'] };

/** A custom field's type in the catalogue (user and record ids are enums of ids; text is a string). */
export function catalogueFieldOf(def: Pick<FieldDefinition, 'type' | 'options'>): CatalogueField {
  switch (def.type) {
    case 'string':
    case 'text':
      return { type: 'string' };
    case 'list':
      return { type: 'enum', choices: def.options.choices ?? [] };
    case 'multilist':
      return { type: 'list', choices: def.options.choices ?? [] };
    case 'user':
    case 'record':
      return { type: 'enum' };
    default:
      return { type: def.type };
  }
}

/**
 * The catalogue of a deal robot: the base fields, the custom fields of deals, contacts and
 * companies as `<entity>.custom.<code>`, and `extra` entries (e.g. stage choices with names).
 */
export function buildCatalogue(
  customFields: readonly Pick<FieldDefinition, 'entity' | 'code' | 'type' | 'options'>[],
  extra: FieldCatalogue = {},
  /** a lead status's robots name the lead and its responsible; a deal stage's the deal, its contact, company and responsible */
  of: 'deal' | 'lead' = 'deal',
): FieldCatalogue {
  const out: Record<string, CatalogueField> = {};
  const prefixes = PREFIXES_OF[of];
  for (const [prefix, fields] of Object.entries(BASE_FIELDS)) {
    if (!prefixes.includes(prefix)) continue;
    for (const [name, field] of Object.entries(fields)) out[`${prefix}.${name}`] = field;
  }
  for (const def of customFields) {
    const prefix = ENTITY_PREFIX[def.entity];
    if (prefix && prefixes.includes(prefix)) out[`${prefix}.custom.${def.code}`] = catalogueFieldOf(def);
  }
  return { ...out, ...extra };
}

type Source = Readonly<Record<string, unknown>> | null | undefined;

const firstValue = (items: unknown): unknown => (Array.isArray(items) && items.length > 0 ? ((items[0] as { value?: unknown }).value ?? null) : null);

/**
 * Flattens the API shapes of a deal, its primary contact, its company and its responsible user
 * into `RecordValues`: `deal.amount` becomes `{ amount, currency }`, `custom` values become
 * `<entity>.custom.<code>`, the first phone and e-mail become `contact.phone`/`contact.email`.
 */
export function recordValues(records: { deal?: Source; contact?: Source; company?: Source; lead?: Source; responsible?: Source }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prefix of ['deal', 'contact', 'company', 'lead', 'responsible'] as const) {
    const rec = records[prefix];
    if (!rec) continue;
    for (const name of Object.keys(BASE_FIELDS[prefix])) {
      if (Object.prototype.hasOwnProperty.call(rec, name)) out[`${prefix}.${name}`] = rec[name];
    }
    if (prefix === 'contact' || prefix === 'company' || prefix === 'lead') {
      if (!Object.prototype.hasOwnProperty.call(rec, 'phone')) out[`${prefix}.phone`] = firstValue(rec.phones);
      if (!Object.prototype.hasOwnProperty.call(rec, 'email')) out[`${prefix}.email`] = firstValue(rec.emails);
    }
    const custom = rec.custom;
    if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
      for (const [code, value] of Object.entries(custom)) out[`${prefix}.custom.${code}`] = value;
    }
  }
  for (const prefix of ['deal', 'lead'] as const) {
    const rec = records[prefix];
    if (rec && typeof rec.amount === 'number') out[`${prefix}.amount`] = { amount: rec.amount, currency: rec.currency };
  }
  return out;
}
