import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, ColorInput, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import type { Page } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { type Pipeline, type Stage, type StageSemantic, usePipelines } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE } from './api';
import { ConfirmActionModal, useConfirmedAction } from './parts/confirm';
import { InlineAddForm, InlineNameInput } from './parts/inline';
import { CreateByNameModal, RecordPicker } from './parts/records';
import { basicStages, moveItem, stageOrderProblem } from './settings-logic';

// Pipelines and their stages: add, rename, recolour, change the semantic, reorder by drag (mouse,
// touch or keyboard: Space to lift, arrows to move, Space to drop), delete — a stage holding deals
// asks where its deals go.

const SEMANTICS: StageSemantic[] = ['in_progress', 'success', 'failure'];
const SWATCHES = ['#39a8ef', '#2fc6f6', '#55d0e0', '#47e4c2', '#7bd500', '#ffa900', '#ff8b3d', '#ff5752', '#e24ba8', '#9f6eea', '#868e96'];

export default function PipelinesSettings() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const pipelines = usePipelines({ staleTime: STALE });
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const selectedId = Number(params.get('pipeline')) || pipelines.data?.find((p) => p.isDefault)?.id || pipelines.data?.[0]?.id;
  const selected = pipelines.data?.find((p) => p.id === selectedId);
  const select = (id: number) => {
    const next = new URLSearchParams(params);
    next.set('pipeline', String(id));
    setParams(next, { replace: true });
  };

  if (pipelines.isPending) return <PageLoader />;
  if (pipelines.isError) return <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />;

  return (
    <RecordPicker
      title={t('settings.pipelines.title')}
      items={pipelines.data.map((p) => ({
        id: p.id,
        label: p.name,
        description: t('settings.pipelines.stageCount', { count: p.stages.length }),
        badge: p.isDefault ? (
          <Badge size="xs" variant="light">
            {t('settings.pipelines.default')}
          </Badge>
        ) : null,
      }))}
      selectedId={selectedId}
      onSelect={select}
      createLabel={t('settings.pipelines.create')}
      onCreate={() => setCreating(true)}
    >
      {selected ? <PipelineEditor key={selected.id} pipeline={selected} onDeleted={() => setParams({}, { replace: true })} /> : <Empty title={t('settings.pipelines.none')} />}
      <CreateByNameModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('settings.pipelines.create')}
        label={t('settings.pipelines.name')}
        hint={t('settings.pipelines.createHint')}
        maxLength={100}
        create={(name) => api.post<Pipeline>('/pipelines', { name, stages: basicStages(t) })}
        onCreated={(p) => {
          void qc.invalidateQueries({ queryKey: ['pipelines'] });
          select(p.id);
          notifySaved(t, t('settings.pipelines.created', { name: p.name }));
        }}
      />
    </RecordPicker>
  );
}

/** Keeps the pipelines cache in step with a written stage (the next edit needs its version). */
function useStageCache() {
  const qc = useQueryClient();
  return {
    put: (s: Stage) =>
      qc.setQueryData<Page<Pipeline>>(['pipelines', 'list'], (old) =>
        old ? { ...old, items: old.items.map((p) => (p.id === s.pipelineId ? { ...p, stages: p.stages.map((x) => (x.id === s.id ? s : x)) } : p)) } : old,
      ),
    refresh: () => qc.invalidateQueries({ queryKey: ['pipelines'] }),
  };
}

