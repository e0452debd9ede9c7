import { useEffect, useState } from 'react';
import { Badge, Button, Checkbox, Grid, Group, Modal, NativeSelect, NavLink, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageLoader, QueryError } from '../../components/page';
import { usePipelines } from '../../api/lookups';
import { type Action, ACTIONS, ENTITIES, type Level, LEVELS, notifyFailure, notifySaved, type Role, STALE, useInvalidate, useRoles } from './api';
import { grantsToMatrix, matrixToGrants, pipelineGrants, type Matrix } from './settings-logic';

// Roles and their permission matrix: for each record type and action, which records the role
// reaches (none / own / department / department and below / all); deals may be narrowed per
// pipeline. A user with several roles gets the widest level of any of them.

export default function RolesSettings() {
  const { t } = useTranslation();
  const roles = useRoles();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  if (roles.isPending) return <PageLoader />;
  if (roles.isError) return <QueryError error={roles.error} onRetry={() => void roles.refetch()} />;
  const selected = roles.data.find((r) => r.id === selectedId) ?? roles.data[0];
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <Stack gap={4}>
          <Title order={2} size="h4" mb={4}>
            {t('settings.roles.title')}
          </Title>
          <nav aria-label={t('settings.roles.title')}>
            {roles.data.map((r) => (
              <NavLink
                key={r.id}
                component="button"
                label={r.name}
                description={r.isAdmin ? t('settings.roles.adminRole') : r.builtIn ? t('settings.roles.builtIn') : undefined}
                active={r.id === selected?.id}
                aria-current={r.id === selected?.id ? 'true' : undefined}
                onClick={() => setSelectedId(r.id)}
              />
            ))}
          </nav>
          <Button variant="light" mt="xs" onClick={() => setCreating(true)}>
            {t('settings.roles.create')}
          </Button>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>{selected && <RoleEditor key={`${selected.id}:${selected.version}`} role={selected} onDeleted={() => setSelectedId(null)} />}</Grid.Col>
      <CreateRoleModal opened={creating} onClose={() => setCreating(false)} onCreated={(r) => setSelectedId(r.id)} />
    </Grid>
  );
}

function CreateRoleModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (r: Role) => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<Role>('/roles', { name: name.trim(), permissions: [] }),
    onSuccess: (r) => {
      invalidate('roles');
      setName('');
      onClose();
      onCreated(r);
    },
    onError: (e) => (isApiError(e) && e.fields.length ? setError(e.fields[0]!.message) : notifyFailure(t, e)),
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('settings.roles.create')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setError(t('common.required'));
          create.mutate();
        }}
      >
        <Stack>
          <TextInput label={t('settings.roles.name')} value={name} onChange={(e) => (setName(e.currentTarget.value), setError(null))} error={error} required maxLength={200} data-autofocus />
          <Text size="sm" c="dimmed">
            {t('settings.roles.createHint')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RoleEditor({ role, onDeleted }: { role: Role; onDeleted: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const pipelines = usePipelines({ staleTime: STALE }).data ?? [];
  const [name, setName] = useState(role.name);
  const [isAdmin, setIsAdmin] = useState(role.isAdmin);
  const [matrix, setMatrix] = useState<Matrix>(() => grantsToMatrix(role.permissions));
  const [perPipeline, setPerPipeline] = useState(() => pipelineGrants(role.permissions));
  const [dirty, setDirty] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [addPipeline, setAddPipeline] = useState<string | null>(null);
  useEffect(() => setDirty(false), [role.version]);

  const save = useMutation({
    mutationFn: () => api.patch<Role>(`/roles/${role.id}`, { name: name.trim(), isAdmin, permissions: matrixToGrants(matrix, perPipeline), version: role.version }),
    onSuccess: (r) => {
      invalidate('roles', 'me');
      setDirty(false);
      notifySaved(t, t('settings.roles.saved', { name: r.name }));
    },
    onError: (e) => notifyFailure(t, e),
  });
  const remove = useMutation({
    mutationFn: () => api.delete(`/roles/${role.id}`),
    onSuccess: () => {
      setDeleting(false);
      invalidate('roles', 'users');
      onDeleted();
      notifySaved(t, t('settings.roles.deleted', { name: role.name }));
    },
    onError: (e) => {
      setDeleting(false);
      notifyFailure(t, e);
    },
  });

  const levelOptions = LEVELS.map((l) => ({ value: l, label: t(`settings.roles.levels.${l}`) }));
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
            <Button variant="subtle" color="red" onClick={() => setDeleting(true)}>
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

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="xs">
          {t('settings.roles.matrix')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {isAdmin ? t('settings.roles.adminSeesAll') : t('settings.roles.matrixHint')}
        </Text>
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder withColumnBorders verticalSpacing={4} data-testid="permission-matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('settings.roles.entity')}</Table.Th>
                {ACTIONS.map((a) => (
                  <Table.Th key={a} scope="col">
                    {t(`settings.roles.actions.${a}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ENTITIES.map((e) => (
                <Table.Tr key={e}>
                  <Table.Th scope="row">{t(`settings.roles.entities.${e}`)}</Table.Th>
                  {ACTIONS.map((a) => (
                    <Table.Td key={a}>
                      <NativeSelect
                        size="xs"
                        miw={150}
                        aria-label={t('settings.roles.cellLabel', { entity: t(`settings.roles.entities.${e}`), action: t(`settings.roles.actions.${a}`) })}
                        data={levelOptions}
                        value={matrix[e][a]}
                        onChange={(ev) => setCell(e, a, ev.currentTarget.value as Level)}
                        disabled={isAdmin}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>

        <Title order={3} size="h5" mt="md" mb="xs">
          {t('settings.roles.perPipeline')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('settings.roles.perPipelineHint')}
        </Text>
        {perPipeline.size > 0 && (
          <Table.ScrollContainer minWidth={900}>
            <Table withTableBorder withColumnBorders verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('settings.roles.pipeline')}</Table.Th>
                  {ACTIONS.map((a) => (
                    <Table.Th key={a} scope="col">
                      {t(`settings.roles.actions.${a}`)}
                    </Table.Th>
                  ))}
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...perPipeline.entries()].map(([pid, row]) => (
                  <Table.Tr key={pid}>
                    <Table.Th scope="row">{pipelineName(pid)}</Table.Th>
                    {ACTIONS.map((a) => (
                      <Table.Td key={a}>
                        <NativeSelect
                          size="xs"
                          miw={150}
                          aria-label={t('settings.roles.cellLabel', { entity: pipelineName(pid), action: t(`settings.roles.actions.${a}`) })}
                          data={levelOptions}
                          value={row[a]}
                          onChange={(ev) => setPipelineCell(pid, a, ev.currentTarget.value as Level)}
                          disabled={isAdmin}
                        />
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        aria-label={t('settings.roles.removePipeline', { name: pipelineName(pid) })}
                        onClick={() => {
                          setPerPipeline((p) => {
                            const n = new Map(p);
                            n.delete(pid);
                            return n;
                          });
                          setDirty(true);
                        }}
                      >
                        ×
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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
      <Group justify="flex-end" style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', padding: '8px 0' }}>
        {dirty && (
          <Text size="sm" c="dimmed">
            {t('settings.unsaved')}
          </Text>
        )}
        <Button variant="default" disabled={!dirty} onClick={() => (setMatrix(grantsToMatrix(role.permissions)), setPerPipeline(pipelineGrants(role.permissions)), setName(role.name), setIsAdmin(role.isAdmin), setDirty(false))}>
          {t('settings.discard')}
        </Button>
        <Button onClick={() => (name.trim() ? save.mutate() : setName(role.name))} loading={save.isPending} disabled={!dirty}>
          {t('common.save')}
        </Button>
      </Group>
      <ConfirmModal opened={deleting} title={t('settings.roles.deleteTitle', { name: role.name })} confirmLabel={t('common.delete')} onConfirm={() => remove.mutate()} onClose={() => setDeleting(false)} loading={remove.isPending}>
        <Text>{t('settings.roles.deleteText')}</Text>
      </ConfirmModal>
    </Stack>
  );
}
