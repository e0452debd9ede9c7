import { useRef, useState, type FormEvent } from 'react';
import { Button, Group, Paper, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useCustomFieldDefs } from '../../api/lookups';
import { useWorkspace } from '../../app/workspace';
import { CustomFieldInputs } from '../../components/record/CustomFields';
import { customBody, type CustomDraft } from '../../components/record/CustomFields.logic';
import { parseMoney } from '../../lib/format';
import { errorMessage } from '../../lib/errors';
import { CurrencySign } from '../../components/CurrencySign';
import { useFormat } from '../../lib/use-format';
import type { Stage } from './types';

export interface QuickDeal {
  title: string;
  amount?: number;
  custom?: Record<string, unknown>;
}

/**
 * Quick-create in a column: a title, an amount and the deal's required custom fields (the server
 * refuses a deal without them); the new deal lands on top of the column.
 */
export function QuickCreate({ stage, busy, onCreate, onClose }: { stage: Stage; busy: boolean; onCreate: (stageId: number, deal: QuickDeal) => Promise<unknown>; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const currency = useWorkspace().data?.currency ?? 'RUB';
  const required = useCustomFieldDefs('deal').data?.filter((d) => d.required) ?? [];
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('');
  const [drafts, setDrafts] = useState<Record<string, CustomDraft>>({});
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const titleRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = title.trim();
    const minor = amount.trim() ? parseMoney(amount, currency) : undefined;
    const errs: Record<string, string> = {};
    if (!name) errs.title = t('common.required');
    if (minor === null || (minor !== undefined && minor < 0)) errs.amount = t('board.quick.badAmount');
    const { custom, errors: invalid } = customBody(required, drafts, { currency, timeZone: fmt.timeZone });
    for (const [path, code] of Object.entries(invalid)) errs[path] = t(`record.custom.${code}`);
    for (const def of required) if (!(def.code in custom) && !errs[`custom.${def.code}`]) errs[`custom.${def.code}`] = t('common.required');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await onCreate(stage.id, { title: name, ...(minor != null ? { amount: minor } : {}), ...(Object.keys(custom).length ? { custom } : {}) });
      setTitle('');
      setAmount('');
      setDrafts({});
      titleRef.current?.focus();
    } catch (err) {
      const fields = isApiError(err) ? err.fieldErrors() : {};
      const known = Object.keys(fields).some((k) => k === 'title' || k === 'amount' || k.startsWith('custom.'));
      setErrors({ ...fields, title: fields.title ?? (known ? undefined : errorMessage(t, err)) });
    }
  };

  const customErrors = Object.fromEntries(Object.entries(errors).filter((e): e is [string, string] => e[0].startsWith('custom.') && !!e[1]));
  return (
    <Paper mx="xs" mb="xs" p="xs" withBorder radius="sm" component="form" noValidate onSubmit={submit} aria-label={t('board.quick.formLabel', { stage: stage.name })} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <Stack gap={4}>
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
        <TextInput size="xs" label={t('board.quick.amount')} inputMode="decimal" rightSection={<CurrencySign currency={currency} />} value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={errors.amount} placeholder="0" />
        {required.length > 0 && (
          <CustomFieldInputs defs={required} values={drafts} onChange={(code, v) => setDrafts((d) => ({ ...d, [code]: v }))} errors={customErrors} currency={currency} narrow />
        )}
      </Stack>
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
