import type { ReactNode } from 'react';
import { Anchor, Badge, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../lib/use-format';
import type { DealItem } from './my-day-logic';

// The blocks of My day. Activity rows are the cards' own (components/record/ActivityRow).

/** A titled block of a list with its count; says what "nothing here" means. */
export function Section({ title, count, total, empty, tone, children, testId }: { title: string; count: number; total?: number; empty: string; tone?: 'red'; children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  const shown = total ?? count;
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId} component="section" aria-label={title}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h5" c={tone === 'red' && shown > 0 ? 'red.9' : undefined}>
          {title}
        </Title>
        <Badge variant={tone === 'red' && shown > 0 ? 'filled' : 'light'} color={tone === 'red' && shown > 0 ? 'red' : 'gray'} aria-label={t('myDay.countLabel', { count: shown })}>
          {shown}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>{children}</Stack>
      )}
      {total !== undefined && total > count && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('myDay.moreNotShown', { count: total - count })}
        </Text>
      )}
    </Paper>
  );
}

export function DealNoStepItem({ d, responsibleName, onPlan }: { d: DealItem; responsibleName?: string; onPlan: (d: DealItem) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <Box data-testid="my-day-deal" py={6} px="xs" style={{ borderLeft: '3px solid var(--mantine-color-orange-6)', borderRadius: 4 }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Text span aria-hidden c="orange.9" fw={700}>
              !
            </Text>
            <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {d.title}
            </Anchor>
          </Group>
          <Text size="xs" c="dimmed">
            {fmt.money(d.amount, d.currency, { compactZeroFraction: true })} · {t('myDay.stageSince', { when: fmt.relative(d.stageChangedAt) })}
            {responsibleName ? ` · ${responsibleName}` : ''}
          </Text>
        </div>
        <Button size="compact-sm" variant="light" onClick={() => onPlan(d)} aria-label={t('myDay.planLabel', { title: d.title })}>
          {t('myDay.plan')}
        </Button>
      </Group>
    </Box>
  );
}
