import type { ReactNode } from 'react';
import { Alert, Anchor, Group, List, Stack } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { Icon } from '../icons';
import type { Duplicate } from './records';

// "Possible duplicate: …" after creating a contact, company or lead: each match with a link,
// what it matched by, and the caller's actions (keep / delete the new record / merge).

const PLURAL = { contact: 'contacts', company: 'companies', lead: 'leads' } as const;

interface Named {
  id: number;
  fullName?: string;
  name?: string;
  title?: string;
}

export function DuplicatesAlert({ duplicates, actions, onClose }: { duplicates: Duplicate[]; actions?: ReactNode; onClose?: () => void }) {
  const { t } = useTranslation();
  const shown = duplicates.slice(0, 10);
  const records = useQueries({
    queries: shown.map((d) => ({
      queryKey: [PLURAL[d.entity], d.id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Named>(`/${PLURAL[d.entity]}/${d.id}`, undefined, { signal }),
      staleTime: 30_000,
      retry: false,
    })),
  });
  if (!duplicates.length) return null;
  return (
    <Alert color="yellow" icon={<Icon name="alert" />} title={t('crm.duplicates.title', { count: duplicates.length })} withCloseButton={!!onClose} onClose={onClose} data-testid="duplicates-alert" role="alert">
      <Stack gap="xs">
        <List size="sm" spacing={2}>
          {shown.map((d, i) => {
            const r = records[i]?.data;
            const name = r ? r.fullName || r.name || r.title : `#${d.id}`;
            return (
              <List.Item key={`${d.entity}-${d.id}`}>
                {t(`crm.duplicates.entity.${d.entity}`)}:{' '}
                <Anchor component={Link} to={`/${PLURAL[d.entity]}/${d.id}`}>
                  {name}
                </Anchor>{' '}
                — {t(`crm.duplicates.by.${d.matchedBy}`)}
              </List.Item>
            );
          })}
        </List>
        {actions && <Group gap="xs">{actions}</Group>}
      </Stack>
    </Alert>
  );
}
