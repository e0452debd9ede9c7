import { useEffect, useState } from 'react';
import { Button, Group, Modal, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useReferenceList } from '../../api/lookups';

/**
 * Moving a deal into a failure stage that needs a reason (from the board or the card's stage bar):
 * asks for the reason before the move is sent.
 */
export function LossReasonModal({
  opened,
  dealTitle,
  stageName,
  saving = false,
  onCancel,
  onConfirm,
}: {
  opened: boolean;
  dealTitle: string;
  stageName: string;
  saving?: boolean;
  onCancel: () => void;
  onConfirm: (lossReasonId: number) => void;
}) {
  const { t } = useTranslation();
  const reasons = useReferenceList('loss-reasons', { enabled: opened });
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (opened) {
      setValue(null);
      setError(null);
    }
  }, [opened]);

  const items = (reasons.data ?? []).filter((r) => r.active !== false);
  return (
    <Modal opened={opened} onClose={onCancel} title={t('common.loss.title')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!value) return setError(t('common.loss.required'));
          onConfirm(Number(value));
        }}
      >
        <Text size="sm" mb="sm">
          {t('common.loss.text', { deal: dealTitle, stage: stageName })}
        </Text>
        <Select
          label={t('common.loss.reason')}
          placeholder={reasons.isLoading ? t('common.loading') : t('common.loss.placeholder')}
          data={items.map((r) => ({ value: String(r.id), label: r.name }))}
          value={value}
          onChange={(v) => {
            setValue(v);
            setError(null);
          }}
          error={error ?? (reasons.isSuccess && items.length === 0 ? t('common.loss.none') : undefined)}
          required
          data-autofocus
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={saving}>
            {t('common.loss.confirm')}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
