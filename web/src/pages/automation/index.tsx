import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Divider, Group, Menu, Modal, Paper, ScrollArea, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useAllCustomFields, usePipelines, useReferenceList, type Pipeline, type Stage } from '../../api/lookups';
import type { Page } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Empty, PageHeader, PageLoader, QueryError } from '../../components/page';
import { errorMessage } from '../../lib/errors';
import { notifyFailure, notifySaved } from '../settings/api';
import { useIsAdmin } from '../../auth/session';
import { RobotForm } from './RobotForm';
import { buildCatalogue, reorderPatches, typesFor, type Robot, type RobotApplyResult, type RobotDryRun, type RobotEntity, type RobotType } from './robot-logic';
import { useTimingText } from './timing-text';
import { CardMenu } from './widgets';
import { summaryText } from './summary-text';
import { TriggerForm } from './TriggerForm';
import { AddTriggerButton, TriggerCard, TriggerTypePicker } from './Triggers';
import type { Trigger, TriggerType } from './trigger-logic';

// The robots of a pipeline (/automation/robots?pipelineId=…), as in Bitrix24: a column per stage,
// its robots in order under it. Add (pick a type, fill its form), edit, enable/disable, move
// up/down, copy to another stage, apply to the deals already in the stage, dry-run on a deal,
// delete. A robot whose references are gone shows a red mark with the reasons. Administrators and
// roles granted automation.manage.
// On top of each column, the stage's triggers (what moves a deal into it): add, edit, enable/disable,
// a new webhook URL, delete.
// «Лиды» in the same picker (/automation/robots?entity=lead) shows the lead statuses as the columns
// and their robots (the lead robot types, the lead catalogue's fields), no triggers; the built-in
// «convert every new lead» of the lead-less mode sits on the first status, marked, not editable.

const robotsKey = (pipelineId: number | 'lead') => ['automation', 'robots', pipelineId] as const;

/** A column of the board: a deal stage, or a lead status. */
interface Column {
  id: number;
  name: string;
  color: string;
}

type FormState = { type: RobotType; stageId: number; robot?: Robot } | null;
type TriggerFormState = { type: TriggerType; stageId: number; trigger?: Trigger } | null;