function PipelineEditor({ pipeline, onDeleted }: { pipeline: Pipeline; onDeleted: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cache = useStageCache();
  const [order, setOrder] = useState<number[] | null>(null);
  const [deleting, setDeleting] = useState<Stage | null>(null);

  const stages = order ? order.map((id) => pipeline.stages.find((s) => s.id === id)).filter((s): s is Stage => !!s) : pipeline.stages;

  const patchPipeline = useMutation({
    mutationFn: (body: { name?: string; isDefault?: boolean }) => api.patch<Pipeline>(`/pipelines/${pipeline.id}`, { ...body, version: pipeline.version }),
    onSuccess: () => {
      void cache.refresh();
      notifySaved(t);
    },
    onError: (e) => {
      notifyFailure(t, e);
      void cache.refresh();
    },
  });
  const removePipeline = useConfirmedAction({
    action: (p: Pipeline) => api.delete(`/pipelines/${p.id}`),
    done: (p) => t('settings.pipelines.deleted', { name: p.name }),
    onDone: () => {
      onDeleted();
      void qc.invalidateQueries({ queryKey: ['pipelines'] });
    },
    known: { conflict: t('settings.pipelines.hasDeals') },
  });
  const reorder = useMutation({
    mutationFn: (stageIds: number[]) => api.post<Pipeline>(`/pipelines/${pipeline.id}/stages/reorder`, { stageIds }),
    onSuccess: async (p) => {
      qc.setQueryData<Page<Pipeline>>(['pipelines', 'list'], (old) => (old ? { ...old, items: old.items.map((x) => (x.id === p.id ? p : x)) } : old));
      setOrder(null);
      await cache.refresh();
    },
    onError: (e) => {
      setOrder(null); // roll back
      notifyFailure(t, e);
    },
  });

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const nameOf = (id: unknown) => pipeline.stages.find((s) => s.id === id)?.name ?? '';
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const ids = stages.map((s) => s.id);
    const next = moveItem(ids, ids.indexOf(active.id as number), ids.indexOf(over.id as number));
    const problem = stageOrderProblem(next.map((id) => pipeline.stages.find((s) => s.id === id)!.semantic as StageSemantic));
    if (problem) {
      notifications.show({ color: 'red', title: t('settings.ruleViolation'), message: t(problem) });
      return;
    }
    setOrder(next);
    reorder.mutate(next);
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" wrap="wrap">
          <InlineNameInput label={t('settings.pipelines.name')} value={pipeline.name} onSave={(name) => patchPipeline.mutateAsync({ name })} maxLength={100} style={{ flex: 1, minWidth: 220 }} />
          {pipeline.isDefault ? (
            <Badge variant="light" size="lg">
              {t('settings.pipelines.isDefault')}
            </Badge>
          ) : (
            <Button variant="default" onClick={() => patchPipeline.mutate({ isDefault: true })} loading={patchPipeline.isPending}>
              {t('settings.pipelines.makeDefault')}
            </Button>
          )}
          <Button component={Link} to={`/automation/robots?pipelineId=${pipeline.id}`} variant="light" data-testid="pipeline-robots">
            {t('settings.pipelines.robots')}
          </Button>
          <Button variant="subtle" color="red" onClick={() => removePipeline.ask(pipeline)} disabled={pipeline.isDefault} title={pipeline.isDefault ? t('settings.pipelines.defaultCannotDelete') : undefined}>
            {t('settings.pipelines.delete')}
          </Button>
        </Group>
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb={4}>
          {t('settings.stages.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.stages.hint')}
        </Text>
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            screenReaderInstructions: { draggable: t('settings.stages.dragInstructions') },
            announcements: {
              onDragStart: ({ active }) => t('settings.stages.dragStart', { name: nameOf(active.id) }),
              onDragOver: ({ active, over }) => (over ? t('settings.stages.dragOver', { name: nameOf(active.id), over: nameOf(over.id) }) : undefined),
              onDragEnd: ({ active, over }) => (over ? t('settings.stages.dragEnd', { name: nameOf(active.id), over: nameOf(over.id) }) : undefined),
              onDragCancel: ({ active }) => t('settings.stages.dragCancel', { name: nameOf(active.id) }),
            },
          }}
        >
          <SortableContext items={stages.map((s) => s.id)} strategy={verticalListSortingStrategy}>
            <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="stage-list">
              {stages.map((s) => (
                <StageRow key={s.id} stage={s} onDelete={() => setDeleting(s)} onSaved={cache.put} onFailed={() => void cache.refresh()} />
              ))}
            </Stack>
          </SortableContext>
        </DndContext>
        <AddStage pipeline={pipeline} />
      </Paper>

      <DeleteStageModal pipeline={pipeline} stage={deleting} onClose={() => setDeleting(null)} />
      <ConfirmActionModal flow={removePipeline} title={(p) => t('settings.pipelines.deleteTitle', { name: p.name })} confirmLabel={t('settings.pipelines.delete')}>
        {t('settings.pipelines.deleteText')}
      </ConfirmActionModal>
    </Stack>
  );
}

