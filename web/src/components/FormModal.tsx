import type { ReactNode } from 'react';
import { Modal, Stack } from '@mantine/core';
import { DialogButtons } from './ConfirmModal';

/**
 * A dialog holding a form: its fields, then Cancel and the submit button (Enter submits too).
 * Put `data-autofocus` on the field to start in. `noValidate`: the fields show our messages, in the
 * interface's language, instead of the browser's bubbles.
 */
export function FormModal({
  opened,
  title,
  onClose,
  onSubmit,
  submitLabel,
  loading,
  size,
  autoComplete,
  children,
}: {
  opened: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  /** the submit button; «Save» unless given */
  submitLabel?: string;
  loading?: boolean;
  size?: string;
  autoComplete?: 'on' | 'off';
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        autoComplete={autoComplete}
      >
        <Stack gap="sm">
          {children}
          <DialogButtons onCancel={onClose} actionLabel={submitLabel} submit loading={loading} />
        </Stack>
      </form>
    </Modal>
  );
}
