import type { ReactNode } from 'react';
import { Badge, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currencyChoices } from '../../lib/currencies';
import { parseMoney } from '../../lib/format';
import { useFormat } from '../../lib/use-format';
import { useDeal } from './deal-context';
import { EditableField } from './EditableField';
import { moneyToText } from './product-draft';
import type { Pipeline } from '../../api/lookups';

/** Title (h1, edited in place), amount and currency, pipeline and status; `actions` on the right. */
export function DealHeader({ pipeline, hasProductRows, actions }: { pipeline: Pipeline | undefined; hasProductRows: boolean; actions?: ReactNode }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { deal } = useDeal();
  const stage = pipeline?.stages.find((s) => s.id === deal.stageId);

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" c="dimmed" component={Link} to={`/deals?pipeline=${deal.pipelineId}`} style={{ textDecoration: 'none' }}>
            {t('dealCard.breadcrumb', { pipeline: pipeline?.name ?? '…' })}
          </Text>
          <Text size="sm" c="dimmed">
            · {t('dealCard.number', { id: deal.id })}
          </Text>
          {deal.closed && (
            <Badge color={deal.stageSemantic === 'success' ? 'green' : 'red'} variant="light" style={{ textTransform: 'none' }}>
              {deal.stageSemantic === 'success' ? t('dealCard.won') : t('dealCard.lost')}
            </Badge>
          )}
          {!deal.closed && deal.overdue && (
            <Badge color="red" variant="light" style={{ textTransform: 'none' }}>
              {t('dealCard.overdue')}
            </Badge>
          )}
          {deal.noNextStep && (
            <Badge color="orange" variant="light" style={{ textTransform: 'none' }}>
              {t('dealCard.noNextStep')}
            </Badge>
          )}
          {stage && (
            <Badge variant="outline" color="gray" style={{ textTransform: 'none' }}>
              {stage.name}
            </Badge>
          )}
        </Group>
        {actions}
      </Group>
      <EditableField<string>
        label={t('dealCard.fields.title')}
        field="title"
        testId="field-title"
        hideLabel
        value={deal.title}
        display={
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {deal.title}
          </Title>
        }
        editor={({ value, onChange, error, label }) => (
          <TextInput label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} autoFocus size="md" maxLength={500} />
        )}
        toPatch={(v) => (v.trim() ? { title: v.trim() } : { error: t('common.required') })}
      />
      <EditableField<{ amount: string; currency: string }>
        label={t('dealCard.fields.amount')}
        field="amount"
        testId="field-amount"
        value={{ amount: moneyToText(deal.amount, deal.currency, fmt.locale), currency: deal.currency }}
        editable={!hasProductRows}
        note={hasProductRows ? t('dealCard.amountFromRows') : undefined}
        display={
          <Text size="xl" fw={700} data-testid="deal-amount">
            {fmt.money(deal.amount, deal.currency)}
          </Text>
        }
        editor={({ value, onChange, error, label }) => (
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <TextInput
              label={label}
              inputMode="decimal"
              value={value.amount}
              onChange={(e) => onChange({ ...value, amount: e.currentTarget.value })}
              error={error}
              autoFocus
              style={{ flex: 1 }}
            />
            <Select
              label={t('dealCard.fields.currency')}
              w={100}
              data={currencyChoices(value.currency)}
              value={value.currency}
              onChange={(c) => onChange({ ...value, currency: c ?? value.currency })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
          </Group>
        )}
        toPatch={(v) => {
          const amount = parseMoney(v.amount.trim() || '0', v.currency);
          if (amount === null || amount < 0) return { error: t('dealCard.badAmount') };
          return v.currency !== deal.currency ? { amount, currency: v.currency } : { amount };
        }}
      />
    </Stack>
  );
}
