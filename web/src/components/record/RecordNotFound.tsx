import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { Empty, usePageTitle } from '../page';
import type { RecordEntity } from './keys';

// One page for a record that is missing and for one the user may not see (the API answers both
// with 404, so the page cannot and must not tell them apart), on every record card: deal, lead,
// contact, company. A 400 is a malformed id in the address, the same thing for the user.

/** The answer of a record's query says "no such record for you". */
export function isRecordMissing(error: unknown): boolean {
  return isApiError(error) && (error.status === 404 || error.status === 400);
}

export function RecordNotFound({ entity }: { entity: RecordEntity }) {
  const { t } = useTranslation();
  usePageTitle(t(`record.notFound.${entity}.title`));
  return (
    <div data-testid="record-not-found">
      <Empty
        title={t(`record.notFound.${entity}.title`)}
        description={t(`record.notFound.${entity}.text`)}
        action={
          <Button component={Link} to={`/${entity}`}>
            {t(`record.notFound.${entity}.back`)}
          </Button>
        }
      />
    </div>
  );
}