function StageRow({ stage, onDelete, onSaved, onFailed }: { stage: Stage; onDelete: () => void; onSaved: (s: Stage) => void; onFailed: () => void }) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: stage.id, attributes: { roleDescription: t('settings.stages.roleDescription') } });
  const [color, setColor] = useState(stage.color);
  // What is in the field as typed: ColorInput reports every valid prefix while typing («#9f6» of
  // «#9f6eea») as a finished colour, so only a picked colour or a complete one is saved before the
  // blur. `sent` is the colour last sent: leaving the field right after a pick must not send it again
  // with the old version (a conflict). The blur is ours (not fixOnBlur, which could put back a prefix).
  const typed = useRef(stage.color);
  const sent = useRef(stage.color);
  const reset = (c: string) => {
    setColor(c);
    typed.current = c;
    sent.current = c;
  };
  useEffect(() => {
    setColor(stage.color);
    typed.current = stage.color;
    sent.current = stage.color;
  }, [stage.color]);

  const patch = useMutation({
    mutationFn: (body: Partial<Pick<Stage, 'name' | 'color' | 'semantic' | 'requiresLossReason'>>) =>
      api.patch<Stage>(`/pipelines/${stage.pipelineId}/stages/${stage.id}`, { ...body, version: stage.version }),
    onSuccess: (s) => onSaved(s),
    onError: (e) => {
      reset(stage.color);
      notifyFailure(t, e);
      onFailed();
    },
  });
  const isHex = (c: string) => /^#[0-9a-fA-F]{6}$/.test(c);
  const saveColor = (c: string) => {
    if (!isHex(c) || c.toLowerCase() === sent.current.toLowerCase()) return;
    sent.current = c.toLowerCase();
    patch.mutate({ color: c.toLowerCase() });
  };

  return (
    <li
      ref={setNodeRef}
      data-testid="stage-row"
      data-stage-id={stage.id}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, position: 'relative', zIndex: isDragging ? 2 : undefined }}
    >
      <Paper withBorder p={6} radius="sm" style={{ borderLeft: `6px solid ${stage.color}` }}>
        <Group gap="xs" wrap="wrap">
          <ActionIcon
            ref={setActivatorNodeRef}
            variant="subtle"
            color="gray"
            aria-label={t('settings.stages.drag', { name: stage.name })}
            data-testid="stage-drag"
            style={{ cursor: 'grab', touchAction: 'none' }}
            {...attributes}
            {...listeners}
          >
            <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
              <circle cx="9" cy="6" r="1.6" />
              <circle cx="15" cy="6" r="1.6" />
              <circle cx="9" cy="12" r="1.6" />
              <circle cx="15" cy="12" r="1.6" />
              <circle cx="9" cy="18" r="1.6" />
              <circle cx="15" cy="18" r="1.6" />
            </svg>
          </ActionIcon>
          <InlineNameInput
            aria-label={t('settings.stages.nameOf', { name: stage.name })}
            value={stage.name}
            onSave={(name) => patch.mutateAsync({ name })}
            maxLength={100}
            style={{ flex: 1, minWidth: 160 }}
          />
          <ColorInput
            aria-label={t('settings.stages.colorOf', { name: stage.name })}
            value={color}
            onChange={(c) => ((typed.current = c), setColor(c))}
            onChangeEnd={(c) => c.toLowerCase() === typed.current.toLowerCase() && saveColor(c)}
            onBlur={() => (isHex(typed.current) ? saveColor(typed.current) : reset(sent.current))}
            fixOnBlur={false}
            eyeDropperButtonProps={{ 'aria-label': t('settings.stages.eyeDropper') }}
            swatches={SWATCHES}
            swatchesPerRow={6}
            format="hex"
            w={150}
          />
          <Select
            aria-label={t('settings.stages.semanticOf', { name: stage.name })}
            data={SEMANTICS.map((s) => ({ value: s, label: t(`settings.stages.semantic.${s}`) }))}
            value={stage.semantic}
            allowDeselect={false}
            onChange={(v) => v && v !== stage.semantic && patch.mutate({ semantic: v as StageSemantic })}
            w={150}
          />
          {stage.semantic === 'failure' && (
            <Checkbox
              label={t('settings.stages.requiresLossReason')}
              checked={stage.requiresLossReason}
              onChange={(e) => patch.mutate({ requiresLossReason: e.currentTarget.checked })}
            />
          )}
          <ActionIcon variant="subtle" color="red" aria-label={t('settings.stages.deleteOf', { name: stage.name })} onClick={onDelete}>
            <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
              <path d="M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13" />
            </svg>
          </ActionIcon>
        </Group>
      </Paper>
    </li>
  );
}

