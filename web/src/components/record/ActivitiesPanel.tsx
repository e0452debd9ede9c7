import { useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { QueryError } from '../page';
import type { Activity } from './activity';
import { ActivityFormModal } from './ActivityForm';
import { newActivityDraftKey } from './activity-form-logic';
import { readDraft } from '../../lib/use-draft';
import { ActivityList, ActivityRow } from './ActivityRow';
import { activitiesQueryKey, invalidateAfterActivity, SINGULAR, type RecordEntity } from './keys';
import { useActivityActions } from './use-activity-actions';

// The activities (дела) of a record: the planned ones, soonest first (overdue in red), each with
// «done» (asks for the result), «перенести», edit and «cancel» (asks to confirm) for those the
// user may change; a button to plan a call, meeting, e-mail or task with a subject, deadline and
// responsible; the finished ones on request.
//
//   <ActivitiesPanel entity="deals" id={deal.id} />

export interface ActivitiesPanelProps {
  entity: RecordEntity;
  id: number;
  /** false: list only (no planning, completing, rescheduling, editing or cancelling) */
  canEdit?: boolean;
}

export function ActivitiesPanel({ entity, id, canEdit = true }: ActivitiesPanelProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  // a plan form left open by a session expiry comes back with what was typed
  const [planning, setPlanning] = useState(() => canEdit && readDraft(newActivityDraftKey({ type: SINGULAR[entity], id })) !== null);
  const [showClosed, setShowClosed] = useState(false);
  const actions = useActivityActions({ canEdit });

  const planned = useQuery({
    queryKey: [...activitiesQueryKey(entity, id), 'planned'],
    queryFn: ({ signal }) => api.get<Page<Activity>>(`/${entity}/${id}/activities`, { status: 'planned', sort: 'deadlineAt', limit: 100 }, { signal }),
  });
  const closed = useQuery({
    queryKey: [...activitiesQueryKey(entity, id), 'closed'],
    queryFn: ({ signal }) => api.get<Page<Activity>>(`/${entity}/${id}/activities`, { status: ['done', 'cancelled'], sort: '-id', limit: 50 }, { signal }),
    enabled: showClosed,
  });

  const items = planned.data?.items ?? [];
  return (
    <Stack gap="sm" data-testid="activities">
      {canEdit && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => setPlanning(true)}>
            {t('record.activity.plan')}
          </Button>
        </Group>
      )}
      {planned.isError ? (
        <QueryError error={planned.error} onRetry={() => void planned.refetch()} />
      ) : planned.isPending ? (
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="orange.9" data-testid="no-next-step">
          {t('record.activity.none')}
        </Text>
      ) : (
        <ActivityList label={t('record.activity.plannedList')}>
          {items.map((a) => (
            <ActivityRow key={a.id} activity={a} actions={actions.forRow(a)} />
          ))}
        </ActivityList>
      )}
      <Button variant="subtle" size="xs" onClick={() => setShowClosed((v) => !v)} aria-expanded={showClosed}>
        {showClosed ? t('record.activity.hideClosed') : t('record.activity.showClosed')}
      </Button>
      {showClosed &&
        (closed.isError ? (
          <QueryError error={closed.error} onRetry={() => void closed.refetch()} />
        ) : (closed.data?.items.length ?? 0) === 0 ? (
          <Text size="sm" c="dimmed">
            {closed.isPending ? t('common.loading') : t('record.activity.noneClosed')}
          </Text>
        ) : (
          <ActivityList label={t('record.activity.closedList')}>
            {closed.data!.items.map((a) => (
              <ActivityRow key={a.id} activity={a} />
            ))}
          </ActivityList>
        ))}
      <ActivityFormModal
        opened={planning}
        title={t('record.activity.planTitle')}
        owner={{ type: SINGULAR[entity], id }}
        onClose={() => setPlanning(false)}
        onSaved={() => invalidateAfterActivity(qc, entity, id)}
      />
      {actions.modals}
    </Stack>
  );
}
