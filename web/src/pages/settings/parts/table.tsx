import type { ReactNode } from 'react';
import { Button, Group, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/** A table wider than the screen scrolls sideways: its scrolling area takes the keyboard focus, so arrows scroll it. */
export const KEYBOARD_SCROLL = { viewportProps: { tabIndex: 0 } };

/** Records as a table (scrolls sideways on a phone), each row ending with its action buttons. */
export function RecordTable<T extends { id: number }>({
  rows,
  columns,
  actions,
  minWidth,
  rowTestId,
  striped,
  dimmed,
  empty,
}: {
  rows: T[];
  columns: Array<Column<T>>;
  actions: (row: T) => ReactNode;
  minWidth: number;
  rowTestId: string;
  striped?: boolean;
  /** rows shown faded (switched-off records) */
  dimmed?: (row: T) => boolean;
  /** said under the header when there are no rows */
  empty?: string;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={KEYBOARD_SCROLL}>
        <Table verticalSpacing="xs" striped={striped}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.header}>{c.header}</Table.Th>
              ))}
              <Table.Th>
                <VisuallyHidden>{t('settings.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id} data-testid={rowTestId} opacity={dimmed?.(row) ? 0.6 : 1}>
                {columns.map((c) => (
                  <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
                ))}
                <Table.Td>
                  <RowActions>{actions(row)}</RowActions>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!rows.length && empty && (
        <Text c="dimmed" p="md">
          {empty}
        </Text>
      )}
    </Paper>
  );
}

export function RowActions({ children }: { children: ReactNode }) {
  return (
    <Group gap={2} justify="flex-end" wrap="nowrap">
      {children}
    </Group>
  );
}

/** A small text button of a row: `label` is what it shows, `ariaLabel` also names the record (for screen readers). */
export function RowButton({ label, ariaLabel, onClick, danger, disabled }: { label: string; ariaLabel: string; onClick: () => void; danger?: boolean; disabled?: boolean }) {
  return (
    <Button size="compact-sm" variant="subtle" color={danger ? 'red' : undefined} onClick={onClick} disabled={disabled} aria-label={ariaLabel}>
      {label}
    </Button>
  );
}

/** «Изменить» and «Удалить» of a record's row. */
export function EditDeleteButtons({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <RowButton label={t('common.edit')} ariaLabel={t('settings.editOf', { name })} onClick={onEdit} />
      <RowButton label={t('common.delete')} ariaLabel={t('settings.deleteOf', { name })} onClick={onDelete} danger />
    </>
  );
}
