import type { ReactNode } from 'react';
import { Box, Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The editor of a field edited in place: the input, «Сохранить» / «Отмена»; Enter saves, Escape cancels (once an open list is closed). */
export function InPlaceForm({ testId, saving, onSubmit, onCancel, children }: { testId?: string; saving: boolean; onSubmit: () => void; onCancel: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box
      component="form"
      noValidate
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // Escape in a select whose list is open closes the list; only the next one leaves the editor
        if ((e.target as HTMLElement).getAttribute('aria-expanded') === 'true') return;
        e.stopPropagation();
        onCancel();
      }}
    >
      <Stack gap={6}>
        {children}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={saving}>
            {t('common.save')}
          </Button>
          <Button variant="default" size="xs" onClick={onCancel} disabled={saving}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Box>
  );
}
