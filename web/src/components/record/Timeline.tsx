import type { ReactNode } from 'react';
import { Badge, Button, Group, Paper, Stack, Text, Textarea, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { errorMessage } from '../../lib/errors';
import { useDraft } from '../../lib/use-draft';
import { useFormat } from '../../lib/use-format';
import { providerName } from '../../lib/provider-name';
import { PageLoader, QueryError } from '../page';
import { changesOf } from './changes';
import { FieldValue, RecordRef, useFieldLabel } from './FieldValue';
import { KIND_COLOR, isKnownKind, type WebTimelineKind } from './timeline-kinds';
import type { NamedEntity } from '../../api/record-names';
import { timelineQueryKey } from './keys';
import { usePipelines, useReferenceList, useUsers } from '../../api/lookups';
import { SINGULAR, type RecordEntity } from './keys';

// The history of a record, newest first: comments, field changes (old → new), stage moves,
// activities planned / done / cancelled. A comment box on top.
//
//   <Timeline entity="deals" id={deal.id} currency={deal.currency} />

export interface TimelineEntry {
  id: number;
  kind: string;
  authorId: number | null;
  /** the robot that wrote the entry (authorId is then the workspace's system user) */
  robot?: { id: number; name: string; kind?: 'trigger' } | null;
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
        <form noValidate
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

/** A trigger's name as the server writes it for the timeline («Триггер «…»») without the wrapper, to be named in the interface's language. */
const bareTriggerName = (name: string) => /^Триггер «(.*)»$/s.exec(name)?.[1] ?? name;

function TimelineItem({ entry, entity, currency }: { entry: TimelineEntry; entity: RecordEntity; currency: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const author = entry.robot
    ? entry.robot.kind === 'trigger'
      ? t('record.timeline.trigger', { name: bareTriggerName(entry.robot.name) })
      : t('record.timeline.robot', { name: entry.robot.name })
    : entry.authorId === null
      ? t('record.timeline.system') : (users.data?.find((u) => u.id === entry.authorId)?.name ?? `#${entry.authorId}`);
  const kindLabel = t(`record.timeline.kind.${entry.kind}`, { defaultValue: entry.kind });
  return (
    <Paper component="li" withBorder p="xs" radius="sm" data-testid="timeline-entry" data-kind={entry.kind}>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start" mb={4}>
        <Group gap={6} wrap="wrap" style={{ minWidth: 0, rowGap: 0 }}>
          <ThemeIcon size={10} radius="xl" color={isKnownKind(entry.kind) ? KIND_COLOR[entry.kind] : 'gray'} aria-hidden />
          {/* what happened is never cut («Дело выполне…»), nor who did it («Робот «SMS клиенту»»): a long author goes to the next line */}
          <Text size="xs" fw={600}>
            {kindLabel}
          </Text>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere', minWidth: 0 }} data-testid="timeline-author" data-robot-id={entry.robot?.id} data-robot-kind={entry.robot?.kind}>
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

interface BodyProps {
  d: Record<string, unknown>;
  kind: WebTimelineKind;
  entity: RecordEntity;
  currency: string;
}

function EntryBody({ entry, entity, currency }: { entry: TimelineEntry; entity: RecordEntity; currency: string }): ReactNode {
  if (!isKnownKind(entry.kind)) return null; // a kind newer than this build: its title says what it is
  const Body = BODIES[entry.kind];
  return <Body d={entry.data} kind={entry.kind} entity={entity} currency={currency} />;
}

/** One body per kind the server writes (the keys are checked against the server's list in a unit test). */
const BODIES: Record<WebTimelineKind, (p: BodyProps) => ReactNode> = {
  comment: Comment,
  created: RecordSummary,
  deleted: RecordSummary,
  updated: Changes,
  merged: Changes,
  responsible_changed: ResponsibleChanged,
  stage_moved: StageMoved,
  status_changed: StatusChanged,
  converted: Converted,
  restored: Restored,
  purged: Purged,
  activity_created: ActivityBody,
  activity_updated: ActivityBody,
  activity_done: ActivityBody,
  activity_cancelled: ActivityBody,
  activity_deleted: ActivityBody,
  sms_sent: SmsSent,
  webhook_sent: WebhookSent,
};

/** A robot's SMS to the client: the number, the provider and the text as sent. */
function SmsSent({ d }: BodyProps) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {t('record.timeline.smsText', { to: String(d.to ?? ''), provider: providerName(t, String(d.provider ?? '')) })}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {String(d.text ?? '')}
      </Text>
    </Stack>
  );
}

/** A robot's webhook call: where, and the receiver's answer. */
function WebhookSent({ d }: BodyProps) {
  const { t } = useTranslation();
  return (
    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
      {t('record.timeline.webhookText', { url: String(d.url ?? ''), status: String(d.status ?? '') })}
    </Text>
  );
}

function Comment({ d }: BodyProps) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {String(d.text ?? '')}
    </Text>
  );
}

function ResponsibleChanged({ d, entity }: BodyProps) {
  const label = useFieldLabel(entity);
  return (
    <ChangeLine label={label('responsibleId')}>
      <FieldValue entity={entity} field="responsibleId" value={d.old} />
      <FieldValue entity={entity} field="responsibleId" value={d.new} />
    </ChangeLine>
  );
}

/** Back from the recycle bin: when it was deleted and by whom. */
function Restored({ d }: BodyProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const users = useUsers();
  const by = d.deletedById == null ? t('record.timeline.system') : (users.data?.find((u) => u.id === Number(d.deletedById))?.name ?? t('record.value.userId', { id: d.deletedById }));
  return <Text size="sm">{t('record.timeline.restoredFrom', { when: typeof d.deletedAt === 'string' ? fmt.dateTime(d.deletedAt) : '—', who: by })}</Text>;
}

function Purged({ d }: BodyProps) {
  const { t } = useTranslation();
  return <Text size="sm">{t('record.timeline.purgedText', { name: String(d.title ?? d.name ?? '') })}</Text>;
}

/** created / deleted: the record's name, and for a deal where it stood and its amount. */
function RecordSummary({ d, entity }: BodyProps) {
  const fmt = useFormat();
  const pipelines = usePipelines({ enabled: d.stageId != null });
  const name = d.title ?? d.name ?? d.fullName;
  const pipeline = pipelines.data?.find((p) => p.id === Number(d.pipelineId));
  const stage = pipelines.data?.flatMap((p) => p.stages).find((s) => s.id === Number(d.stageId));
  const where = [pipeline?.name, stage?.name].filter(Boolean).join(' · ');
  const amount = typeof d.amount === 'number' && d.amount > 0 ? fmt.money(d.amount, String(d.currency ?? 'RUB')) : null;
  if (!name && !where && !amount) return null;
  return (
    <Stack gap={2}>
      {name != null && <Text size="sm">{String(name)}</Text>}
      {(where || amount) && entity === 'deals' && (
        <Text size="xs" c="dimmed">
          {[where, amount].filter(Boolean).join(' · ')}
        </Text>
      )}
    </Stack>
  );
}

function Changes({ d, kind, entity, currency }: BodyProps) {
  const { t } = useTranslation();
  const label = useFieldLabel(entity);
  const changes = changesOf(d);
  return (
    <Stack gap={2}>
      {kind === 'merged' && <Text size="sm">{t('record.timeline.mergedFrom', { name: String(d.sourceName ?? d.sourceId ?? '') })}</Text>}
      {changes.map((c) => (
        <ChangeLine key={c.field} label={label(c.field)}>
          <FieldValue entity={entity} field={c.field} value={c.old} currency={currency} />
          <FieldValue entity={entity} field={c.field} value={c.new} currency={currency} />
        </ChangeLine>
      ))}
    </Stack>
  );
}

/** «Переговоры → Успешно» as two badges, and why when it was not a plain move. */
function Move({ from, to, color, reason }: { from: string; to: string; color?: string; reason?: unknown }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="wrap">
        <Badge variant="light" color="gray" size="sm" style={{ textTransform: 'none' }}>
          {from}
        </Badge>
        <Text size="sm" aria-hidden>
          →
        </Text>
        <VisuallyHidden>{t('record.timeline.to')}</VisuallyHidden>
        <Badge variant="light" size="sm" style={{ textTransform: 'none', backgroundColor: color ? `${color}33` : undefined }}>
          {to}
        </Badge>
      </Group>
      {typeof reason === 'string' && (
        <Text size="xs" c="dimmed">
          {t(`record.timeline.reason.${reason}`, { defaultValue: t('record.timeline.reason.other') })}
        </Text>
      )}
    </Stack>
  );
}