export default function RobotsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const isAdmin = useIsAdmin();
  const pipelines = usePipelines();
  const types = useQuery({ queryKey: ['automation', 'robot-types'], queryFn: ({ signal }) => api.get<RobotType[]>('/automation/robot-types', undefined, { signal }), staleTime: 5 * 60_000 });
  const triggerTypes = useQuery({ queryKey: ['automation', 'trigger-types'], queryFn: ({ signal }) => api.get<TriggerType[]>('/automation/trigger-types', undefined, { signal }), staleTime: 5 * 60_000 });
  const custom = useAllCustomFields();
  const entity: RobotEntity = params.get('entity') === 'lead' ? 'lead' : 'deal';
  const statuses = useReferenceList('lead-statuses', { enabled: entity === 'lead' });
  const pipelineId = Number(params.get('pipelineId')) || pipelines.data?.find((p) => p.isDefault)?.id || pipelines.data?.[0]?.id;
  const pipeline = pipelines.data?.find((p) => p.id === pipelineId);
  const robots = useQuery({
    queryKey: robotsKey(entity === 'lead' ? 'lead' : (pipelineId ?? 0)),
    queryFn: ({ signal }) => api.get<Robot[]>('/automation/robots', entity === 'lead' ? { entityType: 'lead' } : { pipelineId }, { signal }),
    enabled: entity === 'lead' || !!pipelineId,
  });
  const triggers = useQuery({
    queryKey: ['automation', 'triggers', pipelineId ?? 0],
    queryFn: ({ signal }) => api.get<Trigger[]>('/automation/triggers', { pipelineId }, { signal }),
    enabled: entity === 'deal' && !!pipelineId,
  });
  const catalogue = useMemo(() => buildCatalogue((custom.data ?? []) as never, entity), [custom.data, entity]);

  const header = (
    <PageHeader title={t('automation.title')}>
      {pipelines.data && (
        <Select
          aria-label={t('automation.pipeline')}
          data={[...pipelines.data.map((p) => ({ value: String(p.id), label: p.name })), { value: 'lead', label: t('automation.leads') }]}
          value={entity === 'lead' ? 'lead' : pipelineId ? String(pipelineId) : null}
          onChange={(v) => v && setParams(v === 'lead' ? { entity: 'lead' } : { pipelineId: v }, { replace: true })}
          allowDeselect={false}
          w={240}
        />
      )}
    </PageHeader>
  );
  if (pipelines.isPending || types.isPending || triggerTypes.isPending) return <PageLoader />;
  if (pipelines.isError) return <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />;
  if (types.isError) return <QueryError error={types.error} onRetry={() => void types.refetch()} />;
  if (triggerTypes.isError) return <QueryError error={triggerTypes.error} onRetry={() => void triggerTypes.refetch()} />;
  if (entity === 'lead') {
    const columns: Column[] = (statuses.data ?? []).map((st) => ({ id: st.id, name: st.name, color: 'var(--mantine-color-gray-5)' }));
    return (
      <>
        {header}
        <Text size="sm" c="dimmed" mb="sm">
          {t('automation.leadsHint')}{' '}
          <Anchor component={Link} to="/settings/reference-lists" size="sm" underline="always">
            {t('automation.toLeadStatuses')}
          </Anchor>
        </Text>
        {robots.isPending || statuses.isPending ? (
          <PageLoader />
        ) : robots.isError ? (
          <QueryError error={robots.error} onRetry={() => void robots.refetch()} />
        ) : statuses.isError ? (
          <QueryError error={statuses.error} onRetry={() => void statuses.refetch()} />
        ) : columns.length === 0 ? (
          <Empty title={t('automation.noStatuses')} />
        ) : (
          <RobotBoard entity="lead" columns={columns} pipelines={pipelines.data} robots={robots.data} types={typesFor(types.data, 'lead')} triggers={[]} triggerTypes={[]} catalogue={catalogue} />
        )}
      </>
    );
  }
  if (!pipeline) return (
    <>
      {header}
      <Empty title={t('automation.noPipeline')} />
    </>
  );
  return (
    <>
      {header}
      <Text size="sm" c="dimmed" mb="sm">
        {t('automation.hint', { pipeline: pipeline.name })}{' '}
        {isAdmin && (
          <Anchor component={Link} to={`/settings/pipelines?pipeline=${pipeline.id}`} size="sm" underline="always">
            {t('automation.toPipeline')}
          </Anchor>
        )}{' '}
        <Anchor component={Link} to="/automation/log" size="sm" underline="always">
          {t('automation.toLog')}
        </Anchor>
      </Text>
      {robots.isPending || triggers.isPending ? (
        <PageLoader />
      ) : robots.isError ? (
        <QueryError error={robots.error} onRetry={() => void robots.refetch()} />
      ) : triggers.isError ? (
        <QueryError error={triggers.error} onRetry={() => void triggers.refetch()} />
      ) : (
        <RobotBoard entity="deal" pipelineId={pipeline.id} columns={pipeline.stages} pipelines={pipelines.data} robots={robots.data} types={typesFor(types.data, 'deal')} triggers={triggers.data} triggerTypes={triggerTypes.data} catalogue={catalogue} />
      )}
    </>
  );
}

