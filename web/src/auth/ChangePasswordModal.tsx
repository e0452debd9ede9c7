import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { errorMessage } from '../lib/errors';
import { useChangePassword } from './session';

const MIN_LENGTH = 8; // as the server's PASSWORD_MIN_LENGTH

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const close = () => {
    setCurrent('');
    setNew('');
    setRepeat('');
    setErrors({});
    change.reset();
    onClose();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!currentPassword) errs.currentPassword = t('common.required');
    if (newPassword.length < MIN_LENGTH) errs.newPassword = t('auth.password.tooShort', { count: MIN_LENGTH });
    if (repeat !== newPassword) errs.repeat = t('auth.password.mismatch');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('auth.password.done') });
          close();
        },
        onError: (err) => {
          if (isApiError(err) && err.fields.length) {
            const f = err.fieldErrors();
            setErrors({
              ...(f.currentPassword && { currentPassword: t('auth.password.wrongCurrent') }),
              ...(f.newPassword && { newPassword: t('auth.password.tooShort', { count: MIN_LENGTH }) }),
            });
          } else setErrors({ form: errorMessage(t, err) });
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('auth.password.title')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput
            label={t('auth.password.current')}
            autoComplete="current-password"
            required
            data-autofocus
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.currentPassword}
          />
          <PasswordInput
            label={t('auth.password.new')}
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            error={errors.newPassword}
            description={t('auth.password.tooShort', { count: MIN_LENGTH })}
          />
          <PasswordInput
            label={t('auth.password.repeat')}
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={errors.repeat ?? errors.form}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('auth.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
