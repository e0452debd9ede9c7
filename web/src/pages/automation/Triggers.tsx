import { ActionIcon, Anchor, Badge, Button, CopyButton, Group, Menu, Modal, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUsers } from '../../api/lookups';
import type { CatalogueEntry } from './robot-logic';
import type { Trigger, TriggerType } from './trigger-logic';
import { CardMenu, useFieldLabel } from './widgets';

/** A trigger's parameters in words: «звонок», «Сумма» → 5000, на: Нина, 7 дней без активности. */
function useParamsText(catalogue: CatalogueEntry[]) {
  const { t } = useTranslation();
  const users = useUsers();
  const fieldLabel = useFieldLabel();
  return (r: Trigger): string | null => {
    const p = r.params;
    if (typeof p.activityType === 'string') return t(`automation.enums.activityType.${p.activityType}`, { defaultValue: p.activityType });
    if (typeof p.field === 'string') {
      const field = fieldLabel(catalogue.find((c) => c.path === p.field), p.field);
      return p.value === undefined ? t('automation.triggers.summary.fieldAny', { field }) : t('automation.triggers.summary.fieldTo', { field, value: String(p.value) });
    }
    if (typeof p.userId === 'number') return t('automation.triggers.summary.user', { name: users.data?.find((u) => u.id === p.userId)?.name ?? `#${p.userId}` });
    if (typeof p.days === 'number') return t('automation.triggers.summary.days', { count: p.days });
    return null;
  };
}

// The triggers of a stage, on top of its robots (as in Bitrix24): each card says what moves a deal
// here — its name, its type in words, a condition and «можно назад» badge, off when disabled, and
// an inbound webhook's URL with a copy button. Plus the type picker of «Добавить триггер».

export function TriggerCard({
  trigger: r,
  type,
  catalogue,
  onEdit,
  onToggle,
  onRotate,
  onDelete,
}: {
  trigger: Trigger;
  type: TriggerType | undefined;
  catalogue: CatalogueEntry[];
  onEdit: () => void;
  onToggle: () => void;
  onRotate: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const paramsText = useParamsText(catalogue)(r);
  const url = r.hookPath ? `${window.location.origin}${r.hookPath}` : null;
  return (
    <Paper
      component="li"
      withBorder
      p="xs"
      radius="sm"
      data-testid="trigger-card"
      data-trigger-id={r.id}
      data-enabled={r.enabled}
      bg="var(--mantine-color-yellow-light)"
      style={{ opacity: r.enabled ? 1 : 0.6, borderColor: r.problems.length ? 'var(--mantine-color-red-6)' : undefined }}
    >
      <Group justify="space-between" wrap="nowrap" gap={4} align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Anchor component="button" type="button" size="sm" fw={600} onClick={onEdit} style={{ textAlign: 'left' }}>
            ⚡ {r.name}
          </Anchor>
          <Text size="xs" c="dimmed" data-testid="trigger-type">
            {type?.title ?? r.type}
            {paramsText && `: ${paramsText}`}
          </Text>
          <Group gap={4}>
            {!r.enabled && (
              <Badge size="xs" color="gray" variant="light">
                {t('automation.triggers.disabled')}
              </Badge>
            )}
            {r.condition != null && (
              <Badge size="xs" variant="light">
                {t('automation.hasCondition')}
              </Badge>
            )}
            {r.allowBack && (
              <Badge size="xs" variant="light" color="grape">
                {t('automation.triggers.back')}
              </Badge>
            )}
          </Group>
          {url && (
            <Group gap={4} wrap="nowrap">
              <TextInput size="xs" readOnly value={url} aria-label={t('automation.triggers.url')} style={{ flex: 1, minWidth: 0 }} data-testid="trigger-url" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={url}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? t('automation.triggers.copied') : t('automation.triggers.copyUrl')}>
                    <ActionIcon variant="light" size="sm" onClick={copy} aria-label={t('automation.triggers.copyUrl')} color={copied ? 'teal' : undefined}>
                      {copied ? '✓' : '⧉'}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          )}
          {r.problems.length > 0 && (
            <Text size="xs" c="red" fw={600} data-testid="trigger-problems">
              ● {t('automation.problems', { count: r.problems.length })}: {r.problems.map((p) => p.message).join('; ')}
            </Text>
          )}
        </Stack>
        <CardMenu label={t('automation.triggers.actionsOf', { name: r.name })}>
            <Menu.Item onClick={onEdit}>{t('common.edit')}</Menu.Item>
            <Menu.Item onClick={onToggle}>{r.enabled ? t('automation.disable') : t('automation.enable')}</Menu.Item>
            {type?.secret && <Menu.Item onClick={onRotate}>{t('automation.triggers.rotate')}</Menu.Item>}
            <Menu.Divider />
            <Menu.Item color="red" onClick={onDelete}>
              {t('common.delete')}
            </Menu.Item>
        </CardMenu>
      </Group>
    </Paper>
  );
}

export function TriggerTypePicker({ opened, types, onPick, onClose }: { opened: boolean; types: TriggerType[]; onPick: (t: TriggerType) => void; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('automation.triggers.pickType')} size="md">
      <Stack gap="xs">
        {types.map((ty) => (
          <Paper key={ty.type} withBorder p="xs" component="button" type="button" style={{ textAlign: 'left', cursor: 'pointer', background: 'transparent' }} onClick={() => onPick(ty)}>
            <Text fw={600} size="sm">
              {ty.title}
            </Text>
            <Text size="xs" c="dimmed">
              {ty.description}
            </Text>
          </Paper>
        ))}
      </Stack>
    </Modal>
  );
}

export function AddTriggerButton({ stageName, onClick }: { stageName: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button variant="subtle" size="xs" fullWidth onClick={onClick} aria-label={t('automation.triggers.addTo', { stage: stageName })}>
      + {t('automation.triggers.add')}
    </Button>
  );
}