function RobotBoard({
  entity,
  pipelineId,
  columns,
  pipelines,
  robots,
  types,
  triggers,
  triggerTypes,
  catalogue,
}: {
  entity: RobotEntity;
  /** the deal stages' pipeline (none for the lead statuses) */
  pipelineId?: number;
  columns: Column[];
  pipelines: Pipeline[];
  robots: Robot[];
  types: RobotType[];
  triggers: Trigger[];
  triggerTypes: TriggerType[];
  catalogue: ReturnType<typeof buildCatalogue>;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [picking, setPicking] = useState<number | null>(null);
  const [form, setForm] = useState<FormState>(null);
  const [copying, setCopying] = useState<Robot | null>(null);
  const [applying, setApplying] = useState<Robot | null>(null);
  const [trying, setTrying] = useState<Robot | null>(null);
  const [deleting, setDeleting] = useState<Robot | null>(null);
  const [pickingTrigger, setPickingTrigger] = useState<number | null>(null);
  const [triggerForm, setTriggerForm] = useState<TriggerFormState>(null);
  const [deletingTrigger, setDeletingTrigger] = useState<Trigger | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['automation', 'robots'] });
  const refreshTriggers = () => qc.invalidateQueries({ queryKey: ['automation', 'triggers'] });
  const triggerTypeOf = (r: Trigger) => triggerTypes.find((x) => x.type === r.type);
  const patchTrigger = useMutation({
    mutationFn: ({ trigger, body }: { trigger: Trigger; body: Record<string, unknown> }) => api.patch<Trigger>(`/automation/triggers/${trigger.id}`, { ...body, version: trigger.version }),
    onSuccess: (r, { body }) => {
      if (body.rotateToken) notifySaved(t, t('automation.triggers.rotated', { name: r.name }));
      void refreshTriggers();
    },
    onError: (e) => {
      notifyFailure(t, e);
      void refreshTriggers();
    },
  });
  const removeTrigger = useMutation({
    mutationFn: (r: Trigger) => api.delete(`/automation/triggers/${r.id}`),
    onSuccess: (_, r) => {
      notifySaved(t, t('automation.triggers.deleted', { name: r.name }));
      setDeletingTrigger(null);
      void refreshTriggers();
    },
    onError: (e) => notifyFailure(t, e),
  });
  const typeOf = (r: Robot) => types.find((x) => x.type === r.type);

  const patch = useMutation({
    mutationFn: ({ robot, body }: { robot: Robot; body: Record<string, unknown> }) => api.patch<Robot>(`/automation/robots/${robot.id}`, { ...body, version: robot.version }),
    onSuccess: () => void refresh(),
    onError: (e) => {
      notifyFailure(t, e);
      void refresh();
    },
  });
  const move = useMutation({
    mutationFn: async ({ list, from, to }: { list: Robot[]; from: number; to: number }) => {
      for (const p of reorderPatches(list, from, to)) await api.patch<Robot>(`/automation/robots/${p.robot.id}`, { position: p.position, version: p.robot.version });
    },
    onSettled: () => void refresh(),
    onError: (e) => notifyFailure(t, e),
  });
  const remove = useMutation({
    mutationFn: (r: Robot) => api.delete(`/automation/robots/${r.id}`),
    onSuccess: (_, r) => {
      notifySaved(t, t('automation.deleted', { name: r.name }));
      setDeleting(null);
      void refresh();
    },
    onError: (e) => notifyFailure(t, e),
  });

  return (
    <>
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" pb="sm" data-testid="robot-board">
          {columns.map((stage) => {
            // built-in rules first, outside the order the administrators change
            const builtIns = robots.filter((r) => r.stageId === stage.id && r.builtIn);
            const list = robots.filter((r) => r.stageId === stage.id && !r.builtIn);
            return (
              <Paper key={stage.id} withBorder radius="md" p="xs" w={280} style={{ flexShrink: 0, borderTop: `4px solid ${stage.color}` }} data-testid="robot-stage" data-stage-id={stage.id} component="section" aria-label={stage.name}>
                <Title order={2} size="h6" mb="xs">
                  {stage.name}
                </Title>
                {entity === 'deal' && (
                  <>
                    <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('automation.triggers.of', { stage: stage.name })} data-testid="stage-triggers">
                      {triggers
                        .filter((r) => r.stageId === stage.id)
                        .map((r) => (
                          <TriggerCard
                            key={r.id}
                            trigger={r}
                            type={triggerTypeOf(r)}
                            catalogue={catalogue}
                            onEdit={() => {
                              const type = triggerTypeOf(r);
                              if (type) setTriggerForm({ type, stageId: r.stageId, trigger: r });
                            }}
                            onToggle={() => patchTrigger.mutate({ trigger: r, body: { enabled: !r.enabled } })}
                            onRotate={() => patchTrigger.mutate({ trigger: r, body: { rotateToken: true } })}
                            onDelete={() => setDeletingTrigger(r)}
                          />
                        ))}
                    </Stack>
                    <AddTriggerButton stageName={stage.name} onClick={() => setPickingTrigger(stage.id)} />
                    <Divider my={6} />
                  </>
                )}
                <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {builtIns.map((r) => (
                    <BuiltInRobotCard key={r.id} robot={r} type={typeOf(r)} onDryRun={() => setTrying(r)} />
                  ))}
                  {list.map((r, i) => (
                    <RobotCard
                      key={r.id}
                      robot={r}
                      type={typeOf(r)}
                      first={i === 0}
                      last={i === list.length - 1}
                      onEdit={() => {
                        const type = typeOf(r);
                        if (type) setForm({ type, stageId: r.stageId, robot: r });
                      }}
                      onToggle={() => patch.mutate({ robot: r, body: { enabled: !r.enabled } })}
                      onMove={(d) => move.mutate({ list, from: i, to: i + d })}
                      onCopy={() => setCopying(r)}
                      onApply={() => setApplying(r)}
                      onDryRun={() => setTrying(r)}
                      onDelete={() => setDeleting(r)}
                    />
                  ))}
                </Stack>
                <Button variant="subtle" size="xs" fullWidth mt="xs" onClick={() => setPicking(stage.id)} aria-label={t(entity === 'lead' ? 'automation.addToStatus' : 'automation.addTo', { stage: stage.name })}>
                  + {t('automation.add')}
                </Button>
              </Paper>
            );
          })}
        </Group>
      </ScrollArea>

      <Modal opened={picking !== null} onClose={() => setPicking(null)} title={t('automation.pickType')} size="md">
        <Stack gap="xs">
          {types.map((ty) => (
            <Paper
              key={ty.type}
              withBorder
              p="xs"
              component="button"
              type="button"
              style={{ textAlign: 'left', cursor: 'pointer', background: 'transparent' }}
              onClick={() => {
                setForm({ type: ty, stageId: picking! });
                setPicking(null);
              }}
            >
              <Text fw={600} size="sm">
                {ty.title}
              </Text>
              <Text size="xs" c="dimmed">
                {ty.description}
              </Text>
            </Paper>
          ))}
        </Stack>
      </Modal>

      {form && (
        <RobotForm
          key={`${form.robot?.id ?? 'new'}-${form.type.type}-${form.stageId}`}
          opened
          onClose={() => setForm(null)}
          type={form.type}
          entityType={entity}
          stageId={form.stageId}
          robot={form.robot}
          catalogue={catalogue}
          pipelines={pipelines}
          onSaved={(r) => {
            notifySaved(t, t('automation.saved', { name: r.name }));
            setForm(null);
            void refresh();
          }}
        />
      )}
      <TriggerTypePicker
        opened={pickingTrigger !== null}
        types={triggerTypes}
        onClose={() => setPickingTrigger(null)}
        onPick={(ty) => {
          setTriggerForm({ type: ty, stageId: pickingTrigger! });
          setPickingTrigger(null);
        }}
      />
      {triggerForm && (
        <TriggerForm
          key={`${triggerForm.trigger?.id ?? 'new'}-${triggerForm.type.type}-${triggerForm.stageId}`}
          onClose={() => setTriggerForm(null)}
          type={triggerForm.type}
          stageId={triggerForm.stageId}
          trigger={triggerForm.trigger}
          catalogue={catalogue}
          onSaved={(r) => {
            notifySaved(t, t('automation.triggers.saved', { name: r.name }));
            setTriggerForm(null);
            void refreshTriggers();
          }}
        />
      )}
      <ConfirmModal
        opened={!!deletingTrigger}
        title={t('automation.triggers.deleteTitle', { name: deletingTrigger?.name ?? '' })}
        confirmLabel={t('common.delete')}
        onConfirm={() => deletingTrigger && removeTrigger.mutate(deletingTrigger)}
        onClose={() => setDeletingTrigger(null)}
        loading={removeTrigger.isPending}
      >
        {t('automation.triggers.deleteText')}
      </ConfirmModal>
      <CopyModal robot={copying} pipelines={pipelines} statuses={entity === 'lead' ? columns : undefined} onClose={() => setCopying(null)} onDone={() => void refresh()} />
      <ApplyModal robot={applying} onClose={() => setApplying(null)} />
      <DryRunModal robot={trying} pipelineId={pipelineId} onClose={() => setTrying(null)} />
      <ConfirmModal
        opened={!!deleting}
        title={t('automation.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
        loading={remove.isPending}
      >
        {t('automation.deleteText')}
      </ConfirmModal>
    </>
  );
}