type Place = { stageId?: number; pipelineId?: number; statusId?: number; semantic?: string } | undefined;

function StageMoved({ d, entity }: BodyProps) {
  const { t } = useTranslation();
  const label = useFieldLabel(entity);
  const pipelines = usePipelines();
  const from = d.from as Place;
  const to = d.to as Place;
  const stages = pipelines.data?.flatMap((p) => p.stages) ?? [];
  // a stage removed from its pipeline is no longer listed: it is named as such rather than by id
  const stageName = (p: Place) => (p?.stageId == null ? '—' : (stages.find((s) => s.id === p.stageId)?.name ?? t('record.timeline.stageRemoved')));
  const pipelineName = (p: Place) => pipelines.data?.find((x) => x.id === p?.pipelineId)?.name ?? '—';
  const toColor = stages.find((s) => s.id === to?.stageId)?.color;
  return (
    <Stack gap={2}>
      {d.pipelineChanged === true && (
        <Text size="sm">
          {t('record.timeline.pipelineMoved', { from: pipelineName(from), to: pipelineName(to) })}
        </Text>
      )}
      <Move from={stageName(from)} to={stageName(to)} color={toColor} reason={d.reason} />
      {d.lossReasonId != null && (
        <ChangeLine label={label('lossReasonId')}>
          <FieldValue entity={entity} field="lossReasonId" value={d.lossReasonId} />
        </ChangeLine>
      )}
    </Stack>
  );
}

