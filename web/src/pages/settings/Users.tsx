import { useEffect, useMemo, useState } from 'react';
import { Badge, Button, Group, MultiSelect, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { useCurrentUser } from '../../auth/session';
import { FormModal } from '../../components/FormModal';
import { PageLoader, QueryError } from '../../components/page';
import { useDepartments } from '../../api/lookups';
import { type FieldErrors, firstError, STALE, useAllUsers, useFormSave, useInvalidate, useRoles } from './api';
import { ConfirmActionModal, useConfirmedAction } from './parts/confirm';
import { SectionHeader } from './parts/layout';
import { type Column, RecordTable, RowButton } from './parts/table';
import { departmentOptions, type Editing, existingOf } from './settings-logic';

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
  const [editing, setEditing] = useState<Editing<User>>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const setActive = useConfirmedAction({
    action: ({ user, active }: { user: User; active: boolean }) => api.patch<User>(`/users/${user.id}`, { active, version: user.version }),
    done: (_x, u) => t(u.active ? 'settings.users.activated' : 'settings.users.deactivated', { name: u.name }),
    onDone: () => invalidate('users'),
    onFailed: () => invalidate('users'),
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

  const columns: Array<Column<User>> = [
    {
      header: t('settings.users.name'),
      cell: (u) => (
        <>
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
        </>
      ),
    },
    { header: t('settings.users.email'), cell: (u) => u.email },
    { header: t('settings.users.department'), cell: (u) => (u.departmentId ? (depName.get(u.departmentId) ?? '—') : '—') },
    {
      header: t('settings.users.roles'),
      cell: (u) => (
        <Group gap={4}>
          {(u.roleIds ?? []).map((id) => (
            <Badge key={id} size="sm" variant="light" tt="none">
              {roleName.get(id) ?? `#${id}`}
            </Badge>
          ))}
        </Group>
      ),
    },
  ];

  return (
    <Stack gap="md">
      <SectionHeader title={t('settings.users.title')} action={<Button onClick={() => setEditing('new')}>{t('settings.users.create')}</Button>} />
      <Group gap="md" align="flex-end">
        <TextInput type="search" label={t('settings.users.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={280} />
        <Switch label={t('settings.users.showInactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} />
      </Group>
      <RecordTable
        rows={list}
        columns={columns}
        minWidth={760}
        rowTestId="user-row"
        striped
        dimmed={(u) => !u.active}
        empty={t('settings.users.nothingFound')}
        actions={(u) => (
          <>
            <RowButton label={t('common.edit')} ariaLabel={t('settings.editOf', { name: u.name })} onClick={() => setEditing(u)} />
            <RowButton label={t('settings.users.resetPassword')} ariaLabel={t('settings.users.resetPasswordOf', { name: u.name })} onClick={() => setResetting(u)} />
            {u.active ? (
              <RowButton
                label={t('settings.users.deactivate')}
                ariaLabel={t('settings.users.deactivateOf', { name: u.name })}
                onClick={() => setActive.ask({ user: u, active: false })}
                disabled={u.id === me.id}
                danger
              />
            ) : (
              <RowButton label={t('settings.users.activate')} ariaLabel={t('settings.users.activateOf', { name: u.name })} onClick={() => setActive.run({ user: u, active: true })} />
            )}
          </>
        )}
      />
      <UserModal user={editing} onClose={() => setEditing(null)} onSaved={() => invalidate('users')} />
      <PasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ConfirmActionModal flow={setActive} title={({ user }) => t('settings.users.deactivateTitle', { name: user.name })} confirmLabel={t('settings.users.deactivate')}>
        {t('settings.users.deactivateText')}
      </ConfirmActionModal>
    </Stack>
  );
}

function UserModal({ user, onClose, onSaved }: { user: Editing<User>; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const departments = useDepartments({ staleTime: STALE }).data ?? [];
  const roles = useRoles().data ?? [];
  const existing = existingOf(user);
  const empty = { name: '', email: '', password: '', position: '', phone: '', departmentId: null as string | null, roleIds: [] as string[] };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
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
    // the form is filled when the dialog opens for a user; the roles
    // arriving or changing later must not overwrite what is being typed.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reason above
  }, [user]);

  const save = useFormSave({
    save: () => {
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
    setErrors,
    onSuccess: () => (onSaved(), onClose()),
    done: (u) => t(existing ? 'settings.users.saved' : 'settings.users.created', { name: u.name }),
    known: { conflict: t('settings.users.emailTaken') },
  });
  const submit = () => {
    const errs: FieldErrors = {};
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
    <FormModal
      opened={!!user}
      onClose={onClose}
      title={existing ? t('settings.users.editTitle', { name: existing.name }) : t('settings.users.create')}
      submitLabel={existing ? t('common.save') : t('common.create')}
      loading={save.isPending}
      onSubmit={submit}
      size="lg"
      autoComplete="off"
    >
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
        data={departmentOptions(departments)}
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
    </FormModal>
  );
}

function PasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    setPassword('');
    setErrors({});
  }, [user?.id]);
  const invalidate = useInvalidate();
  const save = useFormSave({
    save: () => api.patch<User>(`/users/${user!.id}`, { password, version: user!.version }),
    setErrors,
    onSuccess: () => (invalidate('users'), onClose()),
    done: (u) => t('settings.users.passwordReset', { name: u.name }),
  });
  return (
    <FormModal
      opened={!!user}
      onClose={onClose}
      title={t('settings.users.resetPasswordTitle', { name: user?.name ?? '' })}
      submitLabel={t('settings.users.setPassword')}
      loading={save.isPending}
      onSubmit={() => (password.length < PASSWORD_MIN ? setErrors({ password: t('settings.users.passwordRule', { count: PASSWORD_MIN }) }) : save.mutate())}
    >
      <Text size="sm">{t('settings.users.resetPasswordText')}</Text>
      <PasswordInput
        label={t('settings.users.newPassword')}
        value={password}
        onChange={(e) => (setPassword(e.currentTarget.value), setErrors({}))}
        error={firstError(errors)}
        required
        autoComplete="new-password"
        data-autofocus
      />
    </FormModal>
  );
}
