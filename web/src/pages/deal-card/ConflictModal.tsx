import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldChange } from '../../components/record/changes';
import { FieldValue, useFieldLabel } from '../../components/record/FieldValue';
import type { Deal, DealPatch } from './types';

// Someone else saved the deal after this user opened it: list what they changed (the deal as
// this user had it vs the server's), and what this user was saving. «Reload» takes their version;
// «Save mine anyway» re-sends only this user's change on top of theirs. Closing = reload.

export interface ConflictState {
  base: Deal;
  current: Deal;
  patch: DealPatch;
  changes: FieldChange[];
}

export function ConflictModal({ conflict, saving, onReload, onOverwrite }: { conflict: ConflictState | null; saving: boolean; onReload: () => void; onOverwrite: () => void }) {
  const { t } = useTranslation();
  const label = useFieldLabel('deals');
  const mine = conflict ? patchLines(conflict.patch) : [];
  return (
    <Modal opened={conflict !== null} onClose={onReload} title={t('dealCard.conflict.title')} centered size="lg">
      {conflict && (
        <Stack gap="sm" data-testid="conflict-dialog">
          <Text size="sm">{t('dealCard.conflict.text')}</Text>
          <Table.ScrollContainer minWidth={420}>
            <Table withTableBorder aria-label={t('dealCard.conflict.theirChanges')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dealCard.conflict.field')}</Table.Th>
                  <Table.Th>{t('dealCard.conflict.youSaw')}</Table.Th>
                  <Table.Th>{t('dealCard.conflict.nowValue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {conflict.changes.map((c) => (
                  <Table.Tr key={c.field}>
                    <Table.Td>{label(c.field)}</Table.Td>
                    <Table.Td>
                      <FieldValue entity="deals" field={c.field} value={c.old} currency={conflict.base.currency} />
                    </Table.Td>
                    <Table.Td fw={500}>
                      <FieldValue entity="deals" field={c.field} value={c.new} currency={conflict.current.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {mine.length > 0 && (
            <Text size="sm" component="div">
              <Text span fw={500}>
                {t('dealCard.conflict.yourChange')}:{' '}
              </Text>
              {mine.map((m, i) => (
                <span key={m.field}>
                  {i > 0 && '; '}
                  {label(m.field)} → <FieldValue entity="deals" field={m.field} value={m.value} currency={conflict.current.currency} />
                </span>
              ))}
            </Text>
          )}
          <Group justify="flex-end" gap="xs" wrap="wrap">
            <Button variant="default" color="red" onClick={onOverwrite} loading={saving}>
              {t('dealCard.conflict.overwrite')}
            </Button>
            <Button onClick={onReload} data-autofocus disabled={saving}>
              {t('dealCard.conflict.reload')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function patchLines(patch: DealPatch): Array<{ field: string; value: unknown }> {
  const out: Array<{ field: string; value: unknown }> = [];
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'custom' && v && typeof v === 'object') for (const [code, cv] of Object.entries(v)) out.push({ field: `custom.${code}`, value: cv });
    else out.push({ field: k, value: v });
  }
  return out;
}
