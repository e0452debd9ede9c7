import { Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page, Schemas } from '../../api/types';
import { useMayManageAutomation } from '../../auth/session';
import { PageLoader, QueryError } from '../../components/page';
import { useFormat } from '../../lib/use-format';
import { notifyFailure } from '../settings/api';
import { summaryText } from '../automation/summary-text';
import { usePipelines, useUsers } from '../../api/lookups';

// The deal card's automation: every robot run that concerned the deal, newest first — its robot,
// its status in words, what it did (with a link to the activity it planned), and for
// administrators «Повторить сейчас» on a failed or waiting run; and the firings of triggers for the
// deal (moved it to a stage / skipped and why / failed). Under the deal's query key
// (['deals', id, 'automation']), so it refreshes with the deal.

type Run = Schemas['RobotRun'];
type Firing = Schemas['TriggerFiring'];
const FIRING_COLOR: Record<Firing['status'], string> = { moved: 'green.8', skipped: 'gray.7', failed: 'red.8' };

export const automationQueryKey = (dealId: number) => ['deals', dealId, 'automation'] as const;

const STATUS_COLOR: Record<Run['status'], string> = { waiting: 'blue.7', done: 'green.8', skipped: 'gray.7', cancelled: 'gray.7', failed: 'red.8', uncertain: 'orange.8' };

/** The server's reasons in the interface's language where we know them; otherwise as they are. */
function useReason() {
  const { t } = useTranslation();
  // only plain sentences are keys (a condition's explanation names fields with dots and colons)
  return (reason: string | null) => (!reason ? '' : /^[a-z ]+$/i.test(reason) ? t(`automation.reasons.${reason}`, { defaultValue: reason }) : reason);
}

export function AutomationPanel({ dealId }: { dealId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const mayRetry = useMayManageAutomation();
  const fmt = useFormat();
  const reason = useReason();
  const users = useUsers();
  const userName = (id: number) => users.data?.find((u) => u.id === id)?.name;
  const pipelines = usePipelines();
  const stageName = (id: number) => pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === id)?.name ?? `#${id}`;
  const runs = useQuery({
    queryKey: automationQueryKey(dealId),
    queryFn: ({ signal }) => api.get<Page<Run> & { triggers: Firing[] }>(`/deals/${dealId}/automation`, { limit: 50 }, { signal }),
    // a waiting run finishes by itself: look again now and then while one waits
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'waiting') ? 5000 : false),
  });
  const retry = useMutation({
    mutationFn: (id: number) => api.post<Run>(`/automation/runs/${id}/retry`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: automationQueryKey(dealId) }),
    onError: (e) => notifyFailure(t, e),
  });

  if (runs.isPending) return <PageLoader />;
  if (runs.isError) return <QueryError error={runs.error} onRetry={() => void runs.refetch()} />;
  const firings = runs.data.triggers ?? [];
  const firingText = (f: Firing): string => {
    switch (f.status) {
      case 'moved':
        return t('automation.firings.moved', { stage: stageName(f.stageId) });
      case 'skipped':
        return t('automation.firings.skipped', { reason: reason(f.reason) });
      case 'failed':
        return t('automation.firings.failed', { error: reason(f.reason) });
    }
  };
  const firingList = firings.length > 0 && (
    <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('automation.firings.title')} mb="xs">
      {firings.map((f) => (
        <Paper key={f.id} component="li" withBorder p="xs" radius="sm" data-testid="trigger-firing" data-status={f.status} bg="var(--mantine-color-yellow-light)">
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" style={{ minWidth: 0 }}>
              <Text span fw={600}>
                {t('automation.firings.trigger', { name: f.triggerName })}
              </Text>
              {': '}
              <Text span size="sm" fw={600} c={FIRING_COLOR[f.status]} data-testid="firing-status">
                {firingText(f)}
              </Text>
            </Text>
            <Text size="xs" c="dimmed" component="time" dateTime={f.createdAt} style={{ whiteSpace: 'nowrap' }}>
              {fmt.dateTime(f.createdAt)}
            </Text>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
  if (runs.data.items.length === 0 && firingList) return firingList;
  if (runs.data.items.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('automation.runs.empty')}
      </Text>
    );

  const statusText = (r: Run): string => {
    switch (r.status) {
      case 'waiting':
        if (r.lastError)
          return t('automation.runs.retrying', { error: r.lastError, attempts: r.attempts, next: r.nextAttemptAt ? fmt.dateTime(r.nextAttemptAt) : '—' });
        return r.dueAt ? t('automation.runs.waitingUntil', { at: fmt.dateTime(r.dueAt) }) : t('automation.runs.waitingPrevious');
      case 'done':
        return t('automation.runs.done');
      case 'skipped':
        return t('automation.runs.skipped', { reason: reason(r.reason) });
      case 'cancelled':
        return t('automation.runs.cancelled', { reason: reason(r.reason) });
      case 'failed':
        return t('automation.runs.failed', { error: r.error ?? r.lastError ?? '', attempts: r.attempts });
      case 'uncertain':
        return t('automation.runs.uncertain');
    }
  };

  return (
    <>
    {firingList}
    <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('automation.runs.title')}>
      {runs.data.items.map((r) => {
        const links = (r.result?.links ?? []) as Array<{ entityType: string; id: number | string; label?: string }>;
        return (
          <Paper key={r.id} component="li" withBorder p="xs" radius="sm" data-testid="automation-run" data-status={r.status}>
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600}>
                  {r.robotName}
                </Text>
                <Text size="xs" fw={600} c={STATUS_COLOR[r.status]} data-testid="run-status">
                  {statusText(r)}
                </Text>
                {r.result?.summary && (
                  <Text size="xs" data-testid="run-summary">
                    {summaryText(t, r.result.summary, userName)}
                  </Text>
                )}
                {links.map((l) =>
                  l.entityType === 'activity' ? (
                    <Anchor key={`${l.entityType}-${l.id}`} href={`#activity-${l.id}`} size="xs">
                      {t('automation.runs.activity', { label: l.label ?? `#${l.id}` })}
                    </Anchor>
                  ) : null,
                )}
              </Stack>
              <Stack gap={4} align="flex-end">
                <Text size="xs" c="dimmed" component="time" dateTime={r.finishedAt ?? r.createdAt} style={{ whiteSpace: 'nowrap' }}>
                  {fmt.dateTime(r.finishedAt ?? r.createdAt)}
                </Text>
                {mayRetry && (r.status === 'failed' || r.status === 'waiting') && (
                  <Button size="compact-xs" variant="light" onClick={() => retry.mutate(r.id)} loading={retry.isPending && retry.variables === r.id}>
                    {t('automation.runs.retry')}
                  </Button>
                )}
              </Stack>
            </Group>
          </Paper>
        );
      })}
    </Stack>
    </>
  );
}