function AddStage({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [color, setColor] = useState(SWATCHES[5]!);
  const [semantic, setSemantic] = useState<StageSemantic>('in_progress');
  return (
    <InlineAddForm
      label={t('settings.stages.newName')}
      buttonLabel={t('settings.stages.add')}
      maxLength={100}
      add={(name) => api.post<Stage>(`/pipelines/${pipeline.id}/stages`, { name, color, semantic })}
      onAdded={(s) => {
        void qc.invalidateQueries({ queryKey: ['pipelines'] });
        notifySaved(t, t('settings.stages.added', { name: s.name }));
      }}
    >
      <ColorInput label={t('settings.stages.color')} value={color} onChange={setColor} eyeDropperButtonProps={{ 'aria-label': t('settings.stages.eyeDropper') }} swatches={SWATCHES} swatchesPerRow={6} format="hex" w={150} />
      <Select
        label={t('settings.stages.semanticLabel')}
        data={SEMANTICS.map((s) => ({ value: s, label: t(`settings.stages.semantic.${s}`) }))}
        value={semantic}
        allowDeselect={false}
        onChange={(v) => v && setSemantic(v as StageSemantic)}
        w={150}
      />
    </InlineAddForm>
  );
}

/** Deleting a stage: if it holds deals, they must go to another stage of the pipeline. */
function DeleteStageModal({ pipeline, stage, onClose }: { pipeline: Pipeline; stage: Stage | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [target, setTarget] = useState<string | null>(null);
  const [needsTarget, setNeedsTarget] = useState(false);
  useEffect(() => {
    setTarget(null);
    setNeedsTarget(false);
  }, [stage?.id]);
  const count = useQuery({
    queryKey: ['deals', 'stageCount', stage?.id],
    queryFn: ({ signal }) => api.get<Page<unknown>>('/deals', { stageId: stage!.id, limit: 1, withTotal: true }, { signal }),
    enabled: !!stage,
    select: (p) => p.total ?? 0,
    staleTime: 0,
  });
  const holds = (count.data ?? 0) > 0 || needsTarget;
  const remove = useMutation({
    mutationFn: () => api.delete(`/pipelines/${pipeline.id}/stages/${stage!.id}`, target ? { query: { moveTo: target } } : undefined),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['pipelines'] });
      void qc.invalidateQueries({ queryKey: ['deals'] });
      notifySaved(t, t('settings.stages.deleted', { name: stage?.name ?? '' }));
      onClose();
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 409 && e.fields.some((f) => f.path === 'moveToStageId')) {
        setNeedsTarget(true);
        void count.refetch();
        return;
      }
      notifyFailure(t, e);
    },
  });
  const targets = pipeline.stages.filter((s) => s.id !== stage?.id).map((s) => ({ value: String(s.id), label: s.name }));
  return (
    <ConfirmModal
      opened={!!stage}
      title={t('settings.stages.deleteTitle', { name: stage?.name ?? '' })}
      confirmLabel={t('settings.stages.deleteConfirm')}
      onConfirm={() => {
        if (holds && !target) return setNeedsTarget(true);
        remove.mutate();
      }}
      onClose={onClose}
      loading={remove.isPending}
    >
      {count.isPending ? (
        <Text size="sm" c="dimmed">
          {t('common.loading')}
        </Text>
      ) : holds ? (
        <Stack gap="xs">
          <Text>{count.data ? t('settings.stages.holdsDeals', { count: count.data }) : t('settings.stages.holdsSomeDeals')}</Text>
          <Select
            label={t('settings.stages.moveTo')}
            data={targets}
            value={target}
            onChange={setTarget}
            required
            error={needsTarget && !target ? t('settings.stages.moveToRequired') : undefined}
            comboboxProps={{ withinPortal: true }}
          />
        </Stack>
      ) : (
        <Text>{t('settings.stages.deleteEmpty')}</Text>
      )}
    </ConfirmModal>
  );
}
