import type { ReactNode } from 'react';
import { Button, Grid, NavLink, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../../components/FormModal';
import { useNameForm } from './name-form';

export interface PickerItem {
  id: number;
  label: string;
  description?: string;
  badge?: ReactNode;
}

/**
 * Records edited one at a time (pipelines, roles): their list on the left (a list above on a phone)
 * with a «new» button, the chosen one's editor (`children`) beside it.
 */
export function RecordPicker({
  title,
  items,
  selectedId,
  onSelect,
  createLabel,
  onCreate,
  children,
  narrowList = false,
}: {
  title: string;
  items: PickerItem[];
  selectedId: number | undefined;
  onSelect: (id: number) => void;
  createLabel: string;
  onCreate: () => void;
  children: ReactNode;
  /** a narrower list on large screens, for an editor that needs the width (the roles' matrix) */
  narrowList?: boolean;
}) {
  return (
    <Grid gap="md">
      <Grid.Col span={narrowList ? { base: 12, lg: 2 } : { base: 12, md: 3 }}>
        <Stack gap={4}>
          <Title order={2} size="h4" mb={4}>
            {title}
          </Title>
          <nav aria-label={title}>
            {items.map((item) => (
              <NavLink
                key={item.id}
                component="button"
                label={item.label}
                description={item.description}
                rightSection={item.badge}
                active={item.id === selectedId}
                // the chosen item's light-blue background takes Mantine's description colour below 4.5:1
                styles={{ description: { color: 'var(--mantine-color-dimmed)' } }}
                aria-current={item.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(item.id)}
              />
            ))}
          </nav>
          <Button variant="light" mt="xs" onClick={onCreate}>
            {createLabel}
          </Button>
        </Stack>
      </Grid.Col>
      <Grid.Col span={narrowList ? { base: 12, lg: 10 } : { base: 12, md: 9 }}>{children}</Grid.Col>
    </Grid>
  );
}

/** Creating a record that needs only a name (a pipeline, a role); `hint` says what it starts with. */
export function CreateByNameModal<T>({
  opened,
  onClose,
  title,
  label,
  hint,
  maxLength,
  create,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  label: string;
  hint: string;
  maxLength: number;
  create: (name: string) => Promise<T>;
  onCreated: (created: T) => void;
}) {
  const { t } = useTranslation();
  const form = useNameForm(create, (created) => {
    onClose();
    onCreated(created);
  });
  return (
    <FormModal opened={opened} onClose={onClose} title={title} submitLabel={t('common.create')} loading={form.pending} onSubmit={form.submit}>
      <TextInput label={label} {...form.input} maxLength={maxLength} required data-autofocus />
      <Text size="sm" c="dimmed">
        {hint}
      </Text>
    </FormModal>
  );
}
