import { useEffect, useState } from 'react';
import { Badge, Button, Checkbox, Group, NativeSelect, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PageLoader, QueryError } from '../../components/page';
import { usePipelines } from '../../api/lookups';
import { type Action, ACTIONS, CAPABILITIES, type Capability, ENTITIES, type Level, LEVELS, notifyFailure, notifySaved, type Role, STALE, useInvalidate, useRoles } from './api';
import { ConfirmActionModal, useConfirmedAction } from './parts/confirm';
import { SaveBar } from './parts/layout';
import { CreateByNameModal, RecordPicker } from './parts/records';
import { KEYBOARD_SCROLL } from './parts/table';
import { grantsToMatrix, matrixToGrants, pipelineGrants, type Matrix } from './settings-logic';

// Roles and their permission matrix: for each record type and action, which records the role
// reaches (none / own / department / department and below / all); deals may be narrowed per
// pipeline. A user with several roles gets the widest level of any of them.

export default function RolesSettings() {
  const { t } = useTranslation();
  const roles = useRoles();
  const invalidate = useInvalidate();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  if (roles.isPending) return <PageLoader />;
  if (roles.isError) return <QueryError error={roles.error} onRetry={() => void roles.refetch()} />;
  const selected = roles.data.find((r) => r.id === selectedId) ?? roles.data[0];
  return (
    <RecordPicker
      narrowList
      title={t('settings.roles.title')}
      items={roles.data.map((r) => ({ id: r.id, label: r.name, description: r.isAdmin ? t('settings.roles.adminRole') : r.builtIn ? t('settings.roles.builtIn') : undefined }))}
      selectedId={selected?.id}
      onSelect={setSelectedId}
      createLabel={t('settings.roles.create')}
      onCreate={() => setCreating(true)}
    >
      {selected && <RoleEditor key={`${selected.id}:${selected.version}`} role={selected} onDeleted={() => setSelectedId(null)} />}
      <CreateByNameModal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('settings.roles.create')}
        label={t('settings.roles.name')}
        hint={t('settings.roles.createHint')}
        maxLength={200}
        create={(name) => api.post<Role>('/roles', { name, permissions: [] })}
        onCreated={(r) => {
          invalidate('roles');
          setSelectedId(r.id);
          notifySaved(t, t('settings.roles.created', { name: r.name }));
        }}
      />
    </RecordPicker>
  );
}

