import { useEffect, useMemo, useState } from 'react';
import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { Empty, PageLoader, QueryError } from '../../components/page';
import { type Department, useDepartments } from '../../api/lookups';
import { type FieldErrors, STALE, useAllUsers, useFormSave, useInvalidate } from './api';
import { ConfirmActionModal, useConfirmedAction } from './parts/confirm';
import { SectionHeader } from './parts/layout';
import { EditDeleteButtons, RowActions } from './parts/table';
import { departmentOptions, departmentTree, descendantsOf, type Editing, existingOf } from './settings-logic';

// Departments as a tree: each has a parent (or none) and a head; a head of sales with the
// "department and below" level sees the deals of the whole branch.

export default function DepartmentsSettings() {
  const { t } = useTranslation();
  const departments = useDepartments({ staleTime: STALE });
  const users = useAllUsers();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<Editing<Department>>(null);
  const remove = useConfirmedAction({
    action: (d: Department) => api.delete(`/departments/${d.id}`),
    done: (d) => t('settings.departments.deleted', { name: d.name }),
    onDone: () => invalidate('departments', 'users'),
    known: { conflict: t('settings.departments.notEmpty') },
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
      <SectionHeader title={t('settings.departments.title')} action={<Button onClick={() => setEditing('new')}>{t('settings.departments.create')}</Button>} />
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
                <RowActions>
                  <EditDeleteButtons name={d.name} onEdit={() => setEditing(d)} onDelete={() => remove.ask(d)} />
                </RowActions>
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <DepartmentModal department={editing} all={departments.data} onClose={() => setEditing(null)} onSaved={() => invalidate('departments')} />
      <ConfirmActionModal flow={remove} title={(d) => t('settings.departments.deleteTitle', { name: d.name })}>
        {t('settings.departments.deleteText')}
      </ConfirmActionModal>
    </Stack>
  );
}

function DepartmentModal({ department, all, onClose, onSaved }: { department: Editing<Department>; all: Department[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const users = useAllUsers().data ?? [];
  const existing = existingOf(department);
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<string | null>(null);
  const [headId, setHeadId] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (!department) return;
    setErrors({});
    setName(existing?.name ?? '');
    setParentId(existing?.parentId ? String(existing.parentId) : null);
    setHeadId(existing?.headId ? String(existing.headId) : null);
    // the form is filled when the dialog opens for a department, not
    // again while it is being edited (`existing` is derived from `department`).
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [department]);
  const blocked = existing ? descendantsOf(all, existing.id) : new Set<number>();
  const save = useFormSave({
    save: () => {
      const body = { name: name.trim(), parentId: parentId ? Number(parentId) : null, headId: headId ? Number(headId) : null };
      return existing ? api.patch<Department>(`/departments/${existing.id}`, { ...body, version: existing.version }) : api.post<Department>('/departments', body);
    },
    setErrors,
    onSuccess: () => (onSaved(), onClose()),
    done: (d) => t('settings.departments.saved', { name: d.name }),
  });
  return (
    <FormModal
      opened={!!department}
      onClose={onClose}
      title={existing ? t('settings.departments.editTitle', { name: existing.name }) : t('settings.departments.create')}
      submitLabel={existing ? t('common.save') : t('common.create')}
      loading={save.isPending}
      onSubmit={() => (name.trim() ? save.mutate() : setErrors({ name: t('common.required') }))}
    >
      <TextInput label={t('settings.departments.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} required maxLength={200} data-autofocus />
      <Select
        label={t('settings.departments.parent')}
        placeholder={t('settings.departments.noParent')}
        data={departmentOptions(all.filter((d) => !blocked.has(d.id)))}
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
    </FormModal>
  );
}
