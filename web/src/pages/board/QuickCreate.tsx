import { useRef, useState, type FormEvent } from 'react';
import { Button, Group, Paper, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { parseMoney } from '../../lib/format';
import { errorMessage } from '../../lib/errors';
import type { Stage } from './types';

/** Quick-create in a column: a title and an amount; the new deal lands on top of the column. */
export function QuickCreate({ stage, busy, onCreate, onClose }: { stage: Stage; busy: boolean; onCreate: (stageId: number, title: string, amount?: number) => Promise<unknown>; onClose: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<{ title?: string; amount?: string }>({});
  const titleRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    const minor = amount.trim() ? parseMoney(amount) : undefined;
    const errs: typeof errors = {};
    if (!name) errs.title = t('common.required');
    if (minor === null || (minor !== undefined && minor < 0)) errs.amount = t('board.quick.badAmount');
    setErrors(errs);
    if (errs.title || errs.amount) return;
    try {
      await onCreate(stage.id, name, minor ?? undefined);
      setTitle('');
      setAmount('');
      titleRef.current?.focus();
    } catch (err) {
      const fields = isApiError(err) ? err.fieldErrors() : {};
      setErrors({ title: fields.title ?? (fields.amount ? undefined : errorMessage(t, err)), amount: fields.amount });
    }
  };

  return (
    <Paper mx="xs" mb="xs" p="xs" withBorder radius="sm" component="form" onSubmit={submit} aria-label={t('board.quick.formLabel', { stage: stage.name })} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <TextInput
        ref={titleRef}
        size="xs"
        label={t('board.quick.title')}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={errors.title}
        maxLength={500}
        data-autofocus
        autoFocus
      />
      <TextInput size="xs" mt={4} label={t('board.quick.amount')} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={errors.amount} placeholder="0" />
      <Group gap={4} mt="xs" justify="flex-end">
        <Button size="compact-xs" variant="subtle" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button size="compact-xs" type="submit" loading={busy}>
          {t('board.quick.create')}
        </Button>
      </Group>
    </Paper>
  );
}
