import type { ReactNode } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Textarea, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { useFormat } from '../../lib/use-format';
import { PageLoader, QueryError } from '../page';
import { changesOf } from './changes';
import { FieldValue, useFieldLabel } from './FieldValue';
import { timelineQueryKey } from './keys';
import { usePipelines, useUsers } from '../../api/lookups';
import type { RecordEntity } from './keys';

// The history of a record, newest first: comments, field changes (old → new), stage moves,
// activities planned / done / cancelled. A comment box on top.
//
//   <Timeline entity="deals" id={deal.id} currency={deal.currency} />

export interface TimelineEntry {
  id: number;
  kind: string;
  authorId: number | null;
  createdAt: string;
  data: Record<string, unknown>;
}

const PAGE = 30;

export interface TimelineProps {
  entity: RecordEntity;
  id: number;
  /** the record's currency, for amount changes */
  currency?: string;
  /** false hides the comment box (a read-only viewer) */
  canComment?: boolean;
}

export function Timeline({ entity, id, currency = 'RUB', canComment = true }: TimelineProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [text, setText, clearText] = useDraft(`timeline:${entity}:${id}`, '');
  const q = useInfiniteQuery({
    queryKey: timelineQueryKey(entity, id),
    queryFn: ({ pageParam, signal }) => api.get<Page<TimelineEntry>>(`/${entity}/${id}/timeline`, { limit: PAGE, cursor: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const comment = useMutation({
    mutationFn: (body: string) => api.post<TimelineEntry>(`/${entity}/${id}/timeline`, { text: body }),
    onSuccess: () => {
      clearText();
      void qc.invalidateQueries({ queryKey: timelineQueryKey(entity, id) });
    },
  });
  const send = () => {
    if (text.trim() && !comment.isPending) comment.mutate(text.trim());
  };
  const entries = q.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm" data-testid="timeline">
      {canComment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <Textarea
            label={t('record.timeline.commentLabel')}
            placeholder={t('record.timeline.commentPlaceholder')}
            autosize
            minRows={2}
            maxRows={8}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                send();
              }
            }}
            error={comment.isError ? errorMessage(t, comment.error) : undefined}
            description={t('record.timeline.commentHint')}
          />
          <Group justify="flex-end" mt="xs">
            <Button type="submit" size="xs" loading={comment.isPending} disabled={!text.trim()}>
              {t('record.timeline.send')}
            </Button>
          </Group>
        </form>
      )}
      {q.isPending ? (
        <PageLoader />
      ) : q.isError ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('record.timeline.empty')}
        </Text>
      ) : (
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('record.timeline.title')}>
          {entries.map((e) => (
            <TimelineItem key={e.id} entry={e} entity={entity} currency={currency} />
          ))}
        </Stack>
      )}
      {q.hasNextPage && (
        <Button variant="subtle" size="xs" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
          {t('record.timeline.more')}
        </Button>
      )}
    </Stack>
  );
}

const KIND_COLOR: Record<string, string> = {
  comment: 'blue',
  created: 'teal',
  updated: 'gray',
  responsible_changed: 'grape',
  stage_moved: 'indigo',
  activity_created: 'cyan',
  activity_updated: 'cyan',
  activity_done: 'green',
  activity_cancelled: 'orange',
  deleted: 'red',
  merged: 'violet',
  converted: 'teal',
};

