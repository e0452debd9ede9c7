import type { ReactNode } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** "Are you sure?" for destructive actions: what will happen, Cancel (focused first) and the red action. */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  loading,
  color = 'red',
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  color?: string;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <Stack>
        {children}
        <DialogButtons onCancel={onClose} cancelFocused actionLabel={confirmLabel} onAction={onConfirm} loading={loading} color={color} />
      </Stack>
    </Modal>
  );
}

/** The buttons at the bottom of a dialog: Cancel, then the action (a submit button in a form). */
export function DialogButtons({
  onCancel,
  cancelFocused,
  actionLabel,
  onAction,
  submit,
  loading,
  color,
}: {
  onCancel: () => void;
  /** focus Cancel when the dialog opens (confirmations: a stray Enter must not destroy anything) */
  cancelFocused?: boolean;
  /** «Save» unless given */
  actionLabel?: string;
  onAction?: () => void;
  submit?: boolean;
  loading?: boolean;
  color?: string;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel} data-autofocus={cancelFocused || undefined}>
        {t('common.cancel')}
      </Button>
      <Button type={submit ? 'submit' : 'button'} color={color} onClick={onAction} loading={loading}>
        {actionLabel ?? t('common.save')}
      </Button>
    </Group>
  );
}