function RoleEditor({ role, onDeleted }: { role: Role; onDeleted: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const pipelines = usePipelines({ staleTime: STALE }).data ?? [];
  const [name, setName] = useState(role.name);
  const [isAdmin, setIsAdmin] = useState(role.isAdmin);
  const [capabilities, setCapabilities] = useState<Capability[]>(role.capabilities);
  const [matrix, setMatrix] = useState<Matrix>(() => grantsToMatrix(role.permissions));
  const [perPipeline, setPerPipeline] = useState(() => pipelineGrants(role.permissions));
  const [dirty, setDirty] = useState(false);
  const [addPipeline, setAddPipeline] = useState<string | null>(null);
  useEffect(() => setDirty(false), [role.version]);

  const save = useMutation({
    mutationFn: () => api.patch<Role>(`/roles/${role.id}`, { name: name.trim(), isAdmin, capabilities, permissions: matrixToGrants(matrix, perPipeline), version: role.version }),
    onSuccess: (r) => {
      invalidate('roles', 'me');
      setDirty(false);
      notifySaved(t, t('settings.roles.saved', { name: r.name }));
    },
    onError: (e) => notifyFailure(t, e),
  });
  const remove = useConfirmedAction({
    action: (r: Role) => api.delete(`/roles/${r.id}`),
    done: (r) => t('settings.roles.deleted', { name: r.name }),
    onDone: () => {
      invalidate('roles', 'users');
      onDeleted();
    },
  });

  const setCell = (entity: keyof Matrix, action: Action, level: Level) => {
    setMatrix((m) => ({ ...m, [entity]: { ...m[entity], [action]: level } }));
    setDirty(true);
  };
  const setPipelineCell = (pipelineId: number, action: Action, level: Level) => {
    setPerPipeline((p) => new Map(p).set(pipelineId, { ...p.get(pipelineId)!, [action]: level }));
    setDirty(true);
  };
  const pipelineName = (id: number) => pipelines.find((p) => p.id === id)?.name ?? `#${id}`;
  const free = pipelines.filter((p) => !perPipeline.has(p.id));

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" wrap="wrap">
          <TextInput label={t('settings.roles.name')} value={name} onChange={(e) => (setName(e.currentTarget.value), setDirty(true))} maxLength={200} style={{ flex: 1, minWidth: 220 }} />
          {role.builtIn && (
            <Badge variant="light" size="lg" tt="none">
              {t('settings.roles.builtIn')}
            </Badge>
          )}
          {!role.builtIn && (
            <Button variant="subtle" color="red" onClick={() => remove.ask(role)}>
              {t('settings.roles.delete')}
            </Button>
          )}
        </Group>
        <Checkbox
          mt="sm"
          label={t('settings.roles.isAdmin')}
          description={t('settings.roles.isAdminHint')}
          checked={isAdmin}
          onChange={(e) => (setIsAdmin(e.currentTarget.checked), setDirty(true))}
        />
      </Paper>

      <Paper withBorder p="md" radius="md" data-testid="role-capabilities">
        <Title order={3} size="h5" mb="xs">
          {t('settings.roles.capabilitiesTitle')}
        </Title>
        <Stack gap="xs">
          {CAPABILITIES.map((c) => (
            <Checkbox
              key={c}
              label={t(`settings.roles.capabilities.${c}.label`)}
              description={isAdmin ? t('settings.roles.capabilityAdmin') : t(`settings.roles.capabilities.${c}.hint`)}
              checked={isAdmin || capabilities.includes(c)}
              disabled={isAdmin}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setCapabilities((list) => (on ? [...list.filter((x) => x !== c), c] : list.filter((x) => x !== c)));
                setDirty(true);
              }}
            />
          ))}
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="xs">
          {t('settings.roles.matrix')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {isAdmin ? t('settings.roles.adminSeesAll') : t('settings.roles.matrixHint')}
        </Text>
        <LevelTable
          testId="permission-matrix"
          firstHeader={t('settings.roles.entity')}
          rows={ENTITIES.map((e) => ({ key: e, name: t(`settings.roles.entities.${e}`), levels: matrix[e], onChange: (a, level) => setCell(e, a, level) }))}
          disabled={isAdmin}
        />

        <Title order={3} size="h5" mt="md" mb="xs">
          {t('settings.roles.perPipeline')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.roles.perPipelineHint')}
        </Text>
        {perPipeline.size > 0 && (
          <LevelTable
            firstHeader={t('settings.roles.pipeline')}
            rows={[...perPipeline.entries()].map(([pid, row]) => ({
              key: String(pid),
              name: pipelineName(pid),
              levels: row,
              onChange: (a, level) => setPipelineCell(pid, a, level),
              remove: () => {
                setPerPipeline((p) => {
                  const n = new Map(p);
                  n.delete(pid);
                  return n;
                });
                setDirty(true);
              },
            }))}
            disabled={isAdmin}
          />
        )}
        {free.length > 0 && (
          <Group mt="sm" align="flex-end">
            <Select label={t('settings.roles.addPipeline')} data={free.map((p) => ({ value: String(p.id), label: p.name }))} value={addPipeline} onChange={setAddPipeline} w={260} disabled={isAdmin} />
            <Button
              variant="light"
              disabled={!addPipeline || isAdmin}
              onClick={() => {
                if (!addPipeline) return;
                setPerPipeline((p) => new Map(p).set(Number(addPipeline), { ...matrix.deal }));
                setAddPipeline(null);
                setDirty(true);
              }}
            >
              {t('settings.roles.addPipelineButton')}
            </Button>
          </Group>
        )}
      </Paper>
      <SaveBar
        sticky
        dirty={dirty}
        saving={save.isPending}
        onDiscard={() => (setMatrix(grantsToMatrix(role.permissions)), setPerPipeline(pipelineGrants(role.permissions)), setName(role.name), setIsAdmin(role.isAdmin), setCapabilities(role.capabilities), setDirty(false))}
        onSave={() => (name.trim() ? save.mutate() : setName(role.name))}
      />
      <ConfirmActionModal flow={remove} title={(r) => t('settings.roles.deleteTitle', { name: r.name })}>
        {t('settings.roles.deleteText')}
      </ConfirmActionModal>
    </Stack>
  );
}

interface LevelRow {
  key: string;
  /** the row's header: a record type or a pipeline */
  name: string;
  levels: Record<Action, Level>;
  onChange: (action: Action, level: Level) => void;
  /** rows that can go (per-pipeline ones) get a remove button */
  remove?: () => void;
}

/** Levels by action, a row per record type (or pipeline): a select in each cell, named «row — action». */
function LevelTable({ firstHeader, rows, disabled, testId }: { firstHeader: string; rows: LevelRow[]; disabled: boolean; testId?: string }) {
  const { t } = useTranslation();
  const levelOptions = LEVELS.map((l) => ({ value: l, label: t(`settings.roles.levels.${l}`) }));
  const removable = rows.some((r) => r.remove);
  return (
    // fits the editor's width from 1366 px on (the list beside it is narrow there); scrolls below
    <Table.ScrollContainer minWidth={860} scrollAreaProps={KEYBOARD_SCROLL}>
      <Table withTableBorder withColumnBorders verticalSpacing={4} horizontalSpacing={6} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{firstHeader}</Table.Th>
            {ACTIONS.map((a) => (
              <Table.Th key={a} scope="col">
                {t(`settings.roles.actions.${a}`)}
              </Table.Th>
            ))}
            {removable && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row">{row.name}</Table.Th>
              {ACTIONS.map((a) => (
                <Table.Td key={a}>
                  <NativeSelect
                    size="xs"
                    miw={148}
                    aria-label={t('settings.roles.cellLabel', { entity: row.name, action: t(`settings.roles.actions.${a}`) })}
                    data={levelOptions}
                    value={row.levels[a]}
                    onChange={(ev) => row.onChange(a, ev.currentTarget.value as Level)}
                    disabled={disabled}
                  />
                </Table.Td>
              ))}
              {removable && (
                <Table.Td>
                  {row.remove && (
                    <Button size="compact-xs" variant="subtle" color="red" aria-label={t('settings.roles.removePipeline', { name: row.name })} onClick={row.remove}>
                      ×
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
