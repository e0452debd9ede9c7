import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Group, Modal, MultiSelect, Paper, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import type { User } from '../../api/types';
import { useCurrentUser } from '../../auth/session';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageLoader, QueryError } from '../../components/page';
import { useDepartments } from '../../api/lookups';
import { notifyFailure, notifySaved, STALE, useAllUsers, useInvalidate, useRoles } from './api';
import { departmentTree } from './settings-logic';

// Users: the list (search, inactive ones on request), create with roles and a department, edit,
// reset the password, deactivate (with confirmation; a deactivated user cannot log in and is not
// offered as responsible, their records stay) and bring back.

const PASSWORD_MIN = 8;

export default function UsersSettings() {
  const { t } = useTranslation();
  const me = useCurrentUser().user;
  const users = useAllUsers();
  const departments = useDepartments({ staleTime: STALE });
  const roles = useRoles();
  const invalidate = useInvalidate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim().toLowerCase(), 150);
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);

  const setActive = useMutation({
    mutationFn: ({ user, active }: { user: User; active: boolean }) => api.patch<User>(`/users/${user.id}`, { active, version: user.version }),
    onSuccess: (u) => {
      setDeactivating(null);
      invalidate('users');
      notifySaved(t, t(u.active ? 'settings.users.activated' : 'settings.users.deactivated', { name: u.name }));
    },
    onError: (e) => {
      setDeactivating(null);
      notifyFailure(t, e);
      invalidate('users');
    },
  });

  const depName = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const roleName = useMemo(() => new Map((roles.data ?? []).map((r) => [r.id, r.name])), [roles.data]);
  const error = users.error ?? departments.error ?? roles.error;
  if (error) return <QueryError error={error} onRetry={() => (void users.refetch(), void departments.refetch(), void roles.refetch())} />;
  if (!users.data || departments.isPending || roles.isPending) return <PageLoader />;

  const list = users.data
    .filter((u) => showInactive || u.active)
    .filter((u) => !debounced || u.name.toLowerCase().includes(debounced) || u.email.includes(debounced))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('settings.users.title')}
        </Title>
        <Button onClick={() => setEditing('new')}>{t('settings.users.create')}</Button>
      </Group>
      <Group gap="md" align="flex-end">
        <TextInput type="search" label={t('settings.users.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={280} />
        <Switch label={t('settings.users.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
      </Group>
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.users.name')}</Table.Th>
                <Table.Th>{t('settings.users.email')}</Table.Th>
                <Table.Th>{t('settings.users.department')}</Table.Th>
                <Table.Th>{t('settings.users.roles')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('settings.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((u) => (
                <Table.Tr key={u.id} data-testid="user-row" opacity={u.active ? 1 : 0.6}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {u.name}
                    </Text>
                    {u.position && (
                      <Text size="xs" c="dimmed">
                        {u.position}
                      </Text>
                    )}
                    {!u.active && (
                      <Badge size="xs" color="gray" tt="none">
                        {t('settings.users.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>{u.departmentId ? (depName.get(u.departmentId) ?? '—') : '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {(u.roleIds ?? []).map((id) => (
                        <Badge key={id} size="sm" variant="light" tt="none">
                          {roleName.get(id) ?? `#${id}`}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={2} justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing(u)} aria-label={t('settings.editOf', { name: u.name })}>
                        {t('common.edit')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" onClick={() => setResetting(u)} aria-label={t('settings.users.resetPasswordOf', { name: u.name })}>
                        {t('settings.users.resetPassword')}
                      </Button>
                      {u.active ? (
                        <Button size="compact-sm" variant="subtle" color="red" disabled={u.id === me.id} onClick={() => setDeactivating(u)} aria-label={t('settings.users.deactivateOf', { name: u.name })}>
                          {t('settings.users.deactivate')}
                        </Button>
                      ) : (
                        <Button size="compact-sm" variant="subtle" onClick={() => setActive.mutate({ user: u, active: true })} aria-label={t('settings.users.activateOf', { name: u.name })}>
                          {t('settings.users.activate')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!list.length && (
          <Text c="dimmed" p="md">
            {t('settings.users.nothingFound')}
          </Text>
        )}
      </Paper>
      <UserModal user={editing} onClose={() => setEditing(null)} onSaved={() => invalidate('users')} />
      <PasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ConfirmModal
        opened={!!deactivating}
        title={t('settings.users.deactivateTitle', { name: deactivating?.name ?? '' })}
        confirmLabel={t('settings.users.deactivate')}
        onConfirm={() => deactivating && setActive.mutate({ user: deactivating, active: false })}
        onClose={() => setDeactivating(null)}
        loading={setActive.isPending}
      >
        <Text>{t('settings.users.deactivateText')}</Text>
      </ConfirmModal>
    </Stack>
  );
}

function UserModal({ user, onClose, onSaved }: { user: User | 'new' | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const departments = useDepartments({ staleTime: STALE }).data ?? [];
  const roles = useRoles().data ?? [];
  const existing = user && user !== 'new' ? user : null;
  const empty = { name: '', email: '', password: '', position: '', phone: '', departmentId: null as string | null, roleIds: [] as string[] };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!user) return;
    setErrors({});
    if (existing)
      setForm({
        name: existing.name,
        email: existing.email,
        password: '',
        position: existing.position ?? '',
        phone: existing.phone ?? '',
        departmentId: existing.departmentId ? String(existing.departmentId) : null,
        roleIds: (existing.roleIds ?? []).map(String),
      });
    else setForm({ ...empty, roleIds: roles.filter((r) => r.code === 'manager').map((r) => String(r.id)) });
  }, [user]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name.trim(),
        email: form.email.trim(),
        position: form.position.trim() || null,
        phone: form.phone.trim() || null,
        departmentId: form.departmentId ? Number(form.departmentId) : null,
        roleIds: form.roleIds.map(Number),
      };
      if (existing) return api.patch<User>(`/users/${existing.id}`, { ...body, version: existing.version });
      return api.post<User>('/users', { ...body, password: form.password });
    },
    onSuccess: (u) => {
      onSaved();
      onClose();
      notifySaved(t, t(existing ? 'settings.users.saved' : 'settings.users.created', { name: u.name }));
    },
    onError: (e) => {
      if (isApiError(e) && e.fields.length) setErrors(e.fieldErrors());
      if (!isApiError(e) || e.code !== 'validation_failed') notifyFailure(t, e, { conflict: t('settings.users.emailTaken') });
    },
  });
  const submit = () => {
    const errs: Record<string, string> = {};
    if (!form.name.trim()) errs.name = t('common.required');
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim())) errs.email = t('settings.users.emailInvalid');
    if (!existing && form.password.length < PASSWORD_MIN) errs.password = t('settings.users.passwordRule', { count: PASSWORD_MIN });
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v }));
  };

  return (
    <Modal opened={!!user} onClose={onClose} title={existing ? t('settings.users.editTitle', { name: existing.name }) : t('settings.users.create')} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        autoComplete="off"
      >
        <Stack gap="sm">
          <TextInput label={t('settings.users.name')} value={form.name} onChange={set('name')} error={errors.name} required maxLength={200} data-autofocus />
          <TextInput label={t('settings.users.email')} type="email" value={form.email} onChange={set('email')} error={errors.email} required maxLength={254} autoComplete="off" />
          {!existing && (
            <PasswordInput
              label={t('settings.users.password')}
              description={t('settings.users.passwordHint', { count: PASSWORD_MIN })}
              value={form.password}
              onChange={set('password')}
              error={errors.password}
              required
              autoComplete="new-password"
            />
          )}
          <Group grow>
            <TextInput label={t('settings.users.position')} value={form.position} onChange={set('position')} error={errors.position} maxLength={200} />
            <TextInput label={t('settings.users.phone')} value={form.phone} onChange={set('phone')} error={errors.phone} maxLength={50} />
          </Group>
          <Select
            label={t('settings.users.department')}
            data={departmentTree(departments).map((n) => ({ value: String(n.item.id), label: `${'— '.repeat(n.depth)}${n.item.name}` }))}
            value={form.departmentId}
            onChange={(v) => setForm((f) => ({ ...f, departmentId: v }))}
            clearable
            searchable
            placeholder={t('settings.users.noDepartment')}
            error={errors.departmentId}
          />
          <MultiSelect
            label={t('settings.users.roles')}
            data={roles.map((r) => ({ value: String(r.id), label: r.name }))}
            value={form.roleIds}
            onChange={(v) => setForm((f) => ({ ...f, roleIds: v }))}
            error={errors.roleIds}
            placeholder={form.roleIds.length ? undefined : t('settings.users.noRoles')}
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

function PasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPassword('');
    setError(null);
  }, [user?.id]);
  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: () => api.patch<User>(`/users/${user!.id}`, { password, version: user!.version }),
    onSuccess: (u) => {
      invalidate('users');
      onClose();
      notifySaved(t, t('settings.users.passwordReset', { name: u.name }));
    },
    onError: (e) => (isApiError(e) && e.fields.length ? setError(e.fields[0]!.message) : notifyFailure(t, e)),
  });
  return (
    <Modal opened={!!user} onClose={onClose} title={t('settings.users.resetPasswordTitle', { name: user?.name ?? '' })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (password.length < PASSWORD_MIN) return setError(t('settings.users.passwordRule', { count: PASSWORD_MIN }));
          save.mutate();
        }}
      >
        <Stack>
          <Text size="sm">{t('settings.users.resetPasswordText')}</Text>
          <PasswordInput label={t('settings.users.newPassword')} value={password} onChange={(e) => (setPassword(e.currentTarget.value), setError(null))} error={error} required autoComplete="new-password" data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('settings.users.setPassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
