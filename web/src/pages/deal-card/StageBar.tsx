import { useState } from 'react';
import { Box, Group, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { Pipeline, Stage } from '../../api/lookups';
import { ConfirmModal } from '../../components/ConfirmModal';
import { LossReasonModal } from '../../components/deal/LossReasonModal';
import { useFormat } from '../../lib/use-format';
import { notifyError } from '../../lib/errors';
import { useDeal } from './deal-context';
import type { Deal } from './types';
import classes from './deal-card.module.css';
import { markBoardsStale } from '../../api/deals';

// Every stage of the deal's pipeline in order; the current one is marked. A click moves the deal
// (POST /deals/{id}/move); a failure stage that requires a loss reason asks for it first, any other
// closing stage asks for a confirmation (one misclick would close the deal). A closed deal shows when.

export function StageBar({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { deal, canEdit } = useDeal();
  const fmt = useFormat();
  const [asking, setAsking] = useState<Stage | null>(null);
  const [confirming, setConfirming] = useState<Stage | null>(null);
  const stages = [...pipeline.stages].sort((a, b) => a.sort - b.sort);
  const open = stages.filter((s) => s.semantic === 'in_progress');
  const closed = stages.filter((s) => s.semantic !== 'in_progress');
  const currentIndex = open.findIndex((s) => s.id === deal.stageId);

  const move = useMutation({
    mutationFn: (v: { stageId: number; lossReasonId?: number }) =>
      api.post<Deal>(`/deals/${deal.id}/move`, { stageId: v.stageId, lossReasonId: v.lossReasonId, version: (qc.getQueryData<Deal>(['deals', deal.id]) ?? deal).version }),
    onSuccess: (d) => {
      setAsking(null);
      setConfirming(null);
      qc.setQueryData(['deals', d.id], d);
      void qc.invalidateQueries({ queryKey: ['deals', d.id], predicate: (q) => q.queryKey.length > 2 });
      markBoardsStale(qc);
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'version_conflict' && e.current) qc.setQueryData(['deals', deal.id], e.current);
      notifyError(t, e);
    },
  });

  const choose = (s: Stage) => {
    if (!canEdit || move.isPending || s.id === deal.stageId) return;
    if (s.semantic === 'failure' && s.requiresLossReason) setAsking(s);
    else if (s.semantic !== 'in_progress') setConfirming(s);
    else move.mutate({ stageId: s.id });
  };

  const renderStage = (s: Stage, i: number, kind: 'open' | 'closed') => {
    const current = s.id === deal.stageId;
    const passed = kind === 'open' && !deal.closed && currentIndex >= 0 && i < currentIndex;
    const filled = current || passed || (kind === 'open' && deal.stageSemantic === 'success');
    return (
      <UnstyledButton
        key={s.id}
        className={classes.stage}
        data-current={current || undefined}
        data-filled={filled || undefined}
        data-semantic={s.semantic}
        style={{ ['--stage-color' as string]: s.color, ['--stage-text' as string]: textOn(s.color) }}
        onClick={() => choose(s)}
        disabled={!canEdit || move.isPending}
        aria-current={current ? 'step' : undefined}
        aria-label={current ? t('dealCard.stage.current', { stage: s.name }) : t('dealCard.stage.moveTo', { stage: s.name })}
        title={s.name}
      >
        <span className={classes.stageName}>{s.name}</span>
      </UnstyledButton>
    );
  };

  return (
    <Box component="nav" aria-label={t('dealCard.stage.bar')} data-testid="stage-bar">
      <Group gap={4} wrap="wrap" align="stretch">
        <div className={classes.stageTrack}>{open.map((s, i) => renderStage(s, i, 'open'))}</div>
        <Group gap={4} wrap="nowrap">
          {closed.map((s, i) => renderStage(s, i, 'closed'))}
        </Group>
      </Group>
      {deal.closed && deal.closedAt && (
        <Text size="sm" c="dimmed" mt={4} data-testid="closed-at">
          {t(deal.stageSemantic === 'success' ? 'dealCard.stage.wonAt' : 'dealCard.stage.lostAt', { at: fmt.dateTime(deal.closedAt) })}
        </Text>
      )}
      <ConfirmModal
        opened={confirming !== null}
        title={t(confirming?.semantic === 'success' ? 'dealCard.stage.confirmWonTitle' : 'dealCard.stage.confirmLostTitle')}
        confirmLabel={t('dealCard.stage.confirmClose', { stage: confirming?.name ?? '' })}
        color={confirming?.semantic === 'success' ? 'green' : 'red'}
        loading={move.isPending}
        onClose={() => setConfirming(null)}
        onConfirm={() => confirming && move.mutate({ stageId: confirming.id })}
      >
        <Text>{t('dealCard.stage.confirmText', { title: deal.title, stage: confirming?.name ?? '' })}</Text>
      </ConfirmModal>
      <LossReasonModal opened={asking !== null} dealTitle={deal.title} stageName={asking?.name ?? ''} saving={move.isPending} onCancel={() => setAsking(null)} onConfirm={(lossReasonId) => asking && move.mutate({ stageId: asking.id, lossReasonId })} />
    </Box>
  );
}

/** Black or white text, whichever reads better on the stage colour. */
function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#111';
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => {
    const c = parseInt(x!, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return lum > 0.35 ? '#111' : '#fff';
}
