import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { CommLinks } from '../../components/crm/CommLinks';
import type { Communication } from '../../components/crm/records';
import { QueryError } from '../../components/page';

interface ContactHit {
  id: number;
  fullName: string;
  position: string | null;
  phones: Communication[];
  emails: Communication[];
}

/** The people of a company (contacts linked to it), with a quick link to each. */
export function CompanyContacts({ companyId }: { companyId: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['contacts', 'list', { companyId }],
    queryFn: ({ signal }) => api.get<Page<ContactHit>>('/contacts', { companyId, limit: 50, withTotal: true }, { signal }),
  });
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data?.items ?? [];
  return (
    <Stack gap={6} data-testid="company-contacts">
      {q.isSuccess && !items.length && (
        <Text size="sm" c="dimmed">
          {t('companies.noContacts')}
        </Text>
      )}
      {items.map((c) => (
        <div key={c.id}>
          <Anchor component={Link} to={`/contacts/${c.id}`} size="sm" fw={500}>
            {c.fullName || `#${c.id}`}
          </Anchor>
          {c.position && (
            <Text size="xs" c="dimmed">
              {c.position}
            </Text>
          )}
          <CommLinks phones={c.phones} emails={c.emails} max={1} size="xs" />
        </div>
      ))}
      {q.data?.nextCursor && (
        <Group>
          <Button component={Link} to={`/contacts?companyId=${companyId}`} variant="subtle" size="xs">
            {t('companies.allContacts', { count: q.data.total ?? items.length })}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
