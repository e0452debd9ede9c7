import type { ReactNode } from 'react';
import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../lib/use-format';
import { useCustomFieldDefs, usePipelines, useReferenceList, useUsers, type CustomField } from '../../api/lookups';
import { SINGULAR, type RecordEntity } from './keys';

// One field value shown the way a person reads it: names instead of ids, money and dates by
// locale, «—» for nothing. Used by the timeline (old → new) and the deal card's conflict dialog.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const USER_FIELDS = new Set(['responsibleId', 'observerIds', 'createdById', 'completedById']);
const REF_FIELDS: Record<string, 'sources' | 'loss-reasons' | 'lead-statuses' | 'industries'> = {
  sourceId: 'sources',
  lossReasonId: 'loss-reasons',
  statusId: 'lead-statuses',
  industryId: 'industries',
};
const LINK_FIELDS: Record<string, 'contacts' | 'companies' | 'deals' | 'leads'> = {
  contactId: 'contacts',
  contactIds: 'contacts',
  companyId: 'companies',
  companyIds: 'companies',
  dealId: 'deals',
  leadId: 'leads',
};

/** The human name of a field: «Ответственный», or a custom field's own name. */
export function useFieldLabel(entity: RecordEntity): (field: string) => string {
  const { t } = useTranslation();
  const defs = useCustomFieldDefs(SINGULAR[entity]);
  return (field: string) => {
    if (field.startsWith('custom.')) {
      const code = field.slice(7);
      return defs.data?.find((d) => d.code === code)?.name ?? code;
    }
    return t(`record.fields.${field}`, { defaultValue: field });
  };
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined || v === '' ? [] : [v]);

export function FieldValue({ entity, field, value, currency = 'RUB' }: { entity: RecordEntity; field: string; value: unknown; currency?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const refKind = REF_FIELDS[field] ?? (field === 'typeId' ? (entity === 'companies' ? 'company-types' : 'contact-types') : null);
  const refs = useReferenceList((refKind ?? 'sources') as 'sources', { enabled: refKind !== null });
  const pipelines = usePipelines({ enabled: field === 'stageId' || field === 'pipelineId' });
  const defs = useCustomFieldDefs(SINGULAR[entity], field.startsWith('custom.'));

  const none = <Text span c="dimmed">{t('record.value.none')}</Text>;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return none;

  const userLabel = (id: unknown) => users.data?.find((u) => u.id === Number(id))?.name ?? t('record.value.userId', { id });
  const join = (items: ReactNode[]) => items.map((x, i) => (
    <span key={i}>
      {i > 0 && ', '}
      {x}
    </span>
  ));

  if (field.startsWith('custom.')) {
    const def = defs.data?.find((d) => d.code === field.slice(7));
    return <>{customText(def, value)}</>;
  }
  if (USER_FIELDS.has(field)) return <>{join(asArray(value).map(userLabel))}</>;
  if (refKind) return <>{join(asArray(value).map((id) => refs.data?.find((r) => r.id === Number(id))?.name ?? `#${String(id)}`))}</>;
  if (field === 'stageId') {
    const stage = pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === Number(value));
    return <>{stage?.name ?? `#${String(value)}`}</>;
  }
  if (field === 'pipelineId') return <>{pipelines.data?.find((p) => p.id === Number(value))?.name ?? `#${String(value)}`}</>;
  if (LINK_FIELDS[field]) {
    const to = LINK_FIELDS[field];
    return (
      <>
        {join(
          asArray(value).map((id) => (
            <Anchor component={Link} to={`/${to}/${String(id)}`} size="sm">
              {t(`record.value.${to}`, { id })}
            </Anchor>
          )),
        )}
      </>
    );
  }
  if (field === 'amount' || field === 'price') return <>{typeof value === 'number' ? fmt.money(value, currency) : String(value)}</>;
  if (field === 'probability') return <>{typeof value === 'number' ? fmt.percent(value / 100, 0) : String(value)}</>;
  if (field === 'productRows') return <>{t('record.value.productRows', { count: Number(value) })}</>;
  if (field === 'requisites' && typeof value === 'object' && !Array.isArray(value)) {
    const parts = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== '');
    if (parts.length === 0) return none;
    return <>{parts.map(([k, v]) => `${t(`record.fields.${k}`, { defaultValue: k })} ${String(v)}`).join(', ')}</>;
  }
  if (field === 'phones' || field === 'emails') {
    return <>{asArray(value).map((c) => (typeof c === 'object' && c && 'value' in c ? String((c as { value: unknown }).value) : String(c))).join(', ')}</>;
  }
  return <>{plainText(value, t, fmt)}</>;

  function customText(def: CustomField | undefined, v: unknown): ReactNode {
    if (!def) return plainText(v, t, fmt);
    switch (def.type) {
      case 'money': {
        const m = v as { amount?: number; currency?: string };
        return typeof m?.amount === 'number' ? fmt.money(m.amount, m.currency ?? currency) : plainText(v, t, fmt);
      }
      case 'date':
      case 'datetime':
      case 'boolean':
      case 'number':
        return plainText(v, t, fmt);
      case 'list':
      case 'multilist':
        return asArray(v)
          .map((id) => def.options.choices?.find((c) => c.id === id)?.label ?? String(id))
          .join(', ');
      case 'user':
        return userLabel(v);
      case 'record':
        return def.options.recordEntity ? t(`record.value.${def.options.recordEntity}`, { id: v }) : `#${String(v)}`;
      default:
        return String(v);
    }
  }
}

type Fmt = ReturnType<typeof useFormat>;
function plainText(v: unknown, t: (k: string, o?: Record<string, unknown>) => string, fmt: Fmt): string {
  if (typeof v === 'boolean') return v ? t('record.value.yes') : t('record.value.no');
  if (typeof v === 'number') return fmt.number(v);
  if (typeof v === 'string') {
    if (DATE_ONLY.test(v)) return fmt.date(v);
    if (ISO_TIME.test(v)) return fmt.dateTime(v);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => plainText(x, t, fmt)).join(', ');
  if (v && typeof v === 'object') {
    const m = v as { amount?: unknown; currency?: unknown };
    if (typeof m.amount === 'number' && typeof m.currency === 'string') return fmt.money(m.amount, m.currency);
    return JSON.stringify(v);
  }
  return String(v);
}
