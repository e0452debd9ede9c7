import { useEffect, useMemo, useState } from 'react';
import { Button, Group, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { type Department, useDepartments } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE, useAllUsers, useInvalidate } from './api';
import { departmentTree, descendantsOf } from './settings-logic';

// Departments as a tree: each has a parent (or none) and a head; a head of sales with the
// "department and below" level sees the deals of the whole branch.

export default function DepartmentsSettings() {
  const { t } = useTranslation();
  const departments = useDepartments({ staleTime: STALE });
  const users = useAllUsers();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  const remove = useMutation({
    mutationFn: (d: Department) => api.delete(`/departments/${d.id}`),
    onSuccess: (_r, d) => {
      setDeleting(null);
      invalidate('departments', 'users');
      notifySaved(t, t('settings.departments.deleted', { name: d.name }));
    },
    onError: (e) => {
      setDeleting(null);
      notifyFailure(t, e, { conflict: t('settings.departments.notEmpty') });
    },
  });
  const userName = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u.name])), [users.data]);
  const members = useMemo(() => {
    const m = new Map<number, number>();
    for (const u of users.data ?? []) if (u.active && u.departmentId) m.set(u.departmentId, (m.get(u.departmentId) ?? 0) + 1);
    return m;
  }, [users.data]);

  if (departments.isPending) return <PageLoader />;
  if (departments.isError) return <QueryError error={departments.error} onRetry={() => void departments.refetch()} />;
  const tree = departmentTree(departments.data);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('settings.departments.title')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('settings.departments.create')}</Button>
      </Group>
      {!tree.length ? (
        <Empty title={t('settings.departments.empty')} description={t('settings.departments.emptyHint')} />
      ) : (
        <Paper withBorder radius="md" p="xs">
          <Stack gap={0} component="ul" role="tree" aria-label={t('settings.departments.title')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {tree.map(({ item: d, depth }) => (
              <Group
                key={d.id}
                component="li"
                role="treeitem"
                aria-level={depth + 1}
                aria-label={d.name}
                justify="space-between"
                wrap="nowrap"
                py={6}
                pl={8 + depth * 24}
                pr={4}
                data-testid="department-row"
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              >
                <div style={{ minWidth: 0 }}>
                  <Text fw={500} size="sm">
                    {depth > 0 && (
                      <Text span c="dimmed" aria-hidden>
                        └{' '}
                      </Text>
                    )}
                    {d.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('settings.departments.headIs', { name: d.headId ? (userName.get(d.headId) ?? `#${d.headId}`) : t('settings.departments.noHead') })} ·{' '}
                    {t('settings.departments.people', { count: members.get(d.id) ?? 0 })}
                  </Text>
                </div>
                <Group gap={2} wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(d)} aria-label={t('settings.editOf', { name: d.name })}>
                    {t('common.edit')}
                  </Button>
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(d)} aria-label={t('settings.deleteOf', { name: d.name })}>
                    {t('common.delete')}
                  </Button>
                </Group>
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <DepartmentModal department={editing} all={departments.data} onClose={() => setEditing(null)} onSaved={() => invalidate('departments')} />
      <ConfirmModal
        opened={!!deleting}
        title={t('settings.departments.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('common.delete')}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
        loading={remove.isPending}
      >
        <Text>{t('settings.departments.deleteText')}</Text>
      </ConfirmModal>
    </Stack>
  );
}

function DepartmentModal({ department, all, onClose, onSaved }: { department: Department | 'new' | null; all: Department[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const users = useAllUsers().data ?? [];
  const existing = department && department !== 'new' ? department : null;
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<string | null>(null);
  const [headId, setHeadId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!department) return;
    setErrors({});
    setName(existing?.name ?? '');
    setParentId(existing?.parentId ? String(existing.parentId) : null);
    setHeadId(existing?.headId ? String(existing.headId) : null);
  }, [department]); // eslint-disable-line react-hooks/exhaustive-deps
  const blocked = existing ? descendantsOf(all, existing.id) : new Set<number>();
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), parentId: parentId ? Number(parentId) : null, headId: headId ? Number(headId) : null };
      return existing ? api.patch<Department>(`/departments/${existing.id}`, { ...body, version: existing.version }) : api.post<Department>('/departments', body);
    },
    onSuccess: (d) => {
      onSaved();
      onClose();
      notifySaved(t, t('settings.departments.saved', { name: d.name }));
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setErrors(e.fieldErrors());
      if (!isApiError(e) || e.code !== 'validation_failed') notifyFailure(t, e);
    },
  });
  return (
    <Modal opened={!!department} onClose={onClose} title={existing ? t('settings.departments.editTitle', { name: existing.name }) : t('settings.departments.create')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setErrors({ name: t('common.required') });
          save.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('settings.departments.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} required maxLength={200} data-autofocus />
          <Select
            label={t('settings.departments.parent')}
            placeholder={t('settings.departments.noParent')}
            data={departmentTree(all)
              .filter((n) => !blocked.has(n.item.id))
              .map((n) => ({ value: String(n.item.id), label: `${'— '.repeat(n.depth)}${n.item.name}` }))}
            value={parentId}
            onChange={setParentId}
            clearable
            searchable
            error={errors.parentId}
          />
          <Select
            label={t('settings.departments.head')}
            placeholder={t('settings.departments.noHead')}
            data={users.filter((u) => u.active).map((u) => ({ value: String(u.id), label: u.name }))}
            value={headId}
            onChange={setHeadId}
            clearable
            searchable
            error={errors.headId}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {existing ? t('common.save') : t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
