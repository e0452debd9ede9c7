import { MultiSelect, NumberInput, Select, SimpleGrid, TagsInput, Textarea, TextInput, Text, Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FieldValue } from '../../components/record/FieldValue';
import { assignableOptions, useAssignable, useReferenceList, userOptions, useUsers } from '../../api/lookups';
import { useFormat } from '../../lib/use-format';
import { useDeal } from './deal-context';
import { EditableField } from './EditableField';
import { CompanyPicker, ContactsPicker, RecordLinks } from './pickers';

/** The deal's own fields, each edited in place. */
export function DealFields() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { deal } = useDeal();
  const users = useUsers();
  const assignable = useAssignable('deal', 'update', deal.pipelineId);
  const sources = useReferenceList('sources');
  const none = <Text span c="dimmed">{t('record.value.none')}</Text>;
  const userName = (id: number) => users.data?.find((u) => u.id === id)?.name ?? `#${id}`;

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
      <EditableField<string | null>
        label={t('dealCard.fields.responsible')}
        field="responsibleId"
        testId="field-responsible"
        value={String(deal.responsibleId)}
        display={userName(deal.responsibleId)}
        editor={({ value, onChange, error, label }) => (
          <Select
            label={label}
            data={assignableOptions(users.data, assignable.data, [deal.responsibleId])}
            value={value}
            onChange={onChange}
            searchable
            allowDeselect={false}
            error={error}
            autoFocus
            comboboxProps={{ withinPortal: true }}
          />
        )}
        toPatch={(v) => (v ? { responsibleId: Number(v) } : { error: t('common.required') })}
      />
      <EditableField<string | null>
        label={t('dealCard.fields.source')}
        field="sourceId"
        testId="field-source"
        value={deal.sourceId ? String(deal.sourceId) : null}
        display={<FieldValue entity="deals" field="sourceId" value={deal.sourceId} />}
        editor={({ value, onChange, error, label }) => (
          <Select
            label={label}
            data={(sources.data ?? []).filter((s) => s.active !== false || s.id === deal.sourceId).map((s) => ({ value: String(s.id), label: s.name }))}
            value={value}
            onChange={onChange}
            clearable
            searchable
            error={error}
            autoFocus
            comboboxProps={{ withinPortal: true }}
          />
        )}
        toPatch={(v) => ({ sourceId: v ? Number(v) : null })}
      />
      <EditableField<string>
        label={t('dealCard.fields.closeDate')}
        field="closeDate"
        testId="field-close-date"
        value={deal.closeDate ?? ''}
        display={deal.closeDate ? fmt.date(deal.closeDate, 'long') : none}
        editor={({ value, onChange, error, label }) => <TextInput type="date" label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} autoFocus />}
        toPatch={(v) => ({ closeDate: v || null })}
      />
      <EditableField<string | number>
        label={t('dealCard.fields.probability')}
        field="probability"
        testId="field-probability"
        value={deal.probability ?? ''}
        display={deal.probability !== null ? fmt.percent(deal.probability / 100, 0) : none}
        editor={({ value, onChange, error, label }) => (
          <NumberInput
            label={label}
            description={t('dealCard.probabilityHint')}
            value={value}
            onChange={onChange}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            suffix={fmt.percentSuffix}
            error={error}
            autoFocus
          />
        )}
        toPatch={(v) => ({ probability: v === '' || v === null ? null : Number(v) })}
      />
      <EditableField<string[]>
        label={t('dealCard.fields.tags')}
        field="tags"
        testId="field-tags"
        value={deal.tags}
        display={
          deal.tags.length ? (
            <Group gap={4}>
              {deal.tags.map((tag) => (
                <Badge key={tag} variant="light" size="sm" style={{ textTransform: 'none' }}>
                  {tag}
                </Badge>
              ))}
            </Group>
          ) : (
            none
          )
        }
        editor={({ value, onChange, error, label }) => (
          <TagsInput label={label} description={t('dealCard.tagsHint')} value={value} onChange={onChange} error={error} clearable autoFocus />
        )}
        toPatch={(v) => ({ tags: v })}
      />
      <EditableField<string[]>
        label={t('dealCard.fields.observers')}
        field="observerIds"
        testId="field-observers"
        value={deal.observerIds.map(String)}
        display={deal.observerIds.length ? deal.observerIds.map(userName).join(', ') : none}
        editor={({ value, onChange, error, label }) => (
          <MultiSelect
            label={label}
            data={userOptions(users.data, deal.observerIds)}
            value={value}
            onChange={onChange}
            searchable
            clearable
            error={error}
            autoFocus
            comboboxProps={{ withinPortal: true }}
          />
        )}
        toPatch={(v) => ({ observerIds: v.map(Number) })}
      />
      <EditableField<number[]>
        label={t('dealCard.fields.contacts')}
        field="contactIds"
        testId="field-contacts"
        value={deal.contactIds}
        display={<RecordLinks kind="contacts" ids={deal.contactIds} />}
        editor={({ value, onChange, error, label }) => <ContactsPicker label={label} value={value} onChange={onChange} error={error} />}
        toPatch={(v) => ({ contactIds: v })}
      />
      <EditableField<number | null>
        label={t('dealCard.fields.company')}
        field="companyId"
        testId="field-company"
        value={deal.companyId}
        display={<RecordLinks kind="companies" ids={deal.companyId ? [deal.companyId] : []} />}
        editor={({ value, onChange, error, label }) => <CompanyPicker label={label} value={value} onChange={onChange} error={error} />}
        toPatch={(v) => ({ companyId: v })}
      />
      <div style={{ gridColumn: '1 / -1' }}>
        <EditableField<string>
          label={t('dealCard.fields.comment')}
          field="comment"
          testId="field-comment"
          value={deal.comment ?? ''}
          display={deal.comment ? <span style={{ whiteSpace: 'pre-wrap' }}>{deal.comment}</span> : none}
          editor={({ value, onChange, error, label }) => (
            <Textarea label={label} autosize minRows={3} maxRows={12} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} autoFocus />
          )}
          toPatch={(v) => ({ comment: v.trim() ? v : null })}
        />
      </div>
    </SimpleGrid>
  );
}
