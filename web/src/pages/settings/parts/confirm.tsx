import { type ReactNode, useState } from 'react';
import { Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { notifyFailure, notifySaved } from '../api';

/** A destructive action that asks first (delete, deactivate): see `useConfirmedAction`. */
export interface ConfirmedAction<T> {
  /** what the open confirmation is about; null while none is open */
  target: T | null;
  /** opens the confirmation for this record */
  ask: (target: T) => void;
  close: () => void;
  /** does it straight away, no question (e.g. bringing back what was switched off) */
  run: (target: T) => void;
  pending: boolean;
}

/**
 * `ask(record)` opens the confirmation; confirming runs `action`. Either way it closes after: on
 * success with the `done` toast and `onDone`, on failure with the server's reason (`known` words
 * error codes our way).
 */
export function useConfirmedAction<T, R = unknown>({
  action,
  done,
  onDone,
  onFailed,
  known,
}: {
  action: (target: T) => Promise<R>;
  done: (target: T, result: R) => string;
  onDone?: (target: T, result: R) => void;
  onFailed?: () => void;
  known?: Partial<Record<string, string>>;
}): ConfirmedAction<T> {
  const { t } = useTranslation();
  const [target, setTarget] = useState<T | null>(null);
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: (result, x) => {
      setTarget(null);
      onDone?.(x, result);
      notifySaved(t, done(x, result));
    },
    onError: (e) => {
      setTarget(null);
      notifyFailure(t, e, known);
      onFailed?.();
    },
  });
  return { target, ask: setTarget, close: () => setTarget(null), run: (x) => mutation.mutate(x), pending: mutation.isPending };
}

/** The confirmation of a `useConfirmedAction`: its title names the record, the text says what follows. */
export function ConfirmActionModal<T>({ flow, title, confirmLabel, children }: { flow: ConfirmedAction<T>; title: (target: T) => string; confirmLabel?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const { target } = flow;
  return (
    <ConfirmModal
      opened={target !== null}
      title={target !== null ? title(target) : ''}
      confirmLabel={confirmLabel ?? t('common.delete')}
      onConfirm={() => target !== null && flow.run(target)}
      onClose={flow.close}
      loading={flow.pending}
    >
      {typeof children === 'string' ? <Text>{children}</Text> : children}
    </ConfirmModal>
  );
}
