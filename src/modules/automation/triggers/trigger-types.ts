import { z } from 'zod';
import { ACTIVITY_TYPES } from '../../activities/activities.schema.js';
import type { OutboxEvent } from '../../timeline/outbox.js';
import { defineTriggerType, type TriggerType } from './trigger-type.js';

// The trigger types that come with Voronka. Other modules register theirs with
// `ctx.services.triggers.registry.register(...)` (and fire 'external' ones with `triggers.fire`).

const dealEvent = (e: OutboxEvent) => (e.entityType === 'deal' ? e.entityId : null);

/** Loose equality of a changed value and the one asked for: 5 and "5" are the same, so are [1,2] and [1,2]. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined || b === '';
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

/** «Дело выполнено»: an activity (of a type, if given) on the deal was completed. */
export const activityDone = defineTriggerType({
  type: 'activity_done',
  title: { ru: 'Выполнено дело', en: 'An activity was completed' },
  description: { ru: 'Дело по сделке (звонок, встреча, письмо, задача) отмечено выполненным', en: 'An activity of the deal (call, meeting, e-mail, task) was marked done' },
  source: 'event',
  params: z.strictObject({ activityType: z.enum(ACTIVITY_TYPES).nullable().default(null) }),
  dealOf: dealEvent,
  matches: (e, p) => e.kind === 'activity_done' && (p.activityType === null || e.data.type === p.activityType),
});

/** The change of one deal field in an `updated` event: old and new values, or undefined when it did not change. */
function changeOf(e: OutboxEvent, path: string): { old: unknown; new: unknown } | undefined {
  const changes = (e.data.changes ?? {}) as Record<string, { old: unknown; new: unknown } | undefined>;
  const name = path.slice('deal.'.length);
  if (name.startsWith('custom.')) {
    const code = name.slice('custom.'.length);
    const c = changes.custom;
    if (!c) return undefined;
    const before = (c.old as Record<string, unknown> | null)?.[code] ?? null;
    const after = (c.new as Record<string, unknown> | null)?.[code] ?? null;
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : { old: before, new: after };
  }
  return changes[name];
}

/** «Изменилось поле»: a field of the deal changed, optionally to a given value. */
export const fieldChanged = defineTriggerType({
  type: 'field_changed',
  title: { ru: 'Изменилось поле', en: 'A field changed' },
  description: { ru: 'Поле сделки изменилось (если указано — на это значение)', en: 'A field of the deal changed (to this value, if given)' },
  source: 'event',
  params: z.strictObject({
    field: z.string().regex(/^deal\.[A-Za-z0-9_.]+$/, 'a deal field path like deal.amount or deal.custom.region'),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  }),
  dealOf: dealEvent,
  matches(e, p) {
    if (p.field === 'deal.responsibleId') return e.kind === 'responsible_changed' && (p.value === undefined || sameValue(e.data.new, p.value));
    if (e.kind !== 'updated') return false;
    const c = changeOf(e, p.field);
    return c !== undefined && (p.value === undefined || sameValue(c.new, p.value));
  },
  check(_exec, _ws, p, _deps, catalogue) {
    const ok = Object.prototype.hasOwnProperty.call(catalogue, p.field) && (p.field.startsWith('deal.custom.') || ['title', 'amount', 'currency', 'companyId', 'sourceId', 'closeDate', 'probability', 'tags', 'comment', 'responsibleId'].includes(p.field.slice(5)));
    return ok ? [] : [{ path: 'params.field', message: `no deal field ${p.field} whose changes are recorded` }];
  },
});

/** «Сменился ответственный»: to anyone, or to a given user. */
export const responsibleChanged = defineTriggerType({
  type: 'responsible_changed',
  title: { ru: 'Сменился ответственный', en: 'The responsible changed' },
  description: { ru: 'У сделки сменился ответственный (если указан — на этого сотрудника)', en: 'The deal got another responsible (this user, if given)' },
  source: 'event',
  params: z.strictObject({ userId: z.int().positive().nullable().default(null) }),
  dealOf: dealEvent,
  matches: (e, p) => e.kind === 'responsible_changed' && (p.userId === null || e.data.new === p.userId),
  async check(exec, ws, p, deps) {
    if (p.userId === null) return [];
    try {
      await deps.users.ensureUser(exec, ws, p.userId, 'params.userId');
      return [];
    } catch {
      return [{ path: 'params.userId', message: `user ${p.userId} does not exist` }];
    }
  },
});

/** «Входящий вебхук»: POST /api/v1/automation/hooks/:token with `{ "dealId": … }`. */
export const inboundWebhook = defineTriggerType({
  type: 'inbound_webhook',
  title: { ru: 'Входящий вебхук', en: 'Inbound webhook' },
  description: {
    ru: 'Внешняя система вызывает секретный адрес триггера с номером сделки',
    en: 'An outside system calls the trigger’s secret URL with the deal’s id',
  },
  source: 'external',
  secret: true,
  params: z.strictObject({}),
});

/** «Нет активности N дней»: nothing happened on the deal (no timeline entry) for N days; checked hourly. */
export const idle = defineTriggerType({
  type: 'idle',
  title: { ru: 'Нет активности', en: 'No activity' },
  description: { ru: 'По сделке ничего не происходило N дней', en: 'Nothing happened on the deal for N days' },
  source: 'external',
  params: z.strictObject({ days: z.int().min(1).max(365) }),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- types with different parameter schemas in one list
export const BUILT_IN_TRIGGER_TYPES: TriggerType<any>[] = [activityDone, fieldChanged, responsibleChanged, inboundWebhook, idle];
