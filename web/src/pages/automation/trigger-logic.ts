import type { Schemas } from '../../api/types';
import { paramFields, type ParamField, type ParamWidget } from './robot-logic';

// The triggers' pure parts: their parameter forms read from the type's JSON Schema (the robots'
// reader, with the trigger parameters' own widgets: a deal field, a user), and the deal fields a
// «field changed» trigger can watch (the ones whose changes the timeline records).

export type Trigger = Schemas['Trigger'];
export type TriggerType = Schemas['TriggerType'];
export type TriggerFiring = Schemas['TriggerFiring'];

export type TriggerWidget = ParamWidget | { kind: 'dealField' } | { kind: 'user' } | { kind: 'value' };
export type TriggerParamField = Omit<ParamField, 'widget'> & { widget: TriggerWidget };

/** The deal's base fields a field_changed trigger watches (trigger-types.ts fieldChanged.check); custom deal fields too. */
export const WATCHED_DEAL_FIELDS = ['title', 'amount', 'currency', 'companyId', 'sourceId', 'closeDate', 'probability', 'tags', 'comment', 'responsibleId'].map((f) => `deal.${f}`);

export function isWatchedField(path: string): boolean {
  return WATCHED_DEAL_FIELDS.includes(path) || path.startsWith('deal.custom.');
}

export function triggerParamFields(type: Pick<TriggerType, 'paramsSchema'>): TriggerParamField[] {
  return paramFields({ paramsSchema: type.paramsSchema, texts: [] }).map((f) => {
    if (f.key === 'field') return { ...f, widget: { kind: 'dealField' } };
    if (f.key === 'userId') return { ...f, widget: { kind: 'user' } };
    if (f.key === 'value') return { ...f, widget: { kind: 'value' } };
    return f;
  });
}

/** Starting values of a new trigger's parameters: each field's default (null is «any»), else empty. */
export function initialTriggerParams(fields: TriggerParamField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.default !== undefined) out[f.key] = f.default;
  return out;
}

/** The parameters as sent: empty values are left out (the server's default, or «any value»), null kept where allowed. */
export function cleanTriggerParams(fields: TriggerParamField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === '') continue;
    if (v === null && !f.nullable) continue;
    out[f.key] = v;
  }
  return out;
}
