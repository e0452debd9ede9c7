import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useFormat } from '../../lib/use-format';
import { QueryError } from '../page';
import { usePipelines } from '../../api/lookups';
import type { DealSummary } from './records';

// The deals of a contact or company (GET /deals?contactId= / ?companyId=), newest first:
// title (a link to the card), stage, amount.

export function RecordDeals({ by, id }: { by: 'contactId' | 'companyId'; id: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pipelines = usePipelines().data;
  const q = useInfiniteQuery({
    queryKey: ['deals', 'list', { [by]: id }],
    queryFn: ({ pageParam, signal }) => api.get<Page<DealSummary>>('/deals', { [by]: id, limit: 20, cursor: pageParam ?? undefined }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  });
  const stage = (d: DealSummary) => pipelines?.find((p) => p.id === d.pipelineId)?.stages.find((s) => s.id === d.stageId);
  const deals = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Stack gap={6} data-testid="record-deals">
      {q.isSuccess && !deals.length && (
        <Text size="sm" c="dimmed">
          {t('crm.deals.empty')}
        </Text>
      )}
      {deals.map((d) => {
        const s = stage(d);
        const color = d.stageSemantic === 'success' ? 'green' : d.stageSemantic === 'failure' ? 'red' : 'blue';
        return (
          <Group key={d.id} justify="space-between" wrap="nowrap" gap="xs">
            <div style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/deals/${d.id}`} size="sm" fw={500}>
                {d.title}
              </Anchor>
              <Group gap={4}>
                <Badge size="xs" variant="light" color={color}>
                  {s?.name ?? t(`crm.deals.semantic.${d.stageSemantic}`, { defaultValue: d.stageSemantic })}
                </Badge>
                <Text size="xs" c="dimmed">
                  {fmt.date(d.createdAt)}
                </Text>
              </Group>
            </div>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {fmt.money(d.amount, d.currency, { compactZeroFraction: true })}
            </Text>
          </Group>
        );
      })}
      {q.hasNextPage && (
        <Button variant="subtle" size="xs" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('crm.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
