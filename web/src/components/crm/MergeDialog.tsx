import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useCustomFieldDefs } from '../../api/lookups';
import { errorMessage } from '../../lib/errors';
import { customValueText } from '../record/field-text';
import { useValueText } from '../record/FieldValue';
import { SINGULAR, invalidateLinks } from '../record/keys';
import { EntityPicker, type PickedRecord } from './EntityPicker';
import { mergeCustom, type MergeRow } from './merge-preview';

// "Merge with…": pick the other record, see which values survive, confirm. The record whose card
// is open survives (POST /{resource}/{id}/merge { sourceId }); the other one is deleted, its deals,
// activities and history move over. Custom fields follow the entity's own rows, worded as the
// card shows them.

export function MergeDialog<R extends { id: number; custom: Record<string, unknown> }>({
  resource,
  survivor,
  survivorLabel,
  currency,
  opened,
  onClose,
  rows,
  suggestions,
}: {
  resource: 'contacts' | 'companies';
  survivor: R;
  survivorLabel: string;
  /** of a money value stored without one (the card's) */
  currency: string;
  opened: boolean;
  onClose: () => void;
  rows: (survivor: R, source: R) => MergeRow[];
  suggestions?: PickedRecord[];
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [picked, setPicked] = useState<PickedRecord | null>(null);
  const defs = useCustomFieldDefs(SINGULAR[resource]).data ?? [];
  const valueText = useValueText(currency);
  const source = useQuery({
    queryKey: [resource, picked?.id],
    queryFn: ({ signal }) => api.get<R>(`/${resource}/${picked!.id}`, undefined, { signal }),
    enabled: !!picked,
  });
  const merge = useMutation({
    mutationFn: () => api.post<R>(`/${resource}/${survivor.id}/merge`, { sourceId: picked!.id }),
    onSuccess: (r) => {
      qc.setQueryData([resource, r.id], r);
      qc.removeQueries({ queryKey: [resource, picked!.id] });
      // the source's contacts, companies, deals and activities now belong to the survivor
      invalidateLinks(qc);
      notifications.show({ color: 'green', message: t('crm.merge.done', { name: picked?.label ?? '' }) });
      close();
    },
  });
  const close = () => {
    setPicked(null);
    merge.reset();
    onClose();
  };
  const table = source.data
    ? [...rows(survivor, source.data), ...mergeCustom(defs, survivor.custom, source.data.custom, (def, v) => customValueText(def, v, valueText))]
    : null;
  return (
    <Modal opened={opened} onClose={close} title={t('crm.merge.title', { name: survivorLabel })} size="xl">
      <Stack>
        <Text size="sm">{t('crm.merge.explain', { name: survivorLabel })}</Text>
        <EntityPicker
          entity={resource}
          label={t('crm.merge.pick')}
          value={picked?.id ?? null}
          onChange={setPicked}
          excludeIds={[survivor.id]}
          suggestions={suggestions}
          autoFocus
          data-testid="merge-picker"
        />
        {source.isError && <Alert color="red">{errorMessage(t, source.error)}</Alert>}
        {table && (
          <Table.ScrollContainer minWidth={560}>
            <Table striped withTableBorder data-testid="merge-preview">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('crm.merge.field')}</Table.Th>
                  <Table.Th>{t('crm.merge.thisRecord')}</Table.Th>
                  <Table.Th>{t('crm.merge.otherRecord')}</Table.Th>
                  <Table.Th>{t('crm.merge.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {table.map((r) => (
                  <Table.Tr key={r.field}>
                    <Table.Td>{r.label ?? t(`crm.fields.${r.field}`, { defaultValue: r.field })}</Table.Td>
                    <Table.Td c={r.from === 'survivor' || r.from === 'both' ? undefined : 'dimmed'}>{r.survivor || '—'}</Table.Td>
                    <Table.Td c={r.from === 'source' || r.from === 'both' ? undefined : 'dimmed'} td={r.source && r.from === 'survivor' ? 'line-through' : undefined}>
                      {r.source || '—'}
                    </Table.Td>
                    <Table.Td fw={500}>{r.result || '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {table && (
          <Alert color="orange" title={t('crm.merge.warningTitle')}>
            {t('crm.merge.warning', { name: picked?.label ?? '' })}
          </Alert>
        )}
        {merge.isError && <Alert color="red">{errorMessage(t, merge.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" disabled={!table} loading={merge.isPending} onClick={() => merge.mutate()}>
            {t('crm.merge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