function RobotCard({
  robot: r,
  type,
  first,
  last,
  onEdit,
  onToggle,
  onMove,
  onCopy,
  onApply,
  onDryRun,
  onDelete,
}: {
  robot: Robot;
  type: RobotType | undefined;
  first: boolean;
  last: boolean;
  onEdit: () => void;
  onToggle: () => void;
  onMove: (delta: -1 | 1) => void;
  onCopy: () => void;
  onApply: () => void;
  onDryRun: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const timingText = useTimingText();
  return (
    <Paper component="li" withBorder p="xs" radius="sm" data-testid="robot-card" data-robot-id={r.id} data-enabled={r.enabled} style={{ opacity: r.enabled ? 1 : 0.6, borderColor: r.problems.length ? 'var(--mantine-color-red-6)' : undefined }}>
      <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Anchor component="button" type="button" size="sm" fw={600} onClick={onEdit} style={{ textAlign: 'left' }}>
            {r.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {type?.title ?? r.type}
          </Text>
          <Text size="xs">{timingText(r.timing)}</Text>
          <Group gap={4}>
            {!r.enabled && (
              <Badge size="xs" color="gray" variant="light">
                {t('automation.disabled')}
              </Badge>
            )}
            {r.condition != null && (
              <Badge size="xs" variant="light">
                {t('automation.hasCondition')}
              </Badge>
            )}
            {r.leavePolicy === 'keep' && (
              <Badge size="xs" variant="light" color="grape">
                {t('automation.keeps')}
              </Badge>
            )}
          </Group>
          {r.problems.length > 0 && (
            <Tooltip label={r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')} multiline w={260}>
              <Text size="xs" c="red" fw={600} data-testid="robot-problems">
                ● {t('automation.problems', { count: r.problems.length })}: {r.problems.map((p) => p.message).join('; ')}
              </Text>
            </Tooltip>
          )}
        </Stack>
        <CardMenu label={t('automation.actionsOf', { name: r.name })}>
            <Menu.Item onClick={onEdit}>{t('common.edit')}</Menu.Item>
            <Menu.Item onClick={onToggle}>{r.enabled ? t('automation.disable') : t('automation.enable')}</Menu.Item>
            <Menu.Item onClick={() => onMove(-1)} disabled={first}>
              {t('automation.moveUp')}
            </Menu.Item>
            <Menu.Item onClick={() => onMove(1)} disabled={last}>
              {t('automation.moveDown')}
            </Menu.Item>
            <Menu.Item onClick={onCopy}>{t('automation.copy')}</Menu.Item>
            <Menu.Item onClick={onApply}>{t('automation.apply')}</Menu.Item>
            <Menu.Item onClick={onDryRun}>{t('automation.dryRun')}</Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" onClick={onDelete}>
              {t('common.delete')}
            </Menu.Item>
        </CardMenu>
      </Group>
    </Paper>
  );
}

/** A built-in rule (the lead-less mode's «convert every new lead»): what it does and whether it acts now; it follows the settings, only a dry run is offered. */
function BuiltInRobotCard({ robot: r, type, onDryRun }: { robot: Robot; type: RobotType | undefined; onDryRun: () => void }) {
  const { t } = useTranslation();
  return (
    <Paper component="li" withBorder p="xs" radius="sm" data-testid="robot-card" data-robot-id={r.id} data-built-in={r.builtIn} data-enabled={r.enabled} style={{ borderStyle: 'dashed' }}>
      <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {r.name}
          </Text>
          <Text size="xs" c="dimmed">
            {type?.title ?? r.type}
          </Text>
          <Group gap={4}>
            <Badge size="xs" variant="light">
              {t('automation.builtIn')}
            </Badge>
            {!r.enabled && (
              <Badge size="xs" color="gray" variant="light">
                {t('automation.disabled')}
              </Badge>
            )}
          </Group>
          <Text size="xs" data-testid="built-in-state">
            {t(r.enabled ? 'automation.builtInOn' : 'automation.builtInOff')}{' '}
            <Anchor component={Link} to="/settings/workspace" size="xs" underline="always">
              {t('automation.builtInSettings')}
            </Anchor>
          </Text>
        </Stack>
        <CardMenu label={t('automation.actionsOf', { name: r.name })}>
            <Menu.Item onClick={onDryRun}>{t('automation.dryRun')}</Menu.Item>
        </CardMenu>
      </Group>
    </Paper>
  );
}

function CopyModal({ robot, pipelines, statuses, onClose, onDone }: { robot: Robot | null; pipelines: Pipeline[]; statuses?: Column[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [stageId, setStageId] = useState<string | null>(null);
  const copy = useMutation({
    mutationFn: (r: Robot) =>
      api.post<Robot>('/automation/robots', {
        entityType: r.entityType,
        stageId: Number(stageId),
        type: r.type,
        name: r.name,
        params: r.params,
        ...(r.condition != null ? { condition: r.condition } : {}),
        timing: r.timing,
        leavePolicy: r.leavePolicy,
        enabled: r.enabled,
      }),
    onSuccess: (r) => {
      notifySaved(t, t('automation.copied', { name: r.name }));
      setStageId(null);
      onClose();
      onDone();
    },
    onError: (e) => notifyFailure(t, e),
  });
  const data = statuses
    ? statuses.filter((s) => s.id !== robot?.stageId).map((s) => ({ value: String(s.id), label: s.name }))
    : pipelines.map((p) => ({ group: p.name, items: p.stages.filter((s: Stage) => s.id !== robot?.stageId).map((s: Stage) => ({ value: String(s.id), label: s.name })) }));
  return (
    <ConfirmModal opened={!!robot} title={t('automation.copyTitle', { name: robot?.name ?? '' })} confirmLabel={t('automation.copyConfirm')} onConfirm={() => robot && stageId && copy.mutate(robot)} onClose={onClose} loading={copy.isPending}>
      <Select label={t(statuses ? 'automation.copyToStatus' : 'automation.copyTo')} data={data} value={stageId} onChange={setStageId} comboboxProps={{ withinPortal: true }} />
    </ConfirmModal>
  );
}

function ApplyModal({ robot, onClose }: { robot: Robot | null; onClose: () => void }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: ['automation', 'apply-preview', robot?.id],
    queryFn: () => api.post<RobotApplyResult>(`/automation/robots/${robot!.id}/apply`, { preview: true }),
    enabled: !!robot,
    staleTime: 0,
    gcTime: 0,
  });
  const apply = useMutation({
    mutationFn: () => api.post<RobotApplyResult>(`/automation/robots/${robot!.id}/apply`, { preview: false }),
    onSuccess: (r) => {
      notifySaved(t, t('automation.applied', { count: r.planned }));
      onClose();
    },
    onError: (e) => notifyFailure(t, e),
  });
  const count = preview.data?.records;
  return (
    <ConfirmModal opened={!!robot} title={t('automation.applyTitle', { name: robot?.name ?? '' })} confirmLabel={t('automation.applyConfirm')} onConfirm={() => count && apply.mutate()} onClose={onClose} loading={apply.isPending}>
      {preview.isPending ? (
        <Text size="sm">{t('common.loading')}</Text>
      ) : preview.isError ? (
        <Alert color="red">{errorMessage(t, preview.error)}</Alert>
      ) : (
        <Text data-testid="apply-preview">{count ? t('automation.applyCount', { count }) : t('automation.applyNone')}</Text>
      )}
    </ConfirmModal>
  );
}

function DryRunModal({ robot, pipelineId, onClose }: { robot: Robot | null; pipelineId?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [dealId, setDealId] = useState<string | null>(null);
  const lead = robot?.entityType === 'lead';
  const deals = useQuery({
    queryKey: [lead ? 'leads' : 'deals', 'list', 'dry-run', pipelineId ?? 0],
    queryFn: ({ signal }) =>
      lead
        ? api.get<Page<{ id: number; title: string; statusId: number }>>('/leads', { limit: 100 }, { signal }).then((p) => ({ ...p, items: p.items.map((l) => ({ id: l.id, title: l.title, stageId: l.statusId })) }))
        : api.get<Page<{ id: number; title: string; stageId: number }>>('/deals', { pipelineId, limit: 100 }, { signal }),
    enabled: !!robot,
  });
  const run = useMutation({ mutationFn: () => api.post<RobotDryRun>(`/automation/robots/${robot!.id}/dry-run`, lead ? { leadId: Number(dealId) } : { dealId: Number(dealId) }) });
  const close = () => {
    run.reset();
    setDealId(null);
    onClose();
  };
  const inStage = (deals.data?.items ?? []).sort((a, b) => Number(b.stageId === robot?.stageId) - Number(a.stageId === robot?.stageId));
  return (
    <Modal opened={!!robot} onClose={close} title={t('automation.dryRunTitle', { name: robot?.name ?? '' })} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t(lead ? 'automation.dryRunLeadHint' : 'automation.dryRunHint')}
        </Text>
        <Group align="flex-end">
          <Select label={t(lead ? 'automation.dryRunLead' : 'automation.dryRunDeal')} data={inStage.map((d) => ({ value: String(d.id), label: d.title }))} value={dealId} onChange={setDealId} searchable style={{ flex: 1 }} comboboxProps={{ withinPortal: true }} />
          <Button onClick={() => run.mutate()} disabled={!dealId} loading={run.isPending}>
            {t('automation.dryRunGo')}
          </Button>
        </Group>
        {run.isError && <Alert color="red">{errorMessage(t, run.error)}</Alert>}
        {run.data && (
          <Paper withBorder p="sm" data-testid="dry-run-result">
            <Text fw={600}>{t(`automation.dryStatus.${run.data.status}`)}</Text>
            {run.data.reason && <Text size="sm">{run.data.reason}</Text>}
            {run.data.result && <Text size="sm">{summaryText(t, run.data.result.summary)}</Text>}
            {run.data.result?.details && (
              <Text component="pre" size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                {JSON.stringify(run.data.result.details, null, 2)}
              </Text>
            )}
          </Paper>
        )}
      </Stack>
    </Modal>
  );
}