function TimelineItem({ entry, entity, currency }: { entry: TimelineEntry; entity: RecordEntity; currency: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const author = entry.authorId === null ? t('record.timeline.system') : (users.data?.find((u) => u.id === entry.authorId)?.name ?? `#${entry.authorId}`);
  const kindLabel = t(`record.timeline.kind.${entry.kind}`, { defaultValue: entry.kind });
  return (
    <Paper component="li" withBorder p="xs" radius="sm" data-testid="timeline-entry" data-kind={entry.kind}>
      <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon size={10} radius="xl" color={KIND_COLOR[entry.kind] ?? 'gray'} aria-hidden />
          <Text size="xs" fw={600} truncate>
            {kindLabel}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {author}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" component="time" dateTime={entry.createdAt} title={fmt.dateTime(entry.createdAt)} style={{ whiteSpace: 'nowrap' }}>
          {fmt.dateTime(entry.createdAt)}
        </Text>
      </Group>
      <EntryBody entry={entry} entity={entity} currency={currency} />
    </Paper>
  );
}

function EntryBody({ entry, entity, currency }: { entry: TimelineEntry; entity: RecordEntity; currency: string }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = useFieldLabel(entity);
  const pipelines = usePipelines({ enabled: entry.kind === 'stage_moved' });
  const d = entry.data;
  switch (entry.kind) {
    case 'comment':
      return (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {String(d.text ?? '')}
        </Text>
      );
    case 'updated':
    case 'merged': {
      const changes = changesOf(d);
      return (
        <Stack gap={2}>
          {entry.kind === 'merged' && (
            <Text size="sm">{t('record.timeline.mergedFrom', { name: String(d.sourceName ?? d.sourceId ?? '') })}</Text>
          )}
          {changes.map((c) => (
            <ChangeLine key={c.field} label={label(c.field)}>
              <FieldValue entity={entity} field={c.field} value={c.old} currency={currency} />
              <FieldValue entity={entity} field={c.field} value={c.new} currency={currency} />
            </ChangeLine>
          ))}
        </Stack>
      );
    }
    case 'responsible_changed':
      return (
        <ChangeLine label={label('responsibleId')}>
          <FieldValue entity={entity} field="responsibleId" value={d.old} />
          <FieldValue entity={entity} field="responsibleId" value={d.new} />
        </ChangeLine>
      );
    case 'stage_moved': {
      const stages = pipelines.data?.flatMap((p) => p.stages) ?? [];
      const from = stages.find((s) => s.id === (d.from as { stageId?: number } | undefined)?.stageId);
      const to = stages.find((s) => s.id === (d.to as { stageId?: number } | undefined)?.stageId);
      return (
        <Stack gap={2}>
          <Group gap={6} wrap="wrap">
            <Badge variant="light" color="gray" size="sm" style={{ textTransform: 'none' }}>
              {from?.name ?? '—'}
            </Badge>
            <Text size="sm" aria-hidden>
              →
            </Text>
            <VisuallyHidden>{t('record.timeline.to')}</VisuallyHidden>
            <Badge variant="light" size="sm" style={{ textTransform: 'none', backgroundColor: to?.color ? `${to.color}33` : undefined }}>
              {to?.name ?? '—'}
            </Badge>
          </Group>
          {d.lossReasonId != null && (
            <ChangeLine label={label('lossReasonId')}>
              <FieldValue entity={entity} field="lossReasonId" value={d.lossReasonId} />
            </ChangeLine>
          )}
        </Stack>
      );
    }
    case 'activity_created':
    case 'activity_updated':
    case 'activity_done':
    case 'activity_cancelled':
      return (
        <Stack gap={2}>
          <Text size="sm">
            <Text span fw={500}>
              {t(`record.activity.type.${String(d.type)}`, { defaultValue: String(d.type) })}
            </Text>
            {': '}
            {String(d.subject ?? '')}
          </Text>
          {typeof d.deadlineAt === 'string' && (
            <Text size="xs" c="dimmed">
              {t('record.activity.deadline')}: {fmt.dateTime(d.deadlineAt)}
            </Text>
          )}
          {entry.kind === 'activity_done' && typeof d.result === 'string' && d.result && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {t('record.activity.result')}: {d.result}
            </Text>
          )}
          {entry.kind === 'activity_updated' &&
            changesOf(d)
              .filter((c) => c.field !== 'result')
              .map((c) => (
                <ChangeLine key={c.field} label={t(`record.activity.field.${c.field}`, { defaultValue: c.field })}>
                  {c.field === 'type' ? t(`record.activity.type.${String(c.old)}`, { defaultValue: String(c.old) }) : <FieldValue entity={entity} field={c.field} value={c.old} />}
                  {c.field === 'type' ? t(`record.activity.type.${String(c.new)}`, { defaultValue: String(c.new) }) : <FieldValue entity={entity} field={c.field} value={c.new} />}
                </ChangeLine>
              ))}
        </Stack>
      );
    case 'created': {
      const name = d.title ?? d.name ?? d.fullName;
      return name ? <Text size="sm">{String(name)}</Text> : null;
    }
    case 'deleted':
      return null;
    case 'converted':
      return (
        <Stack gap={2}>
          {(['dealId', 'contactId', 'companyId'] as const)
            .filter((k) => d[k] != null)
            .map((k) => (
              <ChangeLine key={k} label={label(k)}>
                <FieldValue entity={entity} field={k} value={d[k]} />
              </ChangeLine>
            ))}
        </Stack>
      );
    default:
      return null;
  }
}

/** «Вероятность: 10 % → 50 %» (or just «Поле: значение» with one child). */
function ChangeLine({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation();
  const parts = Array.isArray(children) ? children : [children];
  return (
    <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
      <Text span c="dimmed">
        {label}:{' '}
      </Text>
      {parts.length === 2 ? (
        <>
          <Text span td="line-through" c="dimmed">
            {parts[0]}
          </Text>
          <Text span aria-hidden>
            {' → '}
          </Text>
          <VisuallyHidden>{` ${t('record.timeline.to')} `}</VisuallyHidden>
          <Text span fw={500}>
            {parts[1]}
          </Text>
        </>
      ) : (
        parts
      )}
    </Text>
  );
}
