import { Alert, Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Page, Schemas } from '../../api/types';
import type { paths } from '../../api/openapi.gen';
import { usePipelines } from '../../api/lookups';
import { useRecordName } from '../../api/record-names';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { useFormat } from '../../lib/use-format';
import { notifyFailure, notifySaved } from './api';
import { useIsAdmin } from '../../auth/session';
import { dayStart, lagText, statusText, type Run } from './automation-log-logic';

// The workspace's automation log (administrators): every robot run, newest first, filtered by
// status, robot type, pipeline and period (GET /automation/runs, keyset pages), with «Повторить
// сейчас» for failed and waiting runs; above it the job queue's health (GET /jobs). The filters
// live in the address, so a link or a reload shows the same.

type RobotType = Schemas['RobotType'];
type Health = paths['/api/v1/jobs']['get']['responses'][200]['content']['application/json'];
const STATUSES: Run['status'][] = ['waiting', 'done', 'skipped', 'cancelled', 'failed', 'uncertain'];
const COLORS: Record<Run['status'], string> = { waiting: 'blue', done: 'green', skipped: 'gray', cancelled: 'gray', failed: 'red', uncertain: 'yellow' };

export default function AutomationLog() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as Run['status']) : null;
  const robotType = params.get('robotType') || null;
  const pipelineId = Number(params.get('pipelineId')) || null;
  const fromDay = params.get('from') ?? '';
  const toDay = params.get('to') ?? '';
  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const pipelines = usePipelines();
  const types = useQuery({ queryKey: ['automation', 'robot-types'], queryFn: ({ signal }) => api.get<RobotType[]>('/automation/robot-types', undefined, { signal }), staleTime: 10 * 60_000 });
  const typeTitle = (type: string) => types.data?.find((x) => x.type === type)?.title ?? type;
  // the job queue's health is the administrators' (a role granted automation.manage reads the log only)
  const isAdmin = useIsAdmin();
  const health = useQuery({ queryKey: ['jobs', 'health'], queryFn: ({ signal }) => api.get<Health>('/jobs', undefined, { signal }), refetchInterval: 15_000, enabled: isAdmin });

  const filters = { status, robotType, pipelineId, from: dayStart(fromDay), to: dayStart(toDay, true) };
  const runs = useInfiniteQuery({
    queryKey: ['automation', 'runs', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Run>>('/automation/runs', { status: filters.status, robotType: filters.robotType, pipelineId: filters.pipelineId, from: filters.from, to: filters.to, limit: 50, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const retry = useMutation({
    mutationFn: (id: number) => api.post<Run>(`/automation/runs/${id}/retry`),
    onSuccess: () => {
      notifySaved(t, t('automationLog.retried'));
      void qc.invalidateQueries({ queryKey: ['automation', 'runs'] });
      void qc.invalidateQueries({ queryKey: ['jobs', 'health'] });
    },
    onError: (e) => notifyFailure(t, e),
  });

  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      {isAdmin && (
      <Paper withBorder p="md" radius="md" data-testid="queue-health">
        <Title order={2} size="h4" mb="sm">
          {t('automationLog.health.title')}
        </Title>
        {health.isError ? (
          <QueryError error={health.error} onRetry={() => void health.refetch()} />
        ) : (
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Metric label={t('automationLog.health.due')} value={health.data?.due} testId="health-due" />
            <Metric label={t('automationLog.health.running')} value={health.data?.running} testId="health-running" />
            <Metric label={t('automationLog.health.failed')} value={health.data?.failed} testId="health-failed" alert={!!health.data?.failed} />
            <Metric
              label={t('automationLog.health.lag')}
              value={health.data ? (health.data.oldestDueAt ? lagText(t, health.data.oldestDueLagMs) : t('automationLog.health.noLag')) : undefined}
              testId="health-lag"
            />
          </SimpleGrid>
        )}
        {health.data && (
          <Text size="xs" c="dimmed" mt="xs">
            {t('automationLog.health.scheduled', { scheduled: health.data.scheduled, retrying: health.data.retrying })}
          </Text>
        )}
      </Paper>
      )}

      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('automationLog.filters.status')}
          placeholder={t('automationLog.filters.any')}
          data={STATUSES.map((s) => ({ value: s, label: t(`automationLog.statuses.${s}`) }))}
          value={status}
          clearable
          onChange={(v) => setParam('status', v)}
          w={180}
        />
        <Select
          label={t('automationLog.filters.robotType')}
          placeholder={t('automationLog.filters.any')}
          data={(types.data ?? []).map((x) => ({ value: x.type, label: x.title }))}
          value={robotType}
          clearable
          onChange={(v) => setParam('robotType', v)}
          w={240}
        />
        <Select
          label={t('automationLog.filters.pipeline')}
          placeholder={t('automationLog.filters.any')}
          data={(pipelines.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
          value={pipelineId ? String(pipelineId) : null}
          clearable
          onChange={(v) => setParam('pipelineId', v)}
          w={220}
        />
        <TextInput type="date" label={t('automationLog.filters.from')} value={fromDay} onChange={(e) => setParam('from', e.currentTarget.value || null)} w={160} />
        <TextInput type="date" label={t('automationLog.filters.to')} value={toDay} onChange={(e) => setParam('to', e.currentTarget.value || null)} w={160} />
        <Button variant="default" onClick={() => void runs.refetch()} loading={runs.isRefetching && !runs.isFetchingNextPage}>
          {t('automationLog.refresh')}
        </Button>
      </Group>

      {runs.isPending ? (
        <PageLoader />
      ) : runs.isError ? (
        <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
      ) : items.length === 0 ? (
        <Empty title={t('automationLog.empty')} description={t('automationLog.emptyHint')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={800}>
            <Table striped verticalSpacing="xs" data-testid="automation-runs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('automationLog.columns.time')}</Table.Th>
                  <Table.Th>{t('automationLog.columns.robot')}</Table.Th>
                  <Table.Th>{t('automationLog.columns.deal')}</Table.Th>
                  <Table.Th>{t('automationLog.columns.status')}</Table.Th>
                  <Table.Th>{t('automationLog.columns.result')}</Table.Th>
                  <Table.Th aria-label={t('settings.actions')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((run) => (
                  <Table.Tr key={run.id} data-run-id={run.id} data-status={run.status}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(run.finishedAt ?? run.createdAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{run.robotName}</Text>
                      <Text size="xs" c="dimmed">
                        {typeTitle(run.robotType)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RecordLink entityType={run.entityType} id={run.entityId} />
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[run.status]} variant="light" mb={4}>
                        {t(`automationLog.statuses.${run.status}`)}
                      </Badge>
                      <Text size="xs" data-testid="run-status">
                        {statusText(t, run, fmt.dateTime)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{run.result?.summary ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {(run.status === 'failed' || run.status === 'waiting') && (
                        <Button size="xs" variant="light" loading={retry.isPending && retry.variables === run.id} onClick={() => retry.mutate(run.id)}>
                          {t('automationLog.retryNow')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {runs.hasNextPage && (
            <Group justify="center">
              <Button variant="default" onClick={() => void runs.fetchNextPage()} loading={runs.isFetchingNextPage}>
                {t('automationLog.more')}
              </Button>
            </Group>
          )}
        </>
      )}
      {retry.isError && <Alert color="red">{(retry.error as Error).message}</Alert>}
    </Stack>
  );
}

function Metric({ label, value, testId, alert }: { label: string; value: number | string | undefined; testId: string; alert?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600} c={alert ? 'red' : undefined} data-testid={testId}>
        {value ?? '…'}
      </Text>
    </div>
  );
}

/** The run's record: a deal, or a lead (a lead status's robots, the lead-less mode's built-in rule). */
function RecordLink({ entityType, id }: { entityType: 'deal' | 'lead'; id: number }) {
  const { t } = useTranslation();
  const lead = entityType === 'lead';
  const name = useRecordName(lead ? 'leads' : 'deals', id);
  return (
    <Anchor component={Link} to={`/${lead ? 'leads' : 'deals'}/${id}`} size="sm">
      {name ?? t(lead ? 'automationLog.leadNo' : 'automationLog.dealNo', { id })}
    </Anchor>
  );
}
