import type { ReactNode } from 'react';
import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../lib/use-format';
import { useCustomFieldDefs, usePipelines, useReferenceList, useUsers } from '../../api/lookups';
import { asArray, customValueText, plainText, type ValueTextContext } from './field-text';
import { SINGULAR, type RecordEntity } from './keys';
import { useRecordName, type NamedEntity } from '../../api/record-names';

// One field value shown the way a person reads it: names instead of ids, money and dates by
// locale, «—» for nothing. Used by the timeline (old → new) and the deal card's conflict dialog.

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

/** What customValueText needs in the user's language and time zone (also for text outside FieldValue). */
export function useValueText(currency = 'RUB'): ValueTextContext & { fmt: ReturnType<typeof useFormat> } {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const userLabel = (id: unknown) => users.data?.find((u) => u.id === Number(id))?.name ?? t('record.value.userId', { id });
  return { t, fmt, currency, userLabel };
}

/**
 * A link to a record by its name (a deal's title, a contact's full name); «Сделка №12» while the
 * name loads or when the reader may not see the record. `typed` says which kind it is: «Лид «Окна»».
 */
export function RecordRef({ entity, id, typed = false }: { entity: NamedEntity; id: number; typed?: boolean }) {
  const { t } = useTranslation();
  const name = useRecordName(entity, id);
  const text = name ? (typed ? t(`record.ref.${entity}`, { name }) : name) : t(`record.value.${entity}`, { id });
  return (
    <Anchor component={Link} to={`/${entity}/${id}`} size="sm" data-testid="record-ref">
      {text}
    </Anchor>
  );
}

export function FieldValue({ entity, field, value, currency = 'RUB' }: { entity: RecordEntity; field: string; value: unknown; currency?: string }) {
  const text = useValueText(currency);
  const { t, fmt, userLabel } = text;
  const refKind = REF_FIELDS[field] ?? (field === 'typeId' ? (entity === 'companies' ? 'company-types' : 'contact-types') : null);
  // deactivated items too: history names what was chosen then
  const refs = useReferenceList((refKind ?? 'sources') as 'sources', { enabled: refKind !== null, includeInactive: true });
  const pipelines = usePipelines({ enabled: field === 'stageId' || field === 'pipelineId' });
  const defs = useCustomFieldDefs(SINGULAR[entity], field.startsWith('custom.'));

  const none = <Text span c="dimmed">{t('record.value.none')}</Text>;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return none;

  const join = (items: ReactNode[]) => items.map((x, i) => (
    <span key={i}>
      {i > 0 && ', '}
      {x}
    </span>
  ));

  if (field.startsWith('custom.')) {
    const def = defs.data?.find((d) => d.code === field.slice(7));
    return <>{customValueText(def, value, text)}</>;
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
    return <>{join(asArray(value).map((id) => <RecordRef entity={to} id={Number(id)} />))}</>;
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
}