function StatusChanged({ d }: BodyProps) {
  const { t } = useTranslation();
  const statuses = useReferenceList('lead-statuses', { includeInactive: true });
  const name = (p: Place) => statuses.data?.find((s) => s.id === p?.statusId)?.name ?? (p?.semantic ? t(`record.timeline.leadSemantic.${p.semantic}`, { defaultValue: '—' }) : '—');
  return <Move from={name(d.from as Place)} to={name(d.to as Place)} reason={d.reason} />;
}

/** A lead converted: the deal, contact and company it became, each saying whether it was created or chosen. */
function Converted({ d }: BodyProps) {
  const { t } = useTranslation();
  const created = (d.created ?? {}) as Record<string, boolean | undefined>;
  const parts = [
    ['dealId', 'deals', 'deal'],
    ['contactId', 'contacts', 'contact'],
    ['companyId', 'companies', 'company'],
  ] as const;
  return (
    <Stack gap={2}>
      {parts
        .filter(([k]) => d[k] != null)
        .map(([k, to, one]) => (
          <Text key={k} size="sm" component="div">
            <Text span c="dimmed">
              {t(`record.fields.${k}`)}:{' '}
            </Text>
            <RecordRef entity={to} id={Number(d[k])} />
            <Text span c="dimmed" size="xs">
              {' '}
              ({created[one] ? t('record.timeline.convertedNew') : t('record.timeline.convertedLinked')})
            </Text>
          </Text>
        ))}
    </Stack>
  );
}

const OWNER_PLURAL: Record<string, NamedEntity> = { deal: 'deals', lead: 'leads', contact: 'contacts', company: 'companies' };

function ActivityBody({ d, kind, entity }: BodyProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const typeName = (v: unknown) => t(`record.activity.type.${String(v)}`, { defaultValue: String(v) });
  const changes = kind === 'activity_updated' ? changesOf(d).filter((c) => c.field !== 'result') : [];
  const type = changes.find((c) => c.field === 'entityType');
  const id = changes.find((c) => c.field === 'entityId');
  const owner = (which: 'old' | 'new') => {
    const ownerType = (type ?? { old: null, new: null })[which] ?? null;
    const ownerId = (id ?? { old: null, new: null })[which] ?? null;
    return { ownerType, ownerId };
  };
  return (
    <Stack gap={2}>
      <Text size="sm">
        <Text span fw={500}>
          {typeName(d.type)}
        </Text>
        {': '}
        {String(d.subject ?? '')}
      </Text>
      {typeof d.deadlineAt === 'string' && kind !== 'activity_updated' && (
        <Text size="xs" c="dimmed">
          {t('record.activity.deadline')}: {fmt.dateTime(d.deadlineAt)}
        </Text>
      )}
      {kind === 'activity_done' && typeof d.result === 'string' && d.result && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {t('record.activity.result')}: {d.result}
        </Text>
      )}
      {(type || id) && <OwnerMove entity={entity} from={owner('old')} to={owner('new')} />}
      {changes
        .filter((c) => c.field !== 'entityType' && c.field !== 'entityId')
        .map((c) => (
          <ChangeLine key={c.field} label={t(`record.activity.field.${c.field}`, { defaultValue: c.field })}>
            {activityValue(c.field, c.old)}
            {activityValue(c.field, c.new)}
          </ChangeLine>
        ))}
    </Stack>
  );

  function activityValue(field: string, v: unknown): ReactNode {
    if (field === 'type') return typeName(v);
    if (field === 'direction') return v == null ? t('record.value.none') : t(`record.activity.directionValue.${String(v)}`, { defaultValue: String(v) });
    return <FieldValue entity={entity} field={field} value={v} />;
  }
}

/** «Перенесено: Лид «Окна» → Сделка «Окна»»: an activity moved to another record (on conversion, or by hand). */
function OwnerMove({ entity, from, to }: { entity: RecordEntity; from: { ownerType: unknown; ownerId: unknown }; to: { ownerType: unknown; ownerId: unknown } }) {
  const { t } = useTranslation();
  // a change of id alone keeps the type: the record's own kind
  const ref = (o: { ownerType: unknown; ownerId: unknown }, other: { ownerType: unknown }) => {
    const type = (o.ownerType ?? other.ownerType ?? SINGULAR[entity]) as string;
    const plural = OWNER_PLURAL[type];
    if (o.ownerId == null || !plural) return <Text span c="dimmed">{t('record.value.none')}</Text>;
    return <RecordRef entity={plural} id={Number(o.ownerId)} typed />;
  };
  return (
    <ChangeLine label={t('record.timeline.movedTo')}>
      {ref(from, to)}
      {ref(to, from)}
    </ChangeLine>
  );
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
